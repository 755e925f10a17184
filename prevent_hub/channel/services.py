"""Every change to a Channel case. Opening one is the first: it happens when
the police gateway decides a referral should proceed to Channel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import CaseStatus, ChannelCase


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
    return case
