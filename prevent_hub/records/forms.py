"""Forms for records management pages. They check what was typed; the
services check the rules (records.services)."""

from django import forms

from prevent_hub.govuk.forms import govuk_date_field

from .models import HoldKind
from .services import REASON_MAX

_FIELDSET = {"govuk": {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}}}}


def _reason(label, *, message, help_text=""):
    return forms.CharField(
        label=label, max_length=REASON_MAX, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": message,
                        "max_length": f"The reason must be {REASON_MAX:,} characters or fewer"})


class HoldForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the record to hold", max_length=40,
        help_text="A referral (PRV-2026-000123), a Channel case (CH-2026-000045), a learner's training "
                  "record (LRN-ABCD2345), or a person's id (from their page) to hold everything about them.",
        error_messages={"required": "Enter the reference of the record to hold",
                        "max_length": "A reference is 40 characters or fewer"})
    kind = forms.ChoiceField(
        label="What is the hold for?", choices=HoldKind.choices, widget=forms.RadioSelect(attrs=_FIELDSET),
        error_messages={"required": "Select what the hold is for",
                        "invalid_choice": "Select what the hold is for"})
    reason = _reason("Why must the record be kept?", message="Enter why the record must be kept",
                     help_text="Name the complaint, request or case file by its reference. Do not write "
                               "about the person here.")
    ends_on = govuk_date_field("Date the hold ends", help_text="Retention may delete the record after "
                                                               "this date. For example, 27 3 2027")


class LiftForm(forms.Form):
    lift_reason = _reason("Why is the hold no longer needed?",
                          message="Enter why the hold is no longer needed")


class PreviewForm(forms.Form):
    as_of = govuk_date_field("Preview as of", help_text="What a run on this date would delete. "
                                                         "For example, 1 4 2031")
