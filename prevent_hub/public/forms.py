"""One form per question page: a single set of radios whose legend is the page heading."""

from django import forms

from .questions import Question


class QuestionForm(forms.Form):
    def __init__(self, *args, question: Question, heading: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        legend = (
            {"isPageHeading": True, "classes": "govuk-fieldset__legend--l"} if heading
            else {"classes": "govuk-fieldset__legend--m"}
        )
        self.fields[question.key] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(choice.value, choice.label) for choice in question.choices],
            widget=forms.RadioSelect(attrs={"govuk": {
                "fieldset": {"legend": legend},
                "items": {
                    choice.value: {"hint": {"text": choice.hint}}
                    for choice in question.choices if choice.hint
                },
            }}),
            error_messages={"required": question.error, "invalid_choice": question.error},
        )

    @property
    def answer(self) -> str:
        return self.cleaned_data[self.question.key]
