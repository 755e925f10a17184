import datetime

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.http import urlencode

from prevent_hub.core.search import reference_in
from prevent_hub.govuk.forms import GovukDateField

from . import selectors
from .models import AuditAction

# References people quote, and the record each names (resolved by name, not
# imported: the audit trail sits below the apps whose records it keeps).
REFERENCE_RECORDS = {"PRV": ("referrals.referral", "reference"), "CH": ("channel.channelcase", "reference")}

PERSON_TYPE = "people.person"


def _text(label, max_length, **kwargs):
    return forms.CharField(
        label=label, required=False, max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
        **kwargs,
    )


def _date(label):
    return GovukDateField(
        label=label, required=False, help_text="For example, 27 3 2026",
        error_messages={
            "incomplete": f"{label} date must include a %(missing)s",
            "invalid": f"{label} date must be a real date",
            "invalid_year": f"{label} date year must include 4 numbers",
        },
    )


class AuditSearchForm(forms.Form):
    """The audit search filters (sent by GET, so results can be linked to).

    "Person" finds events about a person's record (object type people.person)
    by its ID. When the people app arrives, this is the place to let it match
    a name or reference too, through a people selector, and turn the matches
    into ids here.
    """

    user = _text("Email address", 254, help_text=(
        "The email address of the person who acted, or part of it, for example ‘smith@’"))
    object_type = forms.ChoiceField(
        label="Type of record", required=False,
        error_messages={"invalid_choice": "Select a type of record from the list"},
    )
    object_id = _text("Record ID or reference", 64, help_text=(
        "A number, or a reference such as PRV-2026-000123 (a referral) or CH-2026-000045 (a Channel case)"),
        widget=forms.TextInput(attrs={"spellcheck": "false"}))
    person = _text("Person’s record ID", 64, help_text="Finds events about one person",
                   widget=forms.TextInput(attrs={"spellcheck": "false"}))
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices],
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    date_from = _date("From")
    date_to = _date("To")

    def __init__(self, *args, user, record_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = user
        self.fields["object_type"].choices = [("", "Any type of record")] + [
            (value, f"{selectors.record_type_label(value)} ({value})") for value in record_types
        ]
        self.actor_ids = None

    def clean_user(self):
        text = self.cleaned_data["user"]
        if text:
            try:
                self.actor_ids = tuple(selectors.users_matching_email(user=self.acting_user, text=text))
            except selectors.TooManyUsers:
                raise forms.ValidationError(
                    f"More than {selectors.MAX_MATCHING_USERS} people’s email addresses contain "
                    "what you typed: type more of the email address",
                ) from None
        return text

    def clean_object_id(self):
        """A reference stands for its record: the type and id the trail keeps."""
        text = self.cleaned_data["object_id"].strip()
        reference = reference_in(text)
        if reference is None:
            return text
        record_type, field = REFERENCE_RECORDS[reference.split("-", 1)[0]]
        found = (apps.get_model(record_type)._default_manager.filter(**{field: reference})
                 .values_list("pk", flat=True).first())
        if found is None:
            raise forms.ValidationError(f"There is no record with the reference {reference}")
        chosen = self.data.get(self.add_prefix("object_type"))
        if chosen and chosen != record_type:
            raise forms.ValidationError(
                f"{reference} is a {selectors.record_type_label(record_type).lower()}: choose that type "
                "of record or leave the type empty")
        self.reference_type = record_type
        return str(found)

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "reference_type", None):
            cleaned["object_type"] = self.reference_type
        if cleaned.get("object_id") and not cleaned.get("object_type") and "object_type" not in self.errors:
            self.add_error("object_type", "Select the type of record the record ID belongs to")
        if cleaned.get("person") and (cleaned.get("object_type") or cleaned.get("object_id")):
            self.add_error("person", "Search for a person or for a record, not both")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return cleaned

    def filters(self) -> selectors.AuditFilters:
        data = self.cleaned_data
        object_type, object_id = data["object_type"], data["object_id"]
        if data["person"]:
            object_type, object_id = PERSON_TYPE, data["person"]
        return selectors.AuditFilters(
            actor_ids=self.actor_ids,
            object_type=object_type,
            object_id=object_id,
            action=data["action"],
            occurred_from=_start_of(data["date_from"]),
            occurred_before=_start_of(data["date_to"], days_after=1),
        )

    def audit_details(self) -> dict:
        """The filters as typed (never the results), for the SEARCH event."""
        data = self.cleaned_data
        details = {
            "user": data["user"], "record_type": data["object_type"], "record_id": data["object_id"],
            "person": data["person"], "action": data["action"],
            "from": data["date_from"].isoformat() if data["date_from"] else "",
            "to": data["date_to"].isoformat() if data["date_to"] else "",
        }
        return {key: value for key, value in details.items() if value}

    def query_string(self) -> str:
        """These filters as a query string, for export and page links."""
        params = []
        for name in ("user", "object_type", "object_id", "person", "action"):
            params.append((name, self.cleaned_data[name]))
        for name in ("date_from", "date_to"):
            value = self.cleaned_data[name]
            params += [(f"{name}-day", value.day if value else ""),
                       (f"{name}-month", value.month if value else ""),
                       (f"{name}-year", value.year if value else "")]
        return urlencode(params)


def _start_of(day, *, days_after=0):
    """Midnight at the start of `day` (+ days), UK time, or None."""
    if day is None:
        return None
    try:
        day = day + datetime.timedelta(days=days_after)
    except OverflowError:  # the day after 31 December 9999: no upper limit
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
