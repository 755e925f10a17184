"""The upload form for a spreadsheet of referrals from earlier records."""

from django import forms

from prevent_hub.core.uploads import size_text

from . import imports


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Select a CSV file", "empty": imports.UPLOAD_EMPTY,
                        "invalid": "Select a CSV file"})
    skip_bad_rows = forms.BooleanField(
        label="Import the good rows and skip the rows with problems", required=False,
        help_text="If you leave this unticked, nothing is imported while any row has a problem.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "The first line names the columns (see the list above). Save the spreadsheet as "
            f"“CSV UTF-8 (comma delimited)”. Up to {imports.max_rows():,} rows and "
            f"{size_text(imports.MAX_BYTES)}.")
