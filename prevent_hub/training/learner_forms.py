"""Forms for the learner pages and the own-record pages: the learners
list's filters, a learner's details, the day they left, a completion (with
its evidence) and removing one. They check what was typed; the services
check the rules (training.services.completion_problem) and make the change."""

import uuid

from django import forms

from prevent_hub.accounts.models import Organisation
from prevent_hub.govuk.filters import FilterForm
from prevent_hub.govuk.forms import govuk_date_field
from prevent_hub.govuk.questions import email_field, text_field

from .learner_selectors import LEAD_FLAGGED, LEFT
from .selectors import DUE_SOON, IN_DATE, NEVER_TRAINED, OVERDUE, STANDING_LABELS

SEARCH_MAX = 200
WIDE = "govuk-!-width-two-thirds"
STANDING_CHOICES = [
    ("", "Any standing"),
    *((key, STANDING_LABELS[key]) for key in (IN_DATE, DUE_SOON, OVERDUE, NEVER_TRAINED)),
    (LEAD_FLAGGED, "Safeguarding or Prevent lead without the referrals course in date"),
    (LEFT, "Left their organisation"),
]
EVIDENCE_HINT = ("Optional. The certificate as a PDF or an image (JPG, PNG or GIF), or a Word or "
                 "OpenDocument file.")


class OnceForm(forms.Form):
    """A form adding something new: `once` travels in a hidden field, so the
    same page sent twice (a double click, a resend after a slow answer) adds
    nothing more (see learner_views._sent_before)."""

    once = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", uuid.uuid4().hex)

    def clean_once(self):
        try:
            return uuid.UUID(self.cleaned_data["once"]).hex
        except ValueError:
            return ""  # typed over or left out: no second-send protection, nothing worse


# The learners list ---------------------------------------------------------------


class LearnerFilterForm(FilterForm, forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=SEARCH_MAX,
        help_text="A name, an email address or a reference like LRN-ABCD2345",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": f"Search for {SEARCH_MAX} characters or fewer",
                        "null_characters_not_allowed": "Search for letters, numbers and spaces"})
    organisation = forms.TypedChoiceField(
        label="Organisation", required=False, coerce=int, empty_value=None, choices=[],
        error_messages={"invalid_choice": "Select an organisation from the list"})
    standing = forms.ChoiceField(label="Standing", required=False, choices=STANDING_CHOICES,
                                 error_messages={"invalid_choice": "Select a standing from the list"})

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only someone who sees more than one organisation's learners is offered the choice.
        if len(organisations) > 1:
            self.fields["organisation"].choices = [
                ("", "Every organisation"), *((str(org.pk), org.name) for org in organisations)]
            self.LAYOUT = (("q",), ("organisation", "standing"))
        else:
            del self.fields["organisation"]
            self.LAYOUT = (("q", "standing"),)

    @classmethod
    def parameters(cls):
        return ["q", "organisation", "standing"]

    def filters(self) -> dict:
        data = self.valid_data()
        return {"search": " ".join((data.get("q") or "").split()),
                "organisation_id": data.get("organisation"), "standing": data.get("standing") or ""}

    def summary(self, filters: dict) -> list[str]:
        found = [f"Search: {filters['search']}"] if filters["search"] else []
        if filters["organisation_id"]:
            names = dict(self.fields["organisation"].choices)
            found.append(f"Organisation: {names[str(filters['organisation_id'])]}")
        if filters["standing"]:
            found.append(f"Standing: {dict(STANDING_CHOICES)[filters['standing']]}")
        return found


# A learner -------------------------------------------------------------------------


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LearnerForm(OnceForm):
    full_name = text_field("Full name", max_length=150, what="The name", required=True,
                           required_message="Enter the learner's full name", width=WIDE,
                           autocomplete="off", spellcheck=False)
    email = email_field("Email address", max_length=254, what="The email address", required=True,
                        hint="Their work email address. Learners are matched by it when a spreadsheet is "
                             "imported, and it links the record to their account if they have one.")
    organisation = OrganisationChoiceField(
        label="Organisation", queryset=None, empty_label="Select an organisation",
        error_messages={"required": "Select the learner's organisation",
                        "invalid_choice": "Select an organisation from the list"})
    job_role = text_field("Role (optional)", max_length=150, what="The role", width=WIDE,
                          hint="For example, teacher, receptionist or social worker. Compliance is counted "
                               "per role as it is typed here.")
    is_safeguarding_lead = forms.BooleanField(
        label="Designated safeguarding lead", required=False,
        help_text="Leads need the Prevent referrals course in date, and are flagged until they have it.")
    is_prevent_lead = forms.BooleanField(label="Prevent lead", required=False)

    def __init__(self, *args, organisations, **kwargs):
        """`organisations`: those the user may record learners of. With only
        one, it is the learner's, and the page says so rather than asking."""
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        if len(self.organisations) == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[org.pk for org in self.organisations]).order_by("name", "pk")

    @property
    def fixed_organisation(self):
        return self.organisations[0] if len(self.organisations) == 1 else None

    def values(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in (
            "full_name", "email", "job_role", "is_safeguarding_lead", "is_prevent_lead")}
        data["organisation"] = self.cleaned_data.get("organisation") or self.fixed_organisation
        return data


class LeftForm(forms.Form):
    left_on = govuk_date_field("Date they left")


# Completions --------------------------------------------------------------------------


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CompletionForm(OnceForm):
    course = CourseChoiceField(
        label="Course", queryset=None, empty_label="Select a course",
        error_messages={"required": "Select the course", "invalid_choice": "Select a course from the list"})
    completed_on = govuk_date_field("Date the course was completed")
    certificate_reference = text_field(
        "Certificate reference (optional)", max_length=100, what="The certificate reference",
        width="govuk-input--width-20", autocomplete="off", spellcheck=False,
        hint="As it is shown on the certificate.")
    evidence = forms.FileField(
        label="Upload the certificate (optional)", required=False, help_text=EVIDENCE_HINT,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.doc,.docx,.odt"}),
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"})

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class RemoveCompletionForm(forms.Form):
    reason = text_field(
        "Why is it being removed?", max_length=500, what="The reason", required=True,
        required_message="Enter why the completion is being removed", textarea=True, rows=3,
        hint="For example, “Recorded against the wrong person” or “Wrong date: recorded again with the "
             "right one”. Kept in the audit trail.")
