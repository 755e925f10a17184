"""The forms for loading the area's population figures: the upload (where
the figures come from, the year they are for and the CSV file), and the
confirmation after the check, which carries the checked figures back signed
so that what is loaded is exactly what the administrator saw."""

from django import forms
from django.core import signing

from prevent_hub.core.antivirus import malware_problem

from . import population_services

SIGNED_FOR = "statistics.population-load"
# Long enough to read the check; a stale confirmation is refused, not loaded.
CONFIRM_WITHIN_SECONDS = 60 * 60
CONFIRM_STALE = "The checked figures have expired or could not be read back. Upload the file again"


class PopulationUploadForm(forms.Form):
    source = forms.CharField(
        label="Where the figures come from", max_length=population_services.SOURCE_MAX,
        help_text="For example: Census 2021, ONS table TS021. It is shown beside every rate.",
        error_messages={"required": "Enter where the figures come from, like Census 2021, ONS table TS021",
                        "max_length": "Where the figures come from must be "
                                      f"{population_services.SOURCE_MAX} characters or fewer"})
    year = forms.IntegerField(
        label="The year the figures are for",
        help_text="For example, 2021 for the 2021 census. Loading a year that is already loaded replaces "
                  "its figures.",
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-4"}}),
        error_messages={"required": "Enter the year the figures are for, like 2021",
                        "invalid": "The year must be a whole number, like 2021"})
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="The first line names the columns: dimension, code, population. Save the spreadsheet as "
                  "“CSV UTF-8 (comma delimited)”.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Select a CSV file", "empty": population_services.EMPTY,
                        "invalid": "Select a CSV file"})

    def clean_source(self):
        source = self.cleaned_data["source"]
        if problem := population_services.source_problem(source):
            raise forms.ValidationError(problem)
        return source

    def clean_year(self):
        year = self.cleaned_data["year"]
        if problem := population_services.year_problem(year):
            raise forms.ValidationError(problem)
        return year

    def clean_file(self):
        # Scanned like every upload (core.antivirus) before it is read.
        upload = self.cleaned_data["file"]
        if problem := malware_problem(upload):
            raise forms.ValidationError(problem)
        return upload


def signed_figures(*, year: int, source: str, figures: dict[tuple[str, str], int]) -> str:
    return signing.dumps({"year": year, "source": source,
                          "figures": [[dimension, code, population]
                                      for (dimension, code), population in figures.items()]},
                         salt=SIGNED_FOR, compress=True)


class PopulationConfirmForm(forms.Form):
    checked = forms.CharField(widget=forms.HiddenInput, error_messages={"required": CONFIRM_STALE})

    def clean_checked(self):
        try:
            found = signing.loads(self.cleaned_data["checked"], salt=SIGNED_FOR,
                                  max_age=CONFIRM_WITHIN_SECONDS)
            return {"year": int(found["year"]), "source": str(found["source"]),
                    "figures": {(str(dimension), str(code)): int(population)
                                for dimension, code, population in found["figures"]}}
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(CONFIRM_STALE) from None
