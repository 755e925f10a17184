"""Writes for records management: retention runs (real or dry) and legal
holds. Every write: keyword-only arguments, `acting_user=`, its audit event
inside its transaction. A real run deletes each record in a transaction of
its own (records.deletion) and writes one audit event for the whole run."""

import datetime
import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.dates import add_months
from prevent_hub.core.names import neutralise_bidi
from prevent_hub.retention.models import RetentionPolicy

from . import deletion
from .models import HoldKind, LegalHold, Outcome, RetentionRun, RunStatus, RunTrigger
from .selectors import Found, held_sets

logger = logging.getLogger(__name__)

RUN_OBJECT_TYPE = "records.retentionrun"
REASON_MAX = 2000
# A hold is for a matter in hand: reviewed at least every few years.
HOLD_LONGEST_YEARS = 10


# Retention runs --------------------------------------------------------------------------


def retention_run(*, as_of: datetime.date | None = None, dry_run: bool, trigger: RunTrigger,
                  acting_user=None) -> RetentionRun:
    """Find every record past its retention date on `as_of` (today) and, unless
    `dry_run`, delete those not held. Stores and returns the run with its
    report; writes one audit event (a deletion for a real run, a search for a
    dry one) naming references and ids only."""
    as_of = as_of or timezone.localdate()
    run = RetentionRun.objects.create(as_of=as_of, dry_run=dry_run, trigger=trigger, run_by=acting_user,
                                      started_at=timezone.now())
    try:
        holds = held_sets(as_of)
        due = deletion.records_due(as_of, holds)
        if dry_run:
            due += deletion.people_due(due, as_of, holds)
            for record in due:
                record.outcome = Outcome.HELD if record.is_held else Outcome.WOULD_DELETE
        else:
            for record in due:
                _delete_one(record, run, as_of)
            deleted = [record for record in due if record.outcome == Outcome.DELETED]
            people = deletion.people_due(deleted, as_of, holds)
            for record in people:
                _delete_one(record, run, as_of)
            due += people
        due = [record for record in due if record.outcome]
        deletion._record_types(due)
        _run_finish(run, due, acting_user=acting_user)
    except Exception:
        RetentionRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    if not dry_run:
        deletion.database_compact()
    return run


def person_erase(*, person_id: int, request_reference: str, acting_user) -> RetentionRun:
    """Carry out an accepted erasure request: delete everything about the
    person by the retention path (their cases with their referrals, their
    other referrals, then the person), tombstones and one audit event
    included. Runs in the caller's transaction (the decision's), so if any
    record is held or cannot be deleted, nothing is deleted and the decision
    is not recorded: ValidationError says why."""
    today = timezone.localdate()
    holds = held_sets(today)
    records = deletion.person_records(person_id, holds)
    held = sorted({record.hold.reference for record in records if record.hold})
    if held:
        raise ValidationError(
            f"Nothing was erased: the person's records are under a legal hold ({', '.join(held)}). Lift "
            "the hold, or refuse or partly accept the request with reasons", code="held")
    run = RetentionRun.objects.create(as_of=today, dry_run=False, trigger=RunTrigger.ERASURE,
                                      run_by=acting_user, started_at=timezone.now())
    for record in records:
        try:
            record.outcome = deletion.record_delete(record, run=run, as_of=today, erasure=True)
        except Exception as error:
            logger.warning("Erasure could not delete %s %s: %s", record.object_type, record.object_id,
                           type(error).__name__)
            raise ValidationError(f"Nothing was erased: {record.reference or record.object_type} could not "
                                  "be deleted. Try again, or ask a system administrator",
                                  code="failed") from error
    records = [record for record in records if record.outcome]
    deletion._record_types(records)
    _run_finish(run, records, acting_user=acting_user, request_reference=request_reference)
    transaction.on_commit(deletion.database_compact)
    return run


def _delete_one(record, run, as_of):
    if record.is_held:
        record.outcome = Outcome.HELD
        return
    try:
        record.outcome = deletion.record_delete(record, run=run, as_of=as_of)
    except Exception as error:  # noqa: BLE001 - one record's failure must not stop the run
        # The class only: a database error's message can quote the row.
        record.outcome, record.error = Outcome.FAILED, type(error).__name__
        logger.warning("Retention could not delete %s %s: %s", record.object_type, record.object_id,
                       type(error).__name__)


