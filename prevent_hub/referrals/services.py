"""Every change to a referral: receiving it, and what triage records about it.

Each service is one transaction with its audit event inside it; emails go
after commit. Views and the API call these and nothing else.
"""

import datetime
import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record, audit_events_record_many
from prevent_hub.core.addresses import normalise_postcode
from prevent_hub.core.names import neutralise_bidi
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import retain_until, retain_until_many

from .models import (
    GatewayOutcome,
    PoliceSharingMethod,
    Referral,
    ReferralAttachment,
    ReferralKind,
    ReferralName,
    ReferralStatus,
)
from .reporting import reporting_details_from_intake
from .signals import gateway_outcome_recorded
from .subject import subject_keys_set, subject_name_rows

# What someone raising a concern can tell us: the fields the intake forms and
# the API fill in. Everything else on a referral is written by triage.
# A referral that closes at the gateway is kept by these policies; one that
# goes to Channel is kept with its case.
RETENTION_ON_OUTCOME = {
    GatewayOutcome.NO_FURTHER_ACTION: RecordType.REFERRAL_CLOSED,
    GatewayOutcome.SIGNPOSTED: RecordType.REFERRAL_CLOSED,
    GatewayOutcome.POLICE_LED: RecordType.REFERRAL_POLICE_LED,
}

INTAKE_FIELDS = (
    "referrer_name", "referrer_role", "referrer_organisation", "referrer_email", "referrer_phone",
    "referrer_relationship", "dsl_consulted", "dsl_name", "dsl_contact",
    "subject_given_name", "subject_family_name", "subject_other_names", "subject_description",
    "subject_date_of_birth",
    "subject_approximate_age", "subject_gender", "subject_address", "subject_postcode",
    "subject_school_or_employer", "subject_language", "subject_interpreter_needed",
    "subject_nationality", "carer_name", "carer_relationship", "carer_phone", "carer_address",
    "subject_aware", "family_aware", "concern_description", "concern_when", "concern_how_noticed",
    "concern_prompts", "special_educational_needs", "mental_health_needs", "neurodiversity",
    "complex_needs_details", "other_agencies",
)


class SubmissionKeyReused(Exception):
    """A submission key already named a different submission."""


def submission_fingerprint(details: dict) -> str:
    """SHA-256 of `details` in a canonical form (keys sorted, values as text)."""
    canonical = json.dumps(details, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


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
    acknowledge: bool = True,
    also_tell: tuple[str, ...] = (),
    fingerprint: str = "",
) -> tuple[Referral, bool]:
    """Receive a referral. Returns (referral, created).

    `details` holds INTAKE_FIELDS values, already validated by the form or API
    schema; the model's own limits are checked again here. `submission_key`
    names this submission (a draft, or an API idempotency key): submitting the
    same key twice returns the referral made the first time, with created
    False, so a double click or a retried request never makes two referrals.
    `attachments` are ReferralAttachment rows already stored against a draft.
    `acknowledge=False` sends no acknowledgement email (loading demo data).
    `also_tell` names the routing rules (directory.RoutingRule keys) whose
    contacts the acknowledgement repeats: the other people the guided
    questions said to tell. Keys only, so nothing personal waits in the queue.
    `fingerprint` (submission_fingerprint) says what was sent: the same key
    with a different fingerprint raises SubmissionKeyReused and changes nothing.
    """
    existing = Referral.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if fingerprint and existing.submission_fingerprint != fingerprint:
            raise SubmissionKeyReused(submission_key)
        return existing, False
    # Names and text as they read: no controls that reorder what is shown.
    details = {field: neutralise_bidi(value) for field, value in details.items()}
    unknown = set(details) - set(INTAKE_FIELDS)
    if unknown:
        raise ValueError(f"Not intake fields: {', '.join(sorted(unknown))}")
    referral = Referral(
        kind=kind,
        status=ReferralStatus.NEW,
        received_at=timezone.now(),
        submission_key=submission_key,
        submission_fingerprint=fingerprint,
        submitted_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **details,
    )
    referral.subject_postcode = normalise_postcode(referral.subject_postcode or "")
    subject_keys_set(referral)
    organisation = getattr(referral.submitted_by, "organisation", None)
    reporting_details_from_intake(referral, organisation_type=getattr(organisation, "type", ""))
    referral.full_clean(exclude=["reference", "submission_key"])
    try:
        with transaction.atomic():
            # Unique placeholder until the row has the id the reference is made from.
            referral.reference = f"PENDING-{uuid.uuid4().hex[:12]}"
            referral.save()
            referral.reference = reference_for(referral)
            referral.save(update_fields=["reference"])
            ReferralName.objects.bulk_create(subject_name_rows(referral, model=ReferralName))
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
            if acknowledge and referral.referrer_email:
                transaction.on_commit(lambda: _acknowledge(referral.pk, also_tell))
    except IntegrityError:
        # The same submission arrived twice at once: the other one won.
        existing = Referral.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        if fingerprint and existing.submission_fingerprint != fingerprint:
            raise SubmissionKeyReused(submission_key) from None
        return existing, False
    return referral, True


