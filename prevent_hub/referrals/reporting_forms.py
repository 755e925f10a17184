"""Recording a referral's reporting details (the codes the national Prevent
statistics count it by) and showing them on its page.

The choices come from the reporting categories (reporting.ReportingCategory)
in force on the day the referral was received, in their order: a referral
received before the type-of-concern categories changed is recorded under the
categories of its own year. A code recorded earlier under a scheme that has
since ended stays selectable, labelled as such, so saving the page never
silently drops it. The service (`referral_reporting_details_set`) checks the
codes again.
"""

from django import forms

from prevent_hub.core.formatting import govuk_date
from prevent_hub.reporting.categories import NOT_RECORDED_LABEL
from prevent_hub.reporting.models import ReportingCategory

from .reporting import NOT_LISTED, OLDEST_AGE, REPORTING_FIELDS, received_on

# The page's questions, in the order the national release lists its breakdowns.
QUESTIONS = {
    "sector": "Sector of referral",
    "concern_type": "Type of concern",
    "reported_gender": "Gender",
    "ethnicity": "Ethnicity",
    "age_at_referral": "Age at referral",
    "mental_health_or_neurodiversity": "Mental health or neurodiversity",
}

HINTS = {
    "sector": "The kind of organisation the referral came from. A concern raised by a member of the "
              "public is counted as community.",
    "concern_type": "Your team's judgement, with the police's, of what the concern is about. It is never "
                    "worked out from what the referral says.",
    "reported_gender": "As the person describes themselves, if known.",
    "ethnicity": "The ethnic group the person identifies with, if known. Select ‘Not known’ rather than "
                 "guess.",
    "mental_health_or_neurodiversity": "Whether the referral or your checks show mental health needs or "
                                       "neurodiversity.",
}


def _ended_label(category: ReportingCategory) -> str:
    return f"{category.label} (earlier category, used until {govuk_date(category.effective_to)})"


def categories_for(dimension: str, on) -> list[ReportingCategory]:
    """The categories in force on `on`, in order."""
    return [category for category in ReportingCategory.objects.filter(dimension=dimension)
            if category.in_force(on)]


def category_label(dimension: str, code: str, on) -> str:
    """How a recorded code reads on the referral's page: its label, marked if
    the category was not in force on the day the referral was received."""
    if not code:
        return NOT_RECORDED_LABEL
    category = ReportingCategory.objects.filter(dimension=dimension, code=code).first()
    if category is None:
        return code
    if not category.in_force(on) and category.effective_to and category.effective_to < on:
        return _ended_label(category)
    return category.label


def reporting_details_rows(referral) -> list[tuple[str, str]]:
    """(question, answer) for the referral page's summary card."""
    on = received_on(referral)
    rows = []
    for field, question in QUESTIONS.items():
        if field == "age_at_referral":
            age = referral.age_at_referral
            rows.append((question, NOT_RECORDED_LABEL if age is None else f"{age}"))
        else:
            rows.append((question, category_label(REPORTING_FIELDS[field], getattr(referral, field), on)))
    return rows


def _radios(field, choices):
    question = QUESTIONS[field]
    return forms.ChoiceField(
        label=question, required=False, help_text=HINTS.get(field, ""),
        choices=[*choices, ("", NOT_RECORDED_LABEL)],
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "items": {"": {"divider": "or"}},
        }}),
        error_messages={"invalid_choice": NOT_LISTED[field]},
    )


class AgeField(forms.IntegerField):
    def to_python(self, value):
        text = str(value or "").strip()
        # A number too long to be an age is too big, not "not a number".
        if text.isdigit() and len(text) > 3:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value",
                                        params={"limit_value": self.max_value})
        return super().to_python(value)


class ReportingDetailsForm(forms.Form):
    """The six reporting details of one referral. Every answer may be left
    as ‘Not yet recorded’: the Prevent team records what it knows when it
    knows it."""

    def __init__(self, *args, referral, **kwargs):
        self.referral = referral
        on = received_on(referral)
        initial = {field: getattr(referral, field) for field in QUESTIONS}
        super().__init__(*args, initial=initial, **kwargs)
        for field in QUESTIONS:
            if field == "age_at_referral":
                self.fields[field] = self._age_field(referral)
                continue
            dimension = REPORTING_FIELDS[field]
            categories = categories_for(dimension, on)
            choices = [(category.code, category.label) for category in categories]
            recorded = getattr(referral, field)
            if recorded and recorded not in {code for code, _ in choices}:
                # Recorded under a scheme that has ended (or one not in force
                # that day): kept as an answer so saving leaves it as it is.
                category = ReportingCategory.objects.filter(dimension=dimension, code=recorded).first()
                if category is not None:
                    choices.append((recorded, _ended_label(category) if category.effective_to
                                    else category.label))
            self.fields[field] = _radios(field, choices)
        self.fields["concern_type"].help_text = (
            f"{HINTS['concern_type']} The categories are those in force when the referral was received "
            f"({govuk_date(on)}).")
        self.fields["mental_health_or_neurodiversity"].widget.attrs["govuk"]["classes"] = (
            "govuk-radios--inline")

    @staticmethod
    def _age_field(referral):
        given = []
        if referral.subject_date_of_birth:
            given.append(f"date of birth {govuk_date(referral.subject_date_of_birth)}")
        if referral.subject_approximate_age is not None:
            given.append(f"approximate age {referral.subject_approximate_age}")
        said = ("The referral gives " + " and ".join(given) + "." if given
                else "The referral gives no date of birth or age.")
        return AgeField(
            label="Age at referral (optional)", required=False, min_value=0, max_value=OLDEST_AGE,
            help_text=f"The person’s age in years on the day the referral was received. {said}",
            widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-3",
                                                      "suffix": {"text": "years"}}}),
            error_messages={
                "invalid": "Age at referral must be a whole number, like 15",
                "min_value": "Age at referral must be 0 or more",
                "max_value": f"Age at referral must be {OLDEST_AGE} or less",
            },
        )

    def details(self) -> dict:
        """The answers as the service takes them (blank: not yet recorded)."""
        data = self.cleaned_data
        details = {field: data.get(field) or "" for field in QUESTIONS if field != "age_at_referral"}
        details["age_at_referral"] = data.get("age_at_referral")
        return details