def _run_finish(run: RetentionRun, due, *, acting_user, request_reference: str = "") -> None:
    policies = {policy.pk: policy for policy in RetentionPolicy.objects.filter(
        pk__in={record.policy_id for record in due if record.policy_id})}
    order = {deletion.CASE: 0, deletion.REFERRAL: 1, deletion.DRAFT: 2, deletion.PERSON: 3,
             deletion.RIGHTS: 4, deletion.VENUE_BOOKING: 5, deletion.COMPLAINT: 6, deletion.LEARNER: 7}
    due.sort(key=lambda record: (order[record.object_type], record.retain_until or datetime.date.min,
                                 record.reference, record.object_id))
    run.report = [record.row(policies) for record in due]
    counts = Counter(f"{record.object_type}:{record.outcome}" for record in due)
    run.counts = {
        "due": len(due),
        **{outcome.value: sum(1 for record in due if record.outcome == outcome) for outcome in Outcome},
        "by_type": dict(sorted(counts.items())),
    }
    run.status = RunStatus.FINISHED
    run.finished_at = timezone.now()

    def listed(outcome):
        return {object_type: [record.reference or record.object_id for record in due
                              if record.object_type == object_type and record.outcome == outcome]
                for object_type in order}

    with transaction.atomic():
        run.save(update_fields=["report", "counts", "status", "finished_at"])
        details = {"as_of": run.as_of.isoformat(), "dry_run": run.dry_run, "trigger": run.trigger,
                   "counts": {key: value for key, value in run.counts.items() if key != "by_type"}}
        if request_reference:
            details["request"] = request_reference
        if run.dry_run:
            audit_event_record(action=AuditAction.SEARCH, object_type=RUN_OBJECT_TYPE, object_id=run.pk,
                               details=details, actor=acting_user)
        else:
            details |= {"deleted": listed(Outcome.DELETED), "held": listed(Outcome.HELD),
                        "failed": listed(Outcome.FAILED)}
            audit_event_record(action=AuditAction.DELETE, object_type=RUN_OBJECT_TYPE, object_id=run.pk,
                               details=details, actor=acting_user)


# Legal holds ------------------------------------------------------------------------------


def _text(value) -> str:
    return neutralise_bidi((value or "").strip())


def legal_hold_place(*, found: Found | None, kind: str, reason: str, ends_on: datetime.date | None,
                     acting_user, today: datetime.date | None = None, complaint=None) -> LegalHold:
    """Hold a referral, a Channel case, a person (all their records) or a
    learner (their training record) from deletion until `ends_on` (or until
    lifted), for `complaint` if it was placed from one. Raises
    ValidationError with a message per field."""
    today = today or timezone.localdate()
    reason = _text(reason)
    errors = {}
    if found is None:
        errors["reference"] = ("Enter the reference of a referral (PRV-…), Channel case (CH-…) or "
                               "learner (LRN-…), or a person's id")
    if kind not in HoldKind.values:
        errors["kind"] = "Select what the hold is for"
    if not reason:
        errors["reason"] = "Enter why the record must be kept"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX:,} characters or fewer"
    if ends_on is None:
        errors["ends_on"] = "Enter the date the hold ends"
    elif ends_on <= today:
        errors["ends_on"] = "The date the hold ends must be in the future"
    elif ends_on > add_months(today, 12 * HOLD_LONGEST_YEARS):
        errors["ends_on"] = (f"The date the hold ends must be within {HOLD_LONGEST_YEARS} years: "
                             "place a new hold then if it is still needed")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The same hold sent twice (a double click, a resent form) is one hold.
        same = LegalHold.objects.filter(
            referral=found.referral, case=found.case, person=found.person, learner=found.learner, kind=kind,
            reason=reason, ends_on=ends_on, placed_by=acting_user, lifted_at__isnull=True,
            complaint=complaint).first()
        if same is not None:
            return same
        hold = LegalHold.objects.create(
            referral=found.referral, case=found.case, person=found.person, learner=found.learner,
            reference=found.reference, kind=kind, reason=reason, ends_on=ends_on, placed_by=acting_user,
            placed_at=timezone.now(), complaint=complaint)
        details = {"on": _held_record(hold), "ends_on": ends_on.isoformat()}
        if complaint is not None:
            details["complaint"] = complaint.reference
        audit_event_record(action=AuditAction.CREATE, obj=hold,
                           changed_fields=["kind", "reason", "ends_on"], details=details)
    return hold


def _held_record(hold: LegalHold) -> str:
    if hold.referral_id:
        return f"referrals.referral:{hold.referral_id}"
    if hold.case_id:
        return f"channel.channelcase:{hold.case_id}"
    if hold.learner_id:
        return f"training.learner:{hold.learner_id}"
    return f"people.person:{hold.person_id}"


def legal_hold_lift(*, hold: LegalHold, reason: str, acting_user) -> LegalHold:
    """End a hold before its end date, saying why."""
    reason = _text(reason)
    errors = {}
    if not reason:
        errors["lift_reason"] = "Enter why the hold is no longer needed"
    elif len(reason) > REASON_MAX:
        errors["lift_reason"] = f"The reason must be {REASON_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.lifted_at is not None:
            raise ValidationError("This hold has already been lifted")
        if locked.ends_on < timezone.localdate():
            raise ValidationError("This hold has already ended")
        locked.lifted_by, locked.lifted_at, locked.lift_reason = acting_user, timezone.now(), reason
        locked.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked,
                           changed_fields=["lifted_by", "lifted_at", "lift_reason"],
                           details={"on": _held_record(locked)})
    return locked
