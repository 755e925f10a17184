"""Which retention policy applies, and until when a record is kept.

Policies are reference data with no personal data in them, so reading them
needs no access scoping; changing them does (services.retention_policy_change)."""

import datetime

from django.conf import settings

from prevent_hub.core.dates import add_months
from prevent_hub.core.formatting import govuk_date

from .models import RecordType, RetentionPolicy


def policy_in_force(record_type: str, on: datetime.date) -> RetentionPolicy:
    """The version of `record_type`'s policy in force on `on`: the latest to
    take effect on or before it (or, before any took effect, the earliest)."""
    return _in_force(list(RetentionPolicy.objects.filter(record_type=record_type)), record_type, on)


def _in_force(versions: list[RetentionPolicy], record_type: str, on: datetime.date) -> RetentionPolicy:
    started = [policy for policy in versions if policy.effective_from <= on]
    if started:
        return max(started, key=lambda policy: (policy.effective_from, policy.pk))
    if not versions:
        raise LookupError(f"No retention policy for {record_type}: load the defaults (migrate)")
    return min(versions, key=lambda policy: (policy.effective_from, policy.pk))


def retain_until(record_type: str, start: datetime.date) -> tuple[datetime.date, RetentionPolicy]:
    """Until when a record of `record_type` is kept when its period starts on
    `start` (the day it closed, under the policy in force that day)."""
    return _kept_until(record_type, start, policy_in_force(record_type, start))


def _kept_until(record_type, start, policy) -> tuple[datetime.date, RetentionPolicy]:
    if record_type == RecordType.REFERRAL_DRAFT:
        return start + datetime.timedelta(days=settings.REFERRAL_DRAFT_EXPIRY_DAYS), policy
    return add_months(start, policy.period_months or 0), policy


def retain_until_many(record_type: str, starts) -> dict[datetime.date, tuple[datetime.date, RetentionPolicy]]:
    """`retain_until` for each of many start days, reading the policies once
    (importing years of records at a time)."""
    versions = list(RetentionPolicy.objects.filter(record_type=record_type))
    return {start: _kept_until(record_type, start, _in_force(versions, record_type, start))
            for start in set(starts)}


def policies_in_force(on: datetime.date) -> list[RetentionPolicy]:
    """One policy per record type, in the order record types are listed, in
    one query (the public privacy notice shows them on every visit)."""
    in_force: dict[str, RetentionPolicy] = {}
    for policy in RetentionPolicy.objects.order_by("effective_from", "pk"):
        earliest = policy.record_type not in in_force
        if earliest or policy.effective_from <= on:
            in_force[policy.record_type] = policy
    return [in_force[record_type] for record_type in RecordType.values if record_type in in_force]


def policy_history(record_type: str) -> list[RetentionPolicy]:
    return list(RetentionPolicy.objects.filter(record_type=record_type)
                .select_related("recorded_by").order_by("-effective_from", "-pk"))


def kept_until_text(retain_until: datetime.date | None, policy: RetentionPolicy | None, *,
                    while_open: str) -> str:
    """What a record's page says about how long it is kept: the date and the
    policy that set it, or `while_open` for a record not yet closed."""
    if retain_until is None or policy is None:
        return while_open
    return (f"{govuk_date(retain_until)}, then deleted "
            f"({policy.get_record_type_display().lower()}: {policy.period_text})")
