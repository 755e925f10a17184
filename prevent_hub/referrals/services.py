"""Every change to a referral: receiving it, and what triage records about it.

Each service is one transaction with its audit event inside it; emails go
after commit. Views and the API call these and nothing else.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import Referral, ReferralAttachment, ReferralKind, ReferralStatus

# What someone raising a concern can tell us: the fields the intake forms and
# the API fill in. Everything else on a referral is written by triage.
INTAKE_FIELDS = (
    "referrer_name", "referrer_role", "referrer_organisation", "referrer_email", "referrer_phone",
    "referrer_relationship", "dsl_consulted", "dsl_name", "dsl_contact",
    "subject_given_name", "subject_family_name", "subject_other_names", "subject_date_of_birth",
    "subject_approximate_age", "subject_gender", "subject_address", "subject_postcode",
    "subject_school_or_employer", "subject_language", "subject_interpreter_needed",
    "subject_nationality", "carer_name", "carer_relationship", "carer_phone", "carer_address",
    "subject_aware", "family_aware", "concern_description", "concern_when", "concern_how_noticed",
    "concern_prompts", "special_educational_needs", "mental_health_needs", "neurodiversity",
    "complex_needs_details", "other_agencies",
)


def normalise_postcode(value: str) -> str:
    return "".join(value.split()).upper()


def reference_for(referral: Referral) -> str:
    """PRV-<year received>-<number>: numbered from the row's own id, so issuing
    a reference never waits for another submission."""
    return f"PRV-{referral.received_at:%Y}-{referral.pk:06d}"


def referral_submit(
    *,
    kind: ReferralKind,
    details: dict,
    submission_key: str,
    acting_user=None,
    attachments=(),
) -> tuple[Referral, bool]:
    """Receive a referral. Returns (referral, created).

    `details` holds INTAKE_FIELDS values, already validated by the form or API
    schema; the model's own limits are checked again here. `submission_key`
    names this submission (a draft, or an API idempotency key): submitting the
    same key twice returns the referral made the first time, with created
    False, so a double click or a retried request never makes two referrals.
    `attachments` are ReferralAttachment rows already stored against a draft.
    """
    existing = Referral.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    unknown = set(details) - set(INTAKE_FIELDS)
    if unknown:
        raise ValueError(f"Not intake fields: {', '.join(sorted(unknown))}")
    referral = Referral(
        kind=kind,
        status=ReferralStatus.NEW,
        received_at=timezone.now(),
        submission_key=submission_key,
        submitted_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **details,
    )
    referral.subject_postcode = normalise_postcode(referral.subject_postcode or "")
    referral.full_clean(exclude=["reference", "submission_key"])
    try:
        with transaction.atomic():
            # Unique placeholder until the row has the id the reference is made from.
            referral.reference = f"PENDING-{uuid.uuid4().hex[:12]}"
            referral.save()
            referral.reference = reference_for(referral)
            referral.save(update_fields=["reference"])
            attachment_ids = [attachment.pk for attachment in attachments]
            if attachment_ids:
                ReferralAttachment.objects.filter(pk__in=attachment_ids).update(referral=referral, draft=None)
            audit_event_record(
                action=AuditAction.CREATE, obj=referral,
                changed_fields=[name for name, value in details.items() if value not in ("", None, [])],
                details={"kind": str(kind), "reference": referral.reference,
                         "attachments": len(attachment_ids)},
                actor=acting_user,
            )
            if referral.referrer_email:
                transaction.on_commit(lambda: _acknowledge(referral.pk))
    except IntegrityError:
        # The same submission arrived twice at once: the other one won.
        existing = Referral.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return referral, True


def _acknowledge(referral_id: int) -> None:
    from .tasks import referral_acknowledgement_send

    referral_acknowledgement_send.enqueue(referral_id=referral_id)

