"""The choice of financial year above the equality monitoring tables, sent by
GET so a year's page can be linked to and works without JavaScript."""

from django import forms

from .figures import financial_year_days, financial_year_label


def year_text(year: int) -> str:
    first_day, last_day = financial_year_days(year)
    return f"{financial_year_label(year)} ({first_day:%-d %B %Y} to {last_day:%-d %B %Y})"


class EqualityYearForm(forms.Form):
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
        return cls(request.GET if "year" in request.GET else None, **kwargs)

    def chosen(self) -> int | None:
        return int(self.cleaned_data["year"]) if self.is_bound and self.is_valid() else None
