"""Reading venue bookings, always through `access` (venue booking officers
and the Prevent lead see them; nobody else does)."""

from prevent_hub.access import scope

from .models import BookingConditions, VenueBooking


def bookings_visible(*, user):
    return scope(user, VenueBooking.objects.all())


def booking_for(*, user, reference: str) -> VenueBooking | None:
    """The booking with `reference` if `user` may see it, else None (the
    caller answers 404 and audits the read)."""
    return (bookings_visible(user=user).filter(reference=reference)
            .select_related("room", "venue", "conditions").first())


def conditions_current() -> BookingConditions | None:
    """The version of the booking conditions new requests accept."""
    return BookingConditions.objects.order_by("-version").prefetch_related("clauses").first()
