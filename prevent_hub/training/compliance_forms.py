"""The filters of an organisation's learners, sent by GET so a filtered list
can be linked to, printed and downloaded. A filter that is wrong is left
out and the page says why."""

from django import forms

from prevent_hub.govuk.filters import FilterForm

from .compliance import STANDING_ORDER
from .selectors import STANDING_LABELS

FLAGGED = "flagged"


class OrganisationLearnersFilterForm(FilterForm, forms.Form):
    standing = forms.ChoiceField(
        label="Standing", required=False,
        choices=[("", "Any standing"), *((name, STANDING_LABELS[name]) for name in STANDING_ORDER)],
        error_messages={"invalid_choice": "Select a standing from the list"})
    leads = forms.ChoiceField(
        label="Safeguarding and Prevent leads", required=False,
        choices=[("", "Everyone"), (FLAGGED, "Only leads without the referrals course in date")],
        error_messages={"invalid_choice": "Select who to show from the list"})

    LAYOUT = (("standing", "leads"),)

    def chosen(self) -> tuple[str, bool]:
        """(the standing chosen or "", whether only flagged leads are wanted)."""
        data = self.valid_data()
        return data.get("standing") or "", data.get("leads") == FLAGGED

    def summary(self) -> list[str]:
        standing, flagged_only = self.chosen()
        found = [f"Standing: {STANDING_LABELS[standing]}"] if standing else []
        if flagged_only:
            found.append("Only leads without the referrals course in date")
        return found

    def query(self) -> list[tuple[str, str]]:
        """The valid filters as query parameters (for the download links)."""
        standing, flagged_only = self.chosen()
        return [*([("standing", standing)] if standing else []),
                *([("leads", FLAGGED)] if flagged_only else [])]
