"""What the coordinator posts from "Identify the person"."""

from django import forms

CONFIRM = "same"
REJECT = "not-same"
NEW_PERSON = "new"


class MatchDecisionForm(forms.Form):
    """One button press: "Same person" or "Not the same person" about one
    candidate, or "None of these – record as a new person"."""

    answer = forms.ChoiceField(choices=[(CONFIRM, "Same person"), (REJECT, "Not the same person"),
                                        (NEW_PERSON, "Record as a new person")])
    person = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("answer") in (CONFIRM, REJECT) and not data.get("person"):
            raise forms.ValidationError("Choose which person you mean.")
        return data