def _acknowledge(referral_id: int, also_tell=()) -> None:
    from .tasks import referral_acknowledgement_send

    referral_acknowledgement_send.enqueue(referral_id=referral_id, also_tell=list(also_tell))


# Triage ----------------------------------------------------------------------
# What the Prevent team records about a referral once received: that it was
# shared with counter-terrorism police, and the police gateway outcome. Each
# step moves the referral on exactly once; a second attempt (a double click, a
# colleague at the same time) finds it already moved and changes nothing.


def _locked(referral: Referral) -> Referral:
    """The referral's row as it is now, locked until the transaction ends."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _when(value) -> str:
    from prevent_hub.core.formatting import govuk_date, govuk_datetime

    return govuk_datetime(value) if hasattr(value, "hour") else govuk_date(value)


def referral_share_with_police(*, referral: Referral, shared_at, method: str, notes: str = "",
                               acting_user) -> Referral:
    """Record when and how a new referral was shared with counter-terrorism
    police. It then waits for the police gateway outcome."""
    with transaction.atomic():
        current = _locked(referral)
        if current.status != ReferralStatus.NEW:
            raise ValidationError({"status": ValidationError(
                f"This referral was already shared with police on {_when(current.police_shared_at)}. "
                "Nothing has been changed", code="already_shared")})
        errors = {}
        if shared_at > timezone.now():
            errors["shared_at"] = "The date and time it was shared must be in the past"
        elif shared_at < current.received_at:
            errors["shared_at"] = (
                "The date and time it was shared must be after the referral was received "
                f"({_when(current.received_at)})")
        if method not in PoliceSharingMethod.values:
            errors["method"] = "Select how the referral was shared"
        if len(notes or "") > 2000:
            errors["notes"] = "Notes must be 2,000 characters or fewer"
        if errors:
            raise ValidationError(errors)
        current.police_shared_at = shared_at
        current.police_shared_method = method
        current.police_shared_notes = notes or ""
        current.police_shared_recorded_by = acting_user
        current.status = ReferralStatus.AWAITING_GATEWAY
        changed = ["police_shared_at", "police_shared_method", "police_shared_recorded_by", "status"]
        if notes:
            changed.append("police_shared_notes")
        current.save(update_fields=[*changed, "police_shared_notes"])
        audit_event_record(
            action=AuditAction.UPDATE, obj=current, changed_fields=changed,
            details={"reference": current.reference, "step": "shared_with_police",
                     "status": str(current.status)},
            actor=acting_user,
        )
    return current


def referral_gateway_outcome_record(*, referral: Referral, outcome: str, reasons: str, decided_on,
                                    signposted_to: str = "", acting_user) -> Referral:
    """Record the police gateway outcome: a named person's decision, with its
    reasons. For "proceed to Channel" the person must already be identified,
    and the Channel case is opened in the same transaction. A recorded outcome
    is never changed here."""
    with transaction.atomic():
        current = _locked(referral)
        if current.status == ReferralStatus.NEW:
            raise ValidationError({"status": ValidationError(
                "Record that this referral was shared with police before recording the gateway "
                "outcome", code="not_shared")})
        if current.status == ReferralStatus.DECIDED:
            raise ValidationError({"status": ValidationError(
                f"The gateway outcome was already recorded on {_when(current.gateway_recorded_at)}. "
                "It cannot be changed", code="already_decided")})
        reasons, signposted_to = (reasons or "").strip(), (signposted_to or "").strip()
        errors = {}
        if outcome not in GatewayOutcome.values:
            errors["outcome"] = ValidationError("Select the gateway outcome", code="required")
        elif outcome == GatewayOutcome.PROCEED_TO_CHANNEL and current.person_id is None:
            errors["outcome"] = ValidationError(
                "Identify the person before opening a Channel case", code="person_needed")
        if outcome == GatewayOutcome.SIGNPOSTED and not signposted_to:
            errors["signposted_to"] = "Enter the service the person was signposted to"
        if len(signposted_to) > 200:
            errors["signposted_to"] = "The service must be 200 characters or fewer"
        if not reasons:
            errors["reasons"] = "Enter the reasons for the outcome"
        elif len(reasons) > 5000:
            errors["reasons"] = "Reasons must be 5,000 characters or fewer"
        if decided_on is None:
            errors["decided_on"] = "Enter the date of the decision"
        elif decided_on > timezone.localdate():
            errors["decided_on"] = "The date of the decision must be today or in the past"
        elif decided_on < timezone.localtime(current.police_shared_at).date():
            errors["decided_on"] = (
                "The date of the decision must be on or after the date the referral was shared "
                f"with police ({_when(timezone.localtime(current.police_shared_at).date())})")
        if errors:
            raise ValidationError(errors)
        current.gateway_outcome = outcome
        current.gateway_signposted_to = signposted_to if outcome == GatewayOutcome.SIGNPOSTED else ""
        current.gateway_reasons = reasons
        current.gateway_decided_on = decided_on
        current.gateway_recorded_by = acting_user
        current.gateway_recorded_at = timezone.now()
        current.status = ReferralStatus.DECIDED
        changed = ["gateway_outcome", "gateway_reasons", "gateway_decided_on", "gateway_recorded_by",
                   "gateway_recorded_at", "status"]
        closes_as = RETENTION_ON_OUTCOME.get(outcome)
        if closes_as:
            current.retain_until, current.retention_policy = retain_until(closes_as, decided_on)
            changed += ["retain_until", "retention_policy"]
        if current.gateway_signposted_to:
            changed.append("gateway_signposted_to")
        current.save(update_fields=[*changed, "gateway_signposted_to"])
        audit_event_record(
            action=AuditAction.UPDATE, obj=current, changed_fields=changed,
            details={"reference": current.reference, "step": "gateway_outcome",
                     "status": str(current.status)},
            actor=acting_user,
        )
        # Channel opens the case here, in this transaction (channel.receivers).
        gateway_outcome_recorded.send(sender=Referral, referral=current, acting_user=acting_user)
    return current


# Importing from the council's earlier records ---------------------------------
# legacy_import checks a spreadsheet row by row; these write what it checked,
# many referrals at once, in the caller's transaction.

IMPORTED_DESCRIPTION = ("Imported from the council's earlier records: what happened is recorded there, "
                        "under the earlier reference.")
IMPORTED_REASONS = "Recorded in the council's earlier records (imported)."
IMPORTED_FIELDS = (
    "external_reference", "subject_given_name", "subject_family_name", "subject_date_of_birth",
    "subject_approximate_age", "subject_gender", "sector", "concern_type", "reported_gender", "ethnicity",
    "age_at_referral", "mental_health_or_neurodiversity", "gateway_outcome",
)
IMPORT_BATCH = 1000


# reference_for in SQL, so that thousands of imported referrals get their
# references in one UPDATE rather than one CASE arm each (tests check the two agree).
REFERENCE_SQL = Concat(
    Value("PRV-"), Cast(ExtractYear("received_at", tzinfo=datetime.UTC), CharField()), Value("-"),
    Case(When(pk__lt=1_000_000, then=LPad(Cast("pk", CharField()), 6, Value("0"))),
         default=Cast("pk", CharField())),
    output_field=CharField())


def _noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def referrals_import_many(*, referrals: list[dict], acting_user, details: dict | None = None
                          ) -> list[Referral]:
    """Create referrals brought from the council's earlier records, already
    checked (legacy_import): each dict holds `received_on` and IMPORTED_FIELDS
    (`gateway_outcome` a GatewayOutcome value or blank). Each is received at
    noon that day, marked imported by `acting_user`, and, with an outcome,
    decided on the day it was received (the earlier records rarely say when
    the police decided) and kept as the retention policy for that outcome says.
    Nobody is identified here (people.services.people_create_for_imported).
    Bulk inserts, one audit event per referral (field names only)."""
    now = timezone.now()
    made, policies = [], {}
    for row in referrals:
        outcome = row.get("gateway_outcome") or ""
        referral = Referral(
            kind=ReferralKind.PRACTITIONER,
            status=ReferralStatus.DECIDED if outcome else ReferralStatus.NEW,
            received_at=_noon(row["received_on"]),
            concern_description=IMPORTED_DESCRIPTION,
            imported_at=now, imported_by=acting_user,
            reference=f"IMP-{uuid.uuid4().hex[:16]}",
            **{field: row.get(field) for field in IMPORTED_FIELDS if row.get(field) is not None},
        )
        for field in ("subject_given_name", "subject_family_name"):
            setattr(referral, field, neutralise_bidi(getattr(referral, field)))
        if outcome:
            referral.gateway_reasons = IMPORTED_REASONS
            referral.gateway_decided_on = row["received_on"]
            referral.gateway_recorded_by = acting_user
            referral.gateway_recorded_at = now
            closes_as = RETENTION_ON_OUTCOME.get(outcome)
            if closes_as:
                if closes_as not in policies:
                    policies[closes_as] = retain_until_many(closes_as, [
                        each["received_on"] for each in referrals
                        if RETENTION_ON_OUTCOME.get(each.get("gateway_outcome") or "") == closes_as])
                referral.retain_until, referral.retention_policy = policies[closes_as][row["received_on"]]
        subject_keys_set(referral)
        made.append(referral)
    with transaction.atomic():
        made = Referral.objects.bulk_create(made, batch_size=IMPORT_BATCH)
        ids = [referral.pk for referral in made]
        for start in range(0, len(ids), IMPORT_BATCH):
            Referral.objects.filter(pk__in=ids[start:start + IMPORT_BATCH]).update(reference=REFERENCE_SQL)
        for referral in made:
            referral.reference = reference_for(referral)
        ReferralName.objects.bulk_create(
            [name for referral in made for name in subject_name_rows(referral, model=ReferralName)],
            batch_size=IMPORT_BATCH)
        audit_events_record_many([
            {"action": AuditAction.CREATE, "obj": referral,
             "changed_fields": [field for field in IMPORTED_FIELDS
                                if getattr(referral, field) not in ("", None)]
             + (["gateway_decided_on"] if referral.gateway_outcome else [])
             + (["retain_until"] if referral.retain_until else []),
             "details": {**(details or {}), "reference": referral.reference, "imported": True}}
            for referral in made], actor=acting_user)
    return made
