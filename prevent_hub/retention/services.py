"""Changing a retention policy: a new version from a date, never an edit."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import RecordType, RetentionPolicy

# Ten years: nothing in the domain asks for longer, and a typo (120 years)
# should be refused rather than keep records for a lifetime.
MAX_PERIOD_MONTHS = 120

# Record types whose period is not the schedule's to change, and why.
FIXED = {
    RecordType.REFERRAL_DRAFT: ("How long drafts are kept is the intake setting REFERRAL_DRAFT_EXPIRY_DAYS, "
                                "not a policy"),
    # Nothing is done with a person record that has no referral or case: it
    # exists only to join their records up.
    RecordType.PERSON_WITHOUT_RECORDS: "A person record with no referral or case left goes with the last one",
}


def retention_policy_change(*, record_type: str, period_months: int | None,
                            effective_from: datetime.date, reason: str, acting_user) -> RetentionPolicy:
    """Record a new version of `record_type`'s policy taking effect on
    `effective_from` (today or later: records already closed keep the period
    they closed under)."""
    errors = {}
    reason = (reason or "").strip()
    if record_type not in RecordType.values:
        errors["record_type"] = "Select a record type"
    elif record_type in FIXED:
        errors["record_type"] = FIXED[record_type]
    if record_type not in FIXED:
        if period_months is None:
            errors["period_months"] = "Enter the period in months"
        elif not 0 <= period_months <= MAX_PERIOD_MONTHS:
            errors["period_months"] = f"The period must be between 0 and {MAX_PERIOD_MONTHS} months"
    if effective_from is None:
        errors["effective_from"] = "Enter the date the policy takes effect"
    elif effective_from < timezone.localdate():
        errors["effective_from"] = "The policy must take effect today or later"
    if not reason:
        errors["reason"] = "Enter why the policy is changing"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            policy = RetentionPolicy.objects.create(
                record_type=record_type, period_months=period_months, effective_from=effective_from,
                reason=reason, recorded_by=acting_user,
            )
            audit_event_record(
                action=AuditAction.CREATE, obj=policy, actor=acting_user,
                changed_fields=["period_months", "effective_from", "reason"],
                details={"record_type": record_type, "period_months": period_months,
                         "effective_from": effective_from.isoformat()},
            )
    except IntegrityError:
        raise ValidationError({"effective_from": "A change to this policy already takes effect on that "
                                                 "date: choose another date"}) from None
    return policy
