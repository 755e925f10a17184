"""Administration of retention policies: how long each kind of record is kept.

A change is a new version from a date (today or later), never an edit, so a
record that has closed keeps the period it closed under and the schedule's
history stays readable."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import add_service_errors, govuk_date_field
from prevent_hub.retention import selectors
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.services import FIXED, MAX_PERIOD_MONTHS, retention_policy_change


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Administration", "href": reverse("administration:index")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _record_type(value: str) -> RecordType:
    if value not in RecordType.values:
        raise Http404("No such record type")
    return RecordType(value)


def _version(policy) -> dict:
    by = policy.recorded_by.full_name if policy.recorded_by_id else "Loaded as a default"
    return {"policy": policy, "effective_from": govuk_date(policy.effective_from),
            "recorded": f"{govuk_datetime(policy.recorded_at)}, {by}"}


@requires(Action.RETENTION_POLICY_MANAGE)
@require_GET
@shows_nothing_personal("the retention schedule: periods and reasons, no records")
def retention_policies(request):
    today = timezone.localdate()
    rows = []
    for policy in selectors.policies_in_force(today):
        coming = [_version(p) for p in selectors.policy_history(policy.record_type)
                  if p.effective_from > today]
        rows.append({"current": _version(policy), "coming": coming,
                     "changeable": policy.record_type not in FIXED})
    return render(request, "administration/retention/policies.html", {
        "rows": rows, "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.RETENTION_POLICY_MANAGE)
@require_GET
@shows_nothing_personal("one retention policy's versions")
def retention_policy_history(request, record_type):
    record_type = _record_type(record_type)
    return render(request, "administration/retention/history.html", {
        "record_type": record_type,
        "versions": [_version(p) for p in selectors.policy_history(record_type)],
        "breadcrumbs": _breadcrumbs(("Retention schedule", reverse("administration:retention"))),
    })


class RetentionPolicyForm(forms.Form):
    period_months = forms.IntegerField(
        label="How many months should these records be kept?", min_value=0, max_value=MAX_PERIOD_MONTHS,
        help_text="For example, 36 for 3 years. 0 means deleted as soon as the period starts.",
        error_messages={"required": "Enter the number of months",
                        "invalid": "The number of months must be a whole number, like 36",
                        "min_value": "The number of months must be 0 or more",
                        "max_value": f"The number of months must be {MAX_PERIOD_MONTHS} or fewer"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    effective_from = govuk_date_field("Date the change takes effect",
                                      help_text="Today or later. For example, 1 4 2027")
    reason = forms.CharField(
        label="Why is the policy changing?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the council's retention schedule was reviewed. This is kept with the policy.",
        error_messages={"required": "Enter why the policy is changing",
                        "max_length": "The reason must be 2,000 characters or fewer"},
    )


@requires(Action.RETENTION_POLICY_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a retention policy's change form")
def retention_policy_edit(request, record_type):
    record_type = _record_type(record_type)
    if record_type in FIXED:
        raise Http404(FIXED[record_type])
    current = selectors.policy_in_force(record_type, timezone.localdate())
    form = RetentionPolicyForm(request.POST if request.method == "POST" else None,
                               initial={"period_months": current.period_months})
    if form.is_valid():
        try:
            policy = retention_policy_change(record_type=record_type, acting_user=request.user,
                                             **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"From {govuk_date(policy.effective_from)}, "
                                      f"{record_type.label.lower()} records closing are kept "
                                      f"{policy.period_text}.")
            return redirect("administration:retention")
    return render(request, "administration/retention/edit.html", {
        "form": form, "record_type": record_type, "current": current,
        "breadcrumbs": _breadcrumbs(("Retention schedule", reverse("administration:retention"))),
    })
