"""Forms for the officer's work on a booking: checks, evidence, escalation,
advice, the decision, appeals, cancelling and letters. They check what was
typed; the services check the rules and make the change."""

from django import forms

from .models import AppealOutcome, CheckOutcome, DecisionOutcome, LetterKind

LEGEND_M = {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}
NO_CLAUSE = "none"


def _text(label, *, max_length, message, help_text="", rows=6, required=True):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message,
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _radios(label, choices, *, message, required=True, govuk=None):
    return forms.ChoiceField(
        label=label, choices=choices, required=required,
        widget=forms.RadioSelect(attrs={"govuk": {**LEGEND_M, **(govuk or {})}}),
        error_messages={"required": message, "invalid_choice": message})


class CheckForm(forms.Form):
    outcome = _radios("What did the check find?", CheckOutcome.choices, message="Select what the check found")
    notes = _text("What you looked at and what you found", max_length=5000, rows=8,
                  message="Enter what you checked and what you found",
                  help_text="In your own words: what you read or who you asked, when, and what it told you. "
                            "Say why if it could not be checked or does not apply.")


class EvidenceForm(forms.Form):
    description = forms.CharField(
        label="What this evidence is", max_length=500,
        help_text="For example, “Their statement on their own website, read on 3 March”.",
        error_messages={"required": "Describe the evidence",
                        "max_length": "The description must be 500 characters or fewer"})
    link = forms.CharField(
        label="Link (optional)", max_length=1000, required=False,
        help_text="The address of the page you looked at, starting http:// or https://.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": "The link must be 1,000 characters or fewer"})
    file = forms.FileField(
        label="Or upload a file (optional)", required=False,
        help_text="A copy you saved: a PDF, Word document, OpenDocument text or image (JPG, PNG or GIF).",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png,.gif"}),
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"})


class EscalateForm(forms.Form):
    reason = _text("Why are you escalating this booking?", max_length=5000,
                   message="Enter why you are escalating this booking",
                   help_text="What you would like the Prevent lead's advice on, and what the checks found.")


class AdviceForm(forms.Form):
    advice = _text("Your advice", max_length=10000, rows=8, message="Enter your advice",
                   help_text="The decision stays with the venue booking officer. Your advice is kept with "
                             "the booking, and the booker may see it if they ask for their data.")


class DecideForm(forms.Form):
    # Conditions are not revealed under their radio: GOV.UK Frontend marks
    # the radio aria-expanded, which axe-core refuses (govuk-frontend #979).
    outcome = _radios("What is your decision?", DecisionOutcome.choices, message="Select the decision")
    conditions = _text("If approving with conditions, the conditions", max_length=5000, required=False,
                       rows=5, message="",
                       help_text="One condition a line, for example “Two stewards at the door throughout”.")
    reasons = _text("Your reasons", max_length=10000, rows=8, message="Enter the reasons for the decision",
                    help_text="The booker is told these reasons.")
    clause = _radios("Which clause of the booking conditions does the decision rely on?", [],
                     message="Select the clause of the booking conditions the decision relies on",
                     required=False)

    def __init__(self, *args, clauses, **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = {str(clause.pk): clause for clause in clauses}
        field = self.fields["clause"]
        field.choices = [*((pk, f"{clause.number}. {clause.heading}") for pk, clause in self.clauses.items()),
                         (NO_CLAUSE, "No clause: approving without conditions")]
        field.help_text = ("Needed to refuse or to set conditions. These are the clauses of the version the "
                           "booker accepted.")
        field.govuk = {"items": {
            **{pk: {"hint": {"text": clause.text}} for pk, clause in self.clauses.items()},
            NO_CLAUSE: {"divider": "or"}}}

    def clean(self):
        data = super().clean()
        lines = data.get("conditions", "").splitlines()
        data["conditions"] = [line.strip() for line in lines if line.strip()]
        data["clause"] = self.clauses.get(data.get("clause") or "")
        return data


class AppealDecideForm(forms.Form):
    outcome = _radios("What is your decision on the appeal?",
                      [(AppealOutcome.UPHELD, "Upheld: the refusal or conditions fall and the booking may go "
                                              "ahead"),
                       (AppealOutcome.DISMISSED, "Dismissed: the decision stands")],
                      message="Select whether the appeal is upheld or dismissed")
    reasons = _text("Your reasons", max_length=10000, rows=8, help_text="The booker is told these.",
                    message="Enter the reasons for the appeal decision")


class CancelForm(forms.Form):
    reason = _text("Why is the council cancelling this booking?", max_length=2000,
                   message="Enter the reasons for cancelling",
                   help_text="The booker is told these reasons in the cancellation letter.")


class LetterKindForm(forms.Form):
    kind = _radios("Which letter?", LetterKind.choices, message="Select which letter to write")


class LetterForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200,
                              error_messages={"required": "Enter the letter's subject",
                                              "max_length": "The subject must be 200 characters or fewer"})
    body = _text("Letter", max_length=20000, rows=20, message="Enter the letter",
                 help_text="Filled in from the council's wording for this letter. Change what you need to: "
                           "it is sent exactly as it is here.")
