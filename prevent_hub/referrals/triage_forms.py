"""Forms for the Prevent team's triage: the queue filters, sharing a referral
with police and recording the gateway outcome. The services check the rules
that depend on the referral (dates after receipt, the state it is in); these
forms check what can be checked from the answers alone."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.http import urlencode

from prevent_hub.core.search import NameOrReferenceField
from prevent_hub.govuk.forms import GovukDateField

from .models import GatewayOutcome, PoliceSharingMethod, ReferralKind
from .selectors import QueueFilters


def _date(label, *, required, help_text="For example, 27 3 2026", **kwargs):
    return GovukDateField(
        label=label, required=required, help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "incomplete": f"{label} must include a %(missing)s",
            "invalid": f"{label} must be a real date",
            "invalid_year": f"{label} year must include 4 numbers",
        },
        **kwargs,
    )


class QueueFilterForm(forms.Form):
    """The queue's filters, sent by GET so a filtered queue can be linked to."""

    q = NameOrReferenceField(help_text="Any spelling of a name, or a reference like PRV-2026-000123")
    date_of_birth = _date("Date of birth", required=False, help_text="For example, 27 3 2011")
    overdue = forms.BooleanField(label="Overdue only", required=False)
    kind = forms.ChoiceField(
        label="Kind of referral", required=False,
        choices=[("", "Any kind"), *ReferralKind.choices],
        error_messages={"invalid_choice": "Select a kind of referral from the list"},
    )
    outcome = forms.ChoiceField(
        label="Gateway outcome", required=False,
        choices=[("", "Any outcome"), *GatewayOutcome.choices],
        error_messages={"invalid_choice": "Select a gateway outcome from the list"},
    )
    received_from = _date("Received from", required=False)
    received_to = _date("Received to", required=False)

    def __init__(self, *args, decided: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # "Overdue" is about the open tabs; the outcome only exists once decided.
        del self.fields["overdue" if decided else "outcome"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "Received to must be the same as or after received from")
        return cleaned

    def filters(self) -> QueueFilters:
        """The filters that are valid; any that are not are left out (the form says why)."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(
            overdue=bool(data.get("overdue")),
            kind=data.get("kind") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            outcome=data.get("outcome") or "",
            search=data.get("q"),
            date_of_birth=data.get("date_of_birth"),
        )


def filters_query(tab: str, filters: QueueFilters) -> str:
    """A tab and its filters as a query string (for page links and the export)."""
    params = [("tab", tab)]
    if filters.search:
        params.append(("q", filters.search.text))
    if filters.overdue:
        params.append(("overdue", "on"))
    for name in ("kind", "outcome"):
        if getattr(filters, name):
            params.append((name, getattr(filters, name)))
    for name in ("date_of_birth", "received_from", "received_to"):
        value = getattr(filters, name)
        if value:
            params += [(f"{name}-day", value.day), (f"{name}-month", value.month),
                       (f"{name}-year", value.year)]
    return urlencode(params)


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> datetime.time | None:
    """"14:30", "14.30", "2:30pm", "2pm", "9am" → a time; anything else → None."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, suffix = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match[2] is None:
        return None  # "14" alone is too ambiguous
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class ShareWithPoliceForm(forms.Form):
    shared_on = _date("Date shared", required=True)
    shared_time = forms.CharField(
        label="Time shared", max_length=10,
        help_text="For example, 14:30 or 2:30pm",
        error_messages={"required": "Enter the time shared",
                        "max_length": "Enter the time shared like 14:30 or 2:30pm"},
        widget=forms.TextInput(attrs={"govuk": {"classes": "govuk-input--width-5"},
                                      "spellcheck": "false"}),
    )
    method = forms.ChoiceField(
        label="How was it shared?", choices=PoliceSharingMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how the referral was shared",
                        "invalid_choice": "Select how the referral was shared"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000,
        help_text="For example, who you shared it with. Do not repeat the referral here.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )

    @classmethod
    def initial_now(cls) -> dict:
        now = timezone.localtime()
        return {"shared_on": now.date(), "shared_time": now.strftime("%H:%M")}

    def clean_shared_time(self):
        value = parse_time(self.cleaned_data["shared_time"])
        if value is None:
            raise forms.ValidationError("Enter the time shared like 14:30 or 2:30pm")
        return value

    def shared_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["shared_on"], data["shared_time"]))


class GatewayOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was the gateway outcome?", choices=GatewayOutcome.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            # No conditional reveal for "signposted": GOV.UK Frontend marks the
            # radio aria-expanded, which axe-core refuses (govuk-frontend #979).
            "items": {
                GatewayOutcome.PROCEED_TO_CHANNEL.value: {"hint": {
                    "text": "A Channel case is opened for the person"}},
            },
        }}),
        error_messages={"required": "Select the gateway outcome",
                        "invalid_choice": "Select the gateway outcome"},
    )
    signposted_to = forms.CharField(
        label="If signposted, which service was the person signposted to?", required=False,
        max_length=200,
        help_text="For example, early help, adult social care or a mental health service. "
                  "Leave blank for any other outcome.",
        error_messages={"max_length": "The service must be 200 characters or fewer"},
    )
    reasons = forms.CharField(
        label="Reasons for the outcome", max_length=5000,
        help_text="As the police gave them. Everyone who reads this referral later will see them.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons for the outcome",
                        "max_length": "Reasons must be 5,000 characters or fewer"},
    )
    decided_on = _date("Date of the decision", required=True)

    def clean(self):
        cleaned = super().clean()
        signposted = cleaned.get("outcome") == GatewayOutcome.SIGNPOSTED
        if signposted and not cleaned.get("signposted_to") and "signposted_to" not in self.errors:
            self.add_error("signposted_to", "Enter the service the person was signposted to")
        decided_on = cleaned.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            self.add_error("decided_on", "The date of the decision must be today or in the past")
        return cleaned
