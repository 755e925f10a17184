"""The choice of financial year above the assurance summary, sent by GET so
a year's summary can be linked to and works without JavaScript."""

from django import forms

from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.quarters import financial_year_name, financial_year_span


def year_text(year: int) -> str:
    start, end = financial_year_span(year)
    return f"{financial_year_name(year)} ({govuk_date(start)} to {govuk_date(end)})"


class YearForm(forms.Form):
    """One of the years a summary can be made for (selectors.years_with_data)."""

    year = forms.ChoiceField(label="Financial year", error_messages={
        "required": "Select a financial year",
        "invalid_choice": "Select a financial year from the list"})

    def __init__(self, *args, years: list[int], chosen: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(year), year_text(year)) for year in years]
        if chosen is not None and not self.is_bound:
            self.initial["year"] = str(chosen)

    @classmethod
    def from_request(cls, request, **kwargs):
        """Bound only when a year was sent."""
        return cls(request.GET if "year" in request.GET else None, **kwargs)

    def chosen(self) -> int | None:
        return int(self.cleaned_data["year"]) if self.is_bound and self.is_valid() else None
