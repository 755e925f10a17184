"""Venue bookings for partner systems (a council's room booking system, its
reporting): where each booking has got to, the checks made, the decision
and any appeal, and what changed after approval. Scoped by the same access
rules as the officers' pages (venue booking officers and the Prevent lead).

Who booked and the officers' notes are left out: a partner system needs the
outcome, not the personal details or the reasoning about individuals that
the council keeps on its own pages.
"""

import datetime

from django.db.models import Prefetch
from ninja import Path, Query, Router
from pydantic import BaseModel, Field

from prevent_hub.access import Action
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.venues.models import (
    AppealOutcome,
    BookingChange,
    BookingCheck,
    BookingDecision,
    BookingStatus,
    CheckKind,
    CheckSubject,
    DecisionOutcome,
)
from prevent_hub.venues.selectors import bookings_visible

from ..auth import requires
from ..models import ApiScope
from .listing import MAX_LIMIT, MAX_OFFSET, by_reference_or_404, refuse_unknown_parameters

router = Router(tags=["Venue bookings"])

EXAMPLE_REFERENCE = "VEN-2000-000123"


class CheckOut(BaseModel):
    subject: CheckSubject = Field(description="Whom the check is about: the booker, the organisation or a "
                                              "speaker.")
    checked: str = Field(description="What was checked, in words.", examples=["References taken"])
    check: CheckKind = Field(description="What was checked, as a code.")
    outcome: str = Field(description="What the officer found, in words.", examples=["Checked: no concerns"])
    recorded_on: datetime.date


class DecisionOut(BaseModel):
    outcome: DecisionOutcome
    conditions: list[str] = Field(description="Each condition set, in order; empty unless approved with "
                                              "conditions.")
    reasons: str
    clause: str | None = Field(description="The clause of the booking conditions relied on (number and "
                                           "heading); null for a plain approval.")
    decided_by: str = Field(description="The name of the person who decided.")
    decided_on: datetime.date
    reapproval: bool = Field(description="True for a decision on a booking changed after approval.")


class AppealOut(BaseModel):
    lodged_on: datetime.date
    outcome: AppealOutcome | None = Field(description="Null until the appeal is decided.")
    reasons: str = Field(description="The reasons for the appeal decision; empty until then.")
    decided_by: str | None = Field(description="Who decided the appeal (never whoever made the decision "
                                               "appealed); null until then.")
    decided_on: datetime.date | None


class FieldChangeOut(BaseModel):
    field: str
    label: str
    before: str
    after: str


class ChangeOut(BaseModel):
    changed_on: datetime.date
    fields: list[FieldChangeOut]


class VenueBookingOut(BaseModel):
    reference: str
    status: BookingStatus
    venue: str
    room: str
    event_date: datetime.date
    starts_at: str = Field(description="HH:MM, UK time.", examples=["18:00"])
    ends_at: str = Field(description="HH:MM, UK time.", examples=["20:00"])
    title: str = Field(description="The event's title.")
    received_at: datetime.datetime
    checks: list[CheckOut] = Field(description="The checklist as recorded so far.")
    decision: DecisionOut | None = Field(description="The decision in force; null until decided.")
    appeal: AppealOut | None = Field(description="The latest appeal; null if none.")
    changes: list[ChangeOut] = Field(description="What the booker changed after approval, oldest first.")
    retain_until: datetime.date | None = Field(description="When the booking is deleted (retention).")


class VenueBookingListOut(BaseModel):
    count: int = Field(description="How many bookings the account may see in all.")
    limit: int
    offset: int
    results: list[VenueBookingOut] = Field(description="Newest request first.")


