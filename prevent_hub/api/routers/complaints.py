"""Complaints for partner systems (the council's corporate complaints
system, its performance reporting): where each complaint has got to, its
deadlines in working days, the outcome, and when it was shared with consent.
Scoped by the same access rules as the officers' pages (complaints officers;
investigating officers see the complaints they investigate).

Nothing about the complainant or the person affected is here — no name,
contact detail, what happened or what they want — nor the organisation's
name: reporting needs the timeliness and the outcome, not who complained.
"""

import datetime

from ninja import Path, Query, Router
from pydantic import BaseModel, Field

from prevent_hub.access import Action
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.complaints.models import (
    Category,
    Consent,
    Finding,
    OrganisationKind,
    Recipient,
    Scope,
    Status,
)
from prevent_hub.complaints.selectors import complaints_visible

from ..auth import requires
from ..models import ApiScope
from .listing import MAX_LIMIT, MAX_OFFSET, by_reference_or_404, refuse_unknown_parameters

router = Router(tags=["Complaints"])

EXAMPLE_REFERENCE = "CMP-2000-000123"


class SharedOut(BaseModel):
    consent: Consent = Field(description="Whether the complainant agreed to the complaint being shared.")
    consent_given_on: datetime.date | None = Field(description="The day they agreed; null unless given.")
    shared_on: datetime.date | None = Field(description="The day it was sent; null if not (yet) shared.")


class SharedWithOut(BaseModel):
    organisation: SharedOut = Field(description="The organisation the complaint is about.")
    stacu: SharedOut = Field(description="The Home Office's Prevent Standards and Compliance Unit.")


class ComplaintOut(BaseModel):
    reference: str
    status: Status
    scope: Scope | None = Field(description="What the complaint is about; null until triaged.")
    category: Category | None = Field(description="Which part of the work it is about; null until triaged.")
    organisation: OrganisationKind = Field(description="The kind of organisation whose use of the duty is "
                                                       "complained about.")
    received_on: datetime.date
    acknowledge_by: datetime.date = Field(description="Received on plus the acknowledgement period, in "
                                                      "working days (England and Wales bank holidays "
                                                      "excluded).")
    respond_by: datetime.date = Field(description="Received on plus the response period, in working days.")
    acknowledged_on: datetime.date | None
    responded_on: datetime.date | None = Field(description="When the complainant was answered: the response, "
                                                           "or the letter passing the complaint on or "
                                                           "signposting it.")
    extended_to: datetime.date | None = Field(description="The response date after an extension; null if "
                                                          "none.")
    outcome: Finding | None = Field(description="The overall finding of an investigated complaint; null "
                                                "otherwise.")
    shared_with: SharedWithOut
    retain_until: datetime.date | None = Field(description="When the complaint is deleted (retention); null "
                                                           "while open.")


class ComplaintListOut(BaseModel):
    count: int = Field(description="How many complaints the account may see in all.")
    limit: int
    offset: int
    results: list[ComplaintOut] = Field(description="Newest complaint first.")


FIELDS = ("reference", "status", "scope", "category", "organisation_kind", "received_on", "acknowledge_by",
          "respond_by", "acknowledged_on", "responded_on", "extended_to", "outcome", "organisation_consent",
          "organisation_consent_on", "stacu_consent", "stacu_consent_on", "retain_until", "investigator_id")


def _complaints(user):
    """The complaints `user` may see, with only the fields the answer gives
    (nothing of the complainant is read), in a fixed number of queries."""
    return (complaints_visible(user=user).only(*FIELDS).prefetch_related("sharings")
            .order_by("-received_at", "-id"))


def _out(complaint) -> ComplaintOut:
    shared_on = {sharing.recipient: sharing.shared_on for sharing in complaint.sharings.all()}

    def shared(recipient, consent, given_on):
        return SharedOut(consent=consent, consent_given_on=given_on, shared_on=shared_on.get(recipient))

    return ComplaintOut(
        reference=complaint.reference, status=complaint.status, scope=complaint.scope or None,
        category=complaint.category or None, organisation=complaint.organisation_kind,
        received_on=complaint.received_on, acknowledge_by=complaint.acknowledge_by,
        respond_by=complaint.respond_by, acknowledged_on=complaint.acknowledged_on,
        responded_on=complaint.responded_on, extended_to=complaint.extended_to,
        outcome=complaint.outcome or None,
        shared_with=SharedWithOut(
            organisation=shared(Recipient.ORGANISATION, complaint.organisation_consent,
                                complaint.organisation_consent_on),
            stacu=shared(Recipient.STACU, complaint.stacu_consent, complaint.stacu_consent_on)),
        retain_until=complaint.retain_until,
    )


@router.get("", response={200: ComplaintListOut}, url_name="complaint-list", summary="List complaints")
@requires(ApiScope.COMPLAINTS_READ, Action.COMPLAINT_VIEW)
def complaint_list(
    request,
    limit: int = Query(25, ge=1, le=MAX_LIMIT,
                       description=f"How many complaints to return (1 to {MAX_LIMIT})."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="How many complaints to skip."),
):
    """The complaints the token's account may see, newest first, a page at a
    time, each with its deadlines, outcome and sharing."""
    refuse_unknown_parameters(request)
    complaints = _complaints(request.user)
    count = complaints.count()
    page = list(complaints[offset:offset + limit]) if offset < count else []
    audit_read(action=AuditAction.SEARCH, object_type="complaints.complaint",
               details={"list": "complaints", "via": "api", "limit": limit, "offset": offset})
    return ComplaintListOut(count=count, limit=limit, offset=offset, results=[_out(c) for c in page])


@router.get("/{reference}", response={200: ComplaintOut}, url_name="complaint-detail",
            summary="Read a complaint")
@requires(ApiScope.COMPLAINTS_READ, Action.COMPLAINT_VIEW)
def complaint_detail(
    request,
    reference: str = Path(..., description="The complaint's reference.", examples=[EXAMPLE_REFERENCE]),
):
    """Where a complaint has got to: its status and scope, its deadlines and
    when they were met, the outcome, and when it was shared with the
    organisation or StaCU and when the complainant agreed to that."""
    complaint = by_reference_or_404(_complaints(request.user), reference, user=request.user,
                                    action=Action.COMPLAINT_VIEW)
    audit_view(complaint)
    return _out(complaint)
