"""The venues demo: two venues, and a booking in every status, made through
the services."""

import pytest
from django.core.management import call_command

from prevent_hub.audit.models import AuditEvent
from prevent_hub.venues.models import BookingStatus, Venue, VenueBooking


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_the_demo_has_two_venues_and_a_booking_in_every_status(demo):
    assert Venue.objects.count() == 2
    bookings = VenueBooking.objects.all()
    assert set(bookings.values_list("status", flat=True)) == set(BookingStatus.values)
    assert set(bookings.values_list("venue__name", flat=True)) == set(Venue.objects.values_list("name",
                                                                                                flat=True))
    appealed = bookings.get(status=BookingStatus.APPEAL_UPHELD)
    appeal = appealed.appeals.get()
    assert appeal.decided_by != appeal.decision.decided_by
    changed = bookings.get(status=BookingStatus.CHANGED_AWAITING_REAPPROVAL)
    assert {line["field"] for line in changed.changes.get().changes} == {"agenda", "speakers"}
    escalated = bookings.get(status=BookingStatus.ESCALATED)
    assert escalated.escalations.get().advice
    # Made through the services: each booking's creation is in the audit trail.
    assert AuditEvent.objects.filter(object_type="venues.venuebooking", action="create").count() == 12
