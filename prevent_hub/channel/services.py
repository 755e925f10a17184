"""Every change to a Channel case. Opening one is the first: it happens when
the police gateway decides a referral should proceed to Channel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from . import lifecycle
from .chronology import chronology_record
from .models import CaseStatus, CaseTransition, ChannelCase, ChronologyKind


def case_reference_for(case: ChannelCase) -> str:
    """CH-<year opened>-<number>: numbered from the row's own id, as referral
    references are, so issuing one never waits for another case."""
    return f"CH-{timezone.localtime(case.opened_at):%Y}-{case.pk:06d}"


def case_open_from_referral(*, referral, acting_user) -> ChannelCase:
    """Open the Channel case for `referral` (whose person has been identified).

    Runs in the caller's transaction (the gateway outcome's), so the outcome
    and the case are recorded together or not at all.
    """
    if referral.person_id is None:
        raise ValidationError(
            {"person": "Identify the person before opening a Channel case"}, code="person_needed")
    if ChannelCase.objects.filter(referral=referral).exists():
        raise ValidationError(
            {"referral": "A Channel case is already open for this referral"}, code="case_exists")
    with transaction.atomic():
        case = ChannelCase(
            person_id=referral.person_id,
            referral=referral,
            status=CaseStatus.SCREENING,
            opened_at=timezone.now(),
            opened_by=acting_user,
        )
        # Unique placeholder until the row has the id the reference is made from.
        case.reference = f"PENDING-{referral.pk}"
        case.save()
        case.reference = case_reference_for(case)
        case.save(update_fields=["reference"])
        audit_event_record(
            action=AuditAction.CREATE, obj=case,
            changed_fields=["person", "referral", "status", "opened_at", "opened_by"],
            details={"reference": case.reference, "referral": referral.reference},
            actor=acting_user,
        )
        chronology_record(
            case=case, person_id=case.person_id, kind=ChronologyKind.DECISION, obj=referral,
            summary=f"Gateway outcome: proceed to Channel. Case {case.reference} opened "
                    f"from referral {referral.reference}",
            recorded_by=acting_user,
        )
    return case


def case_transition(*, case: ChannelCase, to_status: CaseStatus, reasons: str, acting_user,
                    changes: dict | None = None, summary: str = "") -> ChannelCase:
    """Move `case` to `to_status`, if the lifecycle allows it, with `changes`
    (other case fields set in the same move). Records who, when and why
    (CaseTransition), a timeline entry and an audit event, in one transaction.

    Raises ValidationError (on "status") for a move the lifecycle forbids, and
    (on "reasons") for closing without reasons. Services for particular
    decisions (adopt, consent, exit, close...) check their own rules and then
    call this; nothing else changes a case's status.
    """
    changes = dict(changes or {})
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if not lifecycle.is_allowed(locked.status, to_status):
            raise ValidationError({"status": lifecycle.refusal_message(locked.status, to_status)},
                                  code="transition_not_allowed")
        reasons = (reasons or "").strip()
        if to_status == CaseStatus.CLOSED and not reasons:
            raise ValidationError({"reasons": "Enter the reasons for closing the case"},
                                  code="reasons_needed")
        now = timezone.now()
        from_status = locked.status
        locked.status = to_status
        locked.status_changed_at = now
        if to_status == CaseStatus.CLOSED:
            changes.setdefault("closed_at", now)
            changes.setdefault("closure_details", reasons)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean(exclude=["referral", "person", "opened_by"])
        locked.save()
        transition = CaseTransition.objects.create(
            case=locked, from_status=from_status, to_status=to_status, occurred_at=now,
            by=acting_user, reasons=reasons,
        )
        chronology_record(
            case=locked, person_id=locked.person_id, kind=ChronologyKind.STATUS, obj=transition,
            summary=summary or f"{CaseStatus(from_status).label} → {CaseStatus(to_status).label}",
            recorded_by=acting_user, occurred_at=now,
        )
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked,
            changed_fields=["status", "status_changed_at", *changes],
            details={"from": str(from_status), "to": str(to_status)},
            actor=acting_user,
        )
    case.refresh_from_db()
    return case
