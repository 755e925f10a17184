"""The choice of financial year above a year's figures (the assurance
summary, the statistics, equality monitoring), sent by GET so a year's page
can be linked to and works without JavaScript."""

from django import forms

from .formatting import govuk_date
from .quarters import financial_year_name, financial_year_span


def year_text(year: int) -> str:
    """"2023/24 (1 April 2023 to 31 March 2024)"."""
    start, end = financial_year_span(year)
    return f"{financial_year_name(year)} ({govuk_date(start)} to {govuk_date(end)})"


class FinancialYearForm(forms.Form):
    """One of `years`: the years the page has figures for."""

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
