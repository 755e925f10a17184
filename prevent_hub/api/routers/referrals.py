"""Referrals from partner systems: submit one, then follow where it got to."""

import uuid

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Header, Path, Router
from ninja.responses import Status

from prevent_hub.access import Action, can
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_permission_denied, audit_read, audit_refusal, audit_view
from prevent_hub.referrals.models import Referral, ReferralKind
from prevent_hub.referrals.selectors import referral_get, referrals_earlier_for_same_person
from prevent_hub.referrals.services import SubmissionKeyReused, referral_submit, submission_fingerprint

from .. import selectors
from ..auth import requires
from ..models import ApiScope
from ..problems import IDEMPOTENCY_KEY_REUSED, problem
from ..schemas import GatewayOutcomeOut, ReferralCreated, ReferralIn, ReferralOut

router = Router(tags=["Referrals"])

IDEMPOTENCY_KEY_PATTERN = "^[!-~]{1,100}$"
REFERENCE_MAX = Referral._meta.get_field("reference").max_length


@router.post(
    "",
    response={201: ReferralCreated, 200: ReferralCreated},
    url_name="referral-submit",
    summary="Submit a referral",
    openapi_extra={"responses": {
        201: {"description": "Received. `Location` is where to follow it.",
              "headers": {"Location": {"required": True, "schema": {"type": "string"}}}},
        200: {"description": "Already received with this Idempotency-Key: the same reference again.",
              "headers": {"Location": {"required": True, "schema": {"type": "string"}}}},
        409: {"description": "This Idempotency-Key was used for a different request body.",
              "content": {"application/problem+json": {}}},
    }},
)
@requires(ApiScope.REFERRALS_SUBMIT, Action.REFERRAL_SUBMIT)
def referral_create(
    request,
    response: HttpResponse,
    payload: ReferralIn,
    idempotency_key: str = Header(
        None, alias="Idempotency-Key", min_length=1, max_length=100, pattern=IDEMPOTENCY_KEY_PATTERN,
        description=(
            "Up to 100 visible ASCII characters naming this submission. Sending the same key "
            "again (with the same token and body) returns the referral made the first time, with "
            "200, instead of making another: retry safely after a timeout. The same key with a "
            "different body is refused with 409."
        ),
    ),
):
    """Send a referral, as a practitioner would on the referral form. The
    reply gives its reference; keep it to follow the referral."""
    token = request.api_token
    key = idempotency_key or uuid.uuid4().hex
    details = payload.intake_details()
    try:
        referral, created = referral_submit(
            kind=ReferralKind.PARTNER_API, details=details, submission_key=f"api:{token.pk}:{key}",
            acting_user=request.user, fingerprint=submission_fingerprint(details),
        )
    except SubmissionKeyReused:
        return problem(request, IDEMPOTENCY_KEY_REUSED,
                       "This Idempotency-Key was used for a different referral. Nothing was received: "
                       "send a new key for a new referral, or the same body to retry the first.")
    if not created:
        # A retry: nothing new was written, but the token learnt a reference.
        audit_read(action=AuditAction.VIEW, obj=referral,
                   details={"reference": referral.reference, "replay": True})
    response["Location"] = reverse("api:v1:referral-detail", kwargs={"reference": referral.reference})
    return Status(201 if created else 200, {"reference": referral.reference})


@router.get(
    "/{reference}",
    response={200: ReferralOut},
    url_name="referral-detail",
    summary="Follow a referral",
)
@requires(ApiScope.REFERRALS_READ, Action.REFERRAL_VIEW)
def referral_detail(
    request,
    reference: str = Path(..., description="The referral's reference.", examples=["PRV-2000-000123"]),
):
    """Where a referral has got to: its status, the police gateway outcome,
    the person record and earlier referrals about the same person."""
    referral = referral_get(user=request.user, reference=reference) if _plausible(reference) else None
    if referral is None or not can(request.user, Action.REFERRAL_VIEW, referral):
        _record_refused_look_up(reference)
        raise Http404("No such referral")
    earlier = referrals_earlier_for_same_person(user=request.user, referral=referral)
    audit_view(referral)
    gateway = None
    if referral.gateway_outcome:
        gateway = GatewayOutcomeOut(
            outcome=referral.gateway_outcome, signposted_to=referral.gateway_signposted_to,
            decided_on=referral.gateway_decided_on, recorded_at=referral.gateway_recorded_at,
        )
    return ReferralOut(
        reference=referral.reference,
        kind=referral.kind,
        status=referral.status,
        received_at=referral.received_at,
        gateway_outcome=gateway,
        person_id=referral.person_id,
        previous_referrals=[earlier_referral.reference for earlier_referral in earlier],
        channel_case_id=selectors.channel_case_id_for(user=request.user, referral=referral),
        retain_until=referral.retain_until,
    )


def _plausible(reference: str) -> bool:
    """Could be a reference (so worth a query: PostgreSQL refuses NUL)."""
    return len(reference) <= REFERENCE_MAX and "\x00" not in reference


def _record_refused_look_up(reference):
    """A reference that does not exist, or one this account may not see: the
    same 404 either way, but the trail tells them apart."""
    referral_id = selectors.referral_exists_unseen(reference=reference) if _plausible(reference) else None
    if referral_id is None:
        # Flood-controlled, like every refused look-up: a client trying
        # references one after another costs the trail an event a minute.
        audit_refusal(status=404, object_type="referrals.referral",
                      details={"reference": reference.replace("\x00", "")[:REFERENCE_MAX], "found": False})
    else:
        audit_permission_denied(action=Action.REFERRAL_VIEW, obj=Referral(pk=referral_id))
