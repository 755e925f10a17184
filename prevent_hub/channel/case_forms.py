"""Forms for the case page and its sections (lifecycle decisions, team,
information requests, notes and documents, timeline filters). They check what
a person typed; the services make the change and check the rules."""

from django import forms
from django.utils import timezone
from django.utils.http import urlencode

from prevent_hub.accounts.models import Organisation
from prevent_hub.core.search import NameOrReferenceField
from prevent_hub.govuk.forms import govuk_date_field

from .models import CaseRole, CaseStatus, ChronologyKind, ClosureReason, InformationRequest
from .selectors import NO_AREA, OPEN, CaseFilters
from .services import closure_reasons_allowed

_WIDE = {"govuk": {"classes": "govuk-!-width-two-thirds"}}




def _text(label, *, max_length, required=True, help_text="", rows=5, required_message=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or f"Enter the {label[:1].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


def _reasons(label="Reasons", help_text="Everyone who reads the case later will see them.",
             required_message="Enter the reasons for the decision"):
    return _text(label, max_length=5000, help_text=help_text, rows=6, required_message=required_message)


def _radios(label, choices, *, message, legend_size="m", **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": f"govuk-fieldset__legend--{legend_size}"}}}}),
        error_messages={"required": message, "invalid_choice": message}, **kwargs,
    )


# Lifecycle decisions ------------------------------------------------------------------


class ReasonsForm(forms.Form):
    reasons = _reasons()

    def __init__(self, *args, case=None, reasons_label="Reasons", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = reasons_label

    def service_kwargs(self):
        return {"reasons": self.cleaned_data["reasons"]}


class CloseForm(forms.Form):
    reason = _radios("Why is the case closing?", (), message="Select why the case is closing")
    details = _reasons("Reasons for closing the case",
                       required_message="Enter the reasons for closing the case")

    def __init__(self, *args, case, reasons_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = closure_reasons_allowed(case.status)
        self.fields["reason"].choices = [(choice.value, choice.label) for choice in allowed]
        if len(allowed) == 1:
            self.initial.setdefault("reason", allowed[0].value)

    def service_kwargs(self):
        return {"reason": ClosureReason(self.cleaned_data["reason"]), "details": self.cleaned_data["details"]}


# Team ---------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation.name})"


class TeamMemberForm(forms.Form):
    role = _radios("Role in the case", CaseRole.choices, message="Select the person's role in the case")
    user = UserChoiceField(
        label="Person", queryset=None, empty_label="Select a person",
        help_text="Only people whose account has the matching role can be added.",
        error_messages={"required": "Select the person to add", "invalid_choice": "Select the person to add"},
    )
    field_order = ["user", "role"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


# Information requests ------------------------------------------------------------------


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class InformationRequestForm(forms.Form):
    organisation = OrganisationChoiceField(
        label="Organisation", required=False, empty_label="Select an organisation",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        help_text="Choose from the organisations that use the service, or enter a name below.",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    organisation_name = forms.CharField(
        label="Or the name of another organisation", required=False, max_length=200,
        widget=forms.TextInput(attrs=_WIDE),
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    contact = forms.CharField(
        label="Contact (optional)", required=False, max_length=254, widget=forms.TextInput(attrs=_WIDE),
        help_text="Who was asked: a name, team or email address.",
        error_messages={"max_length": "The contact must be 254 characters or fewer"},
    )
    question = _text("What is asked", max_length=5000, rows=6)
    due_date = govuk_date_field("Date the answer is due")

    def clean(self):
        cleaned = super().clean()
        if (not cleaned.get("organisation") and not cleaned.get("organisation_name")
                and "organisation" not in self.errors and "organisation_name" not in self.errors):
            self.add_error("organisation", "Select the organisation or enter its name")
        due = cleaned.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", "The date the answer is due must be today or in the future")
        return cleaned


class InformationAnswerForm(forms.Form):
    answer = _radios("What was the answer?", InformationRequest.Answer.choices,
                     message="Select whether the organisation responded or declined")
    response = _text("Response", max_length=10000, required=False, rows=8,
                     help_text="If the organisation responded: what it told you.")
    decline_reason = _text("Reason for declining", max_length=2000, required=False, rows=4,
                           help_text="If the organisation declined: the reason it gave.")
    answered_on = govuk_date_field("Date of the answer")

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        if answer == InformationRequest.Answer.RESPONDED and not cleaned.get("response") \
                and "response" not in self.errors:
            self.add_error("response", "Enter the response")
        if answer == InformationRequest.Answer.DECLINED and not cleaned.get("decline_reason") \
                and "decline_reason" not in self.errors:
            self.add_error("decline_reason", "Enter the reason the organisation gave for declining")
        answered_on = cleaned.get("answered_on")
        if answered_on and answered_on > timezone.localdate():
            self.add_error("answered_on", "The date of the answer must be today or in the past")
        return cleaned


# Notes and documents --------------------------------------------------------------------


class NoteForm(forms.Form):
    text = _text("Note", max_length=10000, rows=8, required_message="Enter the note",
                 help_text="A note cannot be changed or deleted once saved. You can add a correction.")


class CorrectionForm(forms.Form):
    text = _text("Correction", max_length=10000, rows=6, required_message="Enter the correction",
                 help_text="The correction is shown under the note. The note itself is not changed.")


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document, OpenDocument text or image (JPG, PNG or GIF).",
        widget=forms.ClearableFileInput(attrs={
            "accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png,.gif",
        }),
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=300, widget=forms.TextInput(attrs=_WIDE),
        help_text="What the document is. Do not include sensitive details.",
        error_messages={"max_length": "The description must be 300 characters or fewer"},
    )


# Timeline -------------------------------------------------------------------------------


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Show", required=False, choices=[("", "Everything"), *ChronologyKind.choices],
    )
    order = forms.ChoiceField(
        label="Order", required=False, choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
    )


# The case list ---------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """The case list's filters, sent by GET so a filtered list can be linked to."""

    q = NameOrReferenceField(
        help_text="Any spelling of a name, or a reference like CH-2026-000045 or PRV-2026-000123")
    date_of_birth = govuk_date_field("Date of birth", required=False, help_text="For example, 27 3 2011")
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "Any status"), (OPEN, "Open (any status but closed)"), *CaseStatus.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    area = forms.ChoiceField(label="Area", required=False,
                             error_messages={"invalid_choice": "Select an area from the list"})
    opened_from = govuk_date_field("Opened from", required=False)
    opened_to = govuk_date_field("Opened to", required=False)

    FIELDS = ("q", "date_of_birth-day", "date_of_birth-month", "date_of_birth-year", "status", "area",
              "opened_from-day", "opened_from-month", "opened_from-year", "opened_to-day", "opened_to-month",
              "opened_to-year")

    def __init__(self, *args, areas: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *((area, area) for area in areas),
                                       (NO_AREA, "Not recorded")]

    @classmethod
    def from_request(cls, request, **kwargs):
        """Bound only when a filter was sent."""
        filtered = any(name in request.GET for name in cls.FIELDS)
        return cls(request.GET if filtered else None, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opened_from"), cleaned.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", "Opened to must be the same as or after opened from")
        return cleaned

    def filters(self) -> CaseFilters:
        """The filters that are valid; any that are not are left out (the form says why)."""
        if not self.is_bound:
            return CaseFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            search=data.get("q"), date_of_birth=data.get("date_of_birth"), status=data.get("status") or "",
            area=data.get("area") or "", opened_from=data.get("opened_from"), opened_to=data.get("opened_to"),
        )


def case_filters_query(filters: CaseFilters) -> str:
    """The filters as a query string (for the export link)."""
    params = []
    if filters.search:
        params.append(("q", filters.search.text))
    for name in ("status", "area"):
        if getattr(filters, name):
            params.append((name, getattr(filters, name)))
    for name in ("date_of_birth", "opened_from", "opened_to"):
        value = getattr(filters, name)
        if value:
            params += [(f"{name}-day", value.day), (f"{name}-month", value.month),
                       (f"{name}-year", value.year)]
    return urlencode(params)


def owner_team_question(check, *, refused: str = "the action is not added") -> forms.ChoiceField:
    """The question asked before an action is given to someone who sees the
    case only through its team and is not on it (support.action_owner_check):
    "X is not on the case team. Add them as …?" For the support plan's
    action form and the panel's decision form alike."""
    return forms.ChoiceField(
        label=check.question, choices=[("yes", "Yes"), ("no", "No")], required=False,
        widget=forms.RadioSelect(attrs={"govuk": {
            "classes": "govuk-radios--inline",
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "hint": {"text": f"They will see the case as {check.role_label}. If not, {refused}."},
        }}),
    )


def owner_team_answer(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)