def _bookings(user):
    """The bookings `user` may see with everything the answer needs, in a
    fixed number of queries however many bookings."""
    return (
        bookings_visible(user=user).select_related("venue", "room")
        .prefetch_related(
            Prefetch("checks", queryset=BookingCheck.objects.order_by("subject", "speaker__position",
                                                                      "kind")),
            Prefetch("decisions", queryset=BookingDecision.objects.select_related("clause", "decided_by")
                     .prefetch_related("conditions").order_by("decided_at", "pk")),
            Prefetch("appeals__decided_by"),
            Prefetch("changes", queryset=BookingChange.objects.filter(after_approval=True)
                     .order_by("changed_at", "pk")),
        )
        .order_by("-received_at", "-id")
    )


def _out(booking) -> VenueBookingOut:
    decisions = list(booking.decisions.all())
    decision = decisions[-1] if decisions else None
    appeals = list(booking.appeals.all())
    appeal = appeals[-1] if appeals else None
    return VenueBookingOut(
        reference=booking.reference, status=booking.status, venue=booking.venue.name, room=booking.room.name,
        event_date=booking.event_date, starts_at=f"{booking.starts_at:%H:%M}",
        ends_at=f"{booking.ends_at:%H:%M}", title=booking.title, received_at=booking.received_at,
        checks=[CheckOut(subject=line.subject, checked=line.get_kind_display(), check=line.kind,
                         outcome=line.get_outcome_display(), recorded_on=line.recorded_at.date())
                for line in booking.checks.all()],
        decision=DecisionOut(
            outcome=decision.outcome, conditions=[c.text for c in decision.conditions.all()],
            reasons=decision.reasons,
            clause=f"{decision.clause.number} {decision.clause.heading}" if decision.clause_id else None,
            decided_by=decision.decided_by.full_name, decided_on=decision.decided_on,
            reapproval=decision.reapproval,
        ) if decision else None,
        appeal=AppealOut(
            lodged_on=appeal.lodged_at.date(), outcome=appeal.outcome or None, reasons=appeal.reasons,
            decided_by=appeal.decided_by.full_name if appeal.decided_by_id else None,
            decided_on=appeal.decided_at.date() if appeal.decided_at else None,
        ) if appeal else None,
        changes=[ChangeOut(changed_on=change.changed_at.date(),
                           fields=[FieldChangeOut(**line) for line in change.changes])
                 for change in booking.changes.all()],
        retain_until=booking.retain_until,
    )


@router.get("", response={200: VenueBookingListOut}, url_name="venue-booking-list",
            summary="List venue bookings")
@requires(ApiScope.VENUES_READ, Action.VENUE_BOOKING_VIEW)
def venue_booking_list(
    request,
    limit: int = Query(25, ge=1, le=MAX_LIMIT,
                       description=f"How many bookings to return (1 to {MAX_LIMIT})."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="How many bookings to skip."),
):
    """The venue bookings the token's account may see, newest request
    first, a page at a time, each with its checks, decision, appeal and
    changes after approval."""
    refuse_unknown_parameters(request)
    bookings = _bookings(request.user)
    count = bookings.count()
    page = list(bookings[offset:offset + limit]) if offset < count else []
    audit_read(action=AuditAction.SEARCH, object_type="venues.venuebooking",
               details={"list": "venue bookings", "via": "api", "limit": limit, "offset": offset})
    return VenueBookingListOut(count=count, limit=limit, offset=offset, results=[_out(b) for b in page])


@router.get("/{reference}", response={200: VenueBookingOut}, url_name="venue-booking-detail",
            summary="Read a venue booking")
@requires(ApiScope.VENUES_READ, Action.VENUE_BOOKING_VIEW)
def venue_booking_detail(
    request,
    reference: str = Path(..., description="The booking's reference.", examples=[EXAMPLE_REFERENCE]),
):
    """Where a booking has got to: its status, the checks recorded, the
    decision (with conditions, reasons, the clause relied on and who
    decided), any appeal and what changed after approval."""
    booking = by_reference_or_404(_bookings(request.user), reference, user=request.user,
                                  action=Action.VENUE_BOOKING_VIEW)
    audit_view(booking)
    return _out(booking)
