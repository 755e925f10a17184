"""The form for a course: reference data kept by training administrators.
The form checks what was typed; services.course_save checks the rules
(unique name and code, a refresh period of 1 to 120 months, no course that
depends on itself)."""

from django import forms

from prevent_hub.govuk.questions import text_field

from .models import CourseKind


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_active else f"{obj.name} (no longer offered)"


class CourseForm(forms.Form):
    name = text_field("Name", max_length=150, what="The name", required=True,
                      required_message="Enter the course's name", width="govuk-!-width-two-thirds")
    code = forms.SlugField(
        label="Code", max_length=40,
        help_text="A short code for spreadsheets: lower-case letters, numbers and hyphens, for example "
                  "prevent-awareness.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off",
                                      "govuk": {"classes": "govuk-input--width-20"}}),
        error_messages={"required": "Enter a short code, like prevent-awareness",
                        "invalid": "The code must be lower-case letters, numbers and hyphens only, like "
                                   "prevent-awareness",
                        "max_length": "The code must be 40 characters or fewer"})
    kind = forms.ChoiceField(
        label="Kind of course", choices=CourseKind.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"required": "Select the kind of course",
                        "invalid_choice": "Select the kind of course"})
    description = text_field("Description (optional)", max_length=2000, what="The description", textarea=True,
                             rows=3)
    refresh_months = forms.IntegerField(
        label="Refresh period in months", min_value=1, max_value=120,
        help_text="How long a completion stays in date: 24 is every two years. From 1 to 120.",
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-3",
                                                  "suffix": {"text": "months"}}}),
        error_messages={"required": "Enter the refresh period in months",
                        "invalid": "Enter the refresh period as a whole number of months, like 24",
                        "min_value": "Enter a refresh period from 1 to 120 months",
                        "max_value": "Enter a refresh period from 1 to 120 months"})
    prerequisite = CourseChoiceField(
        label="Must have completed first (optional)", queryset=None, required=False, empty_label="No course",
        help_text="A completion of this course is refused unless the learner completed that course, or a "
                  "refresher of it, on or before the same day.",
        error_messages={"invalid_choice": "Select a course from the list"})
    renews = CourseChoiceField(
        label="Refreshes (optional)", queryset=None, required=False, empty_label="No course",
        help_text="For a refresher: the course it keeps in date, and stands in for as a prerequisite.",
        error_messages={"invalid_choice": "Select a course from the list"})
    counts_for_compliance = forms.BooleanField(
        label="Counts towards being in date", required=False, initial=True,
        help_text="Untick for a course, like a local workshop, that does not keep someone's Prevent training "
                  "in date.")
    for_leads = forms.BooleanField(
        label="Required of designated safeguarding leads and Prevent leads", required=False,
        help_text="Leads without this course in date are flagged.")
    is_active = forms.BooleanField(
        label="Offered", required=False, initial=True,
        help_text="Untick to stop offering it. Courses are never deleted: completions already recorded keep "
                  "it.")

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prerequisite"].queryset = courses
        self.fields["renews"].queryset = courses
