"""Synthetic venues and bookings for tests: obviously fictional names."""

import datetime

from django.utils import timezone

from prevent_hub.venues import services
from prevent_hub.venues.models import BookingConditions, Venue, VenueKind


def next_weekday(weekday: int = 2, *, weeks_ahead: int = 2) -> datetime.date:
    """A date `weeks_ahead` weeks from now falling on `weekday` (0 Monday)."""
    day = timezone.localdate() + datetime.timedelta(weeks=weeks_ahead)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def venue_with_room(*, acting_user, name="Testford Demo Library", room_name="Meeting Room A", capacity=40,
                    opens=datetime.time(9), closes=datetime.time(21)) -> tuple:
    """A venue open every day from `opens` to `closes`, with one room."""
    venue = Venue.objects.filter(name=name).first() or services.venue_create(
        name=name, kind=VenueKind.LIBRARY, address="1 Example Street, Testford, TE1 1ST",
        acting_user=acting_user)
    services.opening_hours_set(venue=venue, hours={day: (opens, closes) for day in range(7)},
                               acting_user=acting_user)
    room = services.room_create(venue=venue, name=room_name, capacity=capacity, acting_user=acting_user)
    return venue, room


def booking_details(room, **overrides) -> dict:
    details = {
        "room": room,
        "event_date": next_weekday(),
        "starts_at": datetime.time(18),
        "ends_at": datetime.time(20),
        "booker_name": "Alex Example-Booker",
        "booker_other_names": "",
        "booker_email": "alex.booker@example.org",
        "booker_phone": "01632 960 001",
        "booker_address": "2 Fictional Road, Testford, TE1 2AB",
        "organisation_name": "Testford Example Reading Circle",
        "booking_capacity": "own",
        "other_organisation_name": "",
        "website": "https://reading-circle.example.org",
        "charity_number": "1234567",
        "company_number": "",
        "equality_policy": "has_one",
        "title": "Poetry evening",
        "theme": "Local poets read their work",
        "agenda": "18:00 welcome; 18:15 readings; 19:30 questions",
        "expected_audience": 25,
        "audience_description": "Adults who enjoy poetry",
        "admission": "open",
        "promotion": "Posters in the library",
    }
    details.update(overrides)
    return details


SPEAKERS = [{"name": "Sam Example-Poet", "organisation": "Testford Writers", "topic": "New poems"}]


def booking_submitted(room, *, key="test-1", speakers=None, **overrides):
    booking, _created = services.booking_submit(
        details=booking_details(room, **overrides), speakers=SPEAKERS if speakers is None else speakers,
        conditions=BookingConditions.objects.order_by("-version").first(), submission_key=key)
    return booking


def checklist_completed(booking, *, acting_user, outcome="no_concerns"):
    """Every line of the checklist recorded."""
    booking.refresh_from_db()
    for subject, speaker, kind in checklist_lines(booking):
        services.check_record(booking=booking, subject=subject, speaker=speaker, kind=kind, outcome=outcome,
                              notes="Looked at the organisation's own website and two references.",
                              acting_user=acting_user)


def checklist_lines(booking):
    lines = [("booker", None, kind) for kind in services.CHECKS_FOR["booker"]]
    if booking.organisation_name:
        lines += [("organisation", None, kind) for kind in services.CHECKS_FOR["organisation"]]
    for speaker in booking.speakers.all():
        lines += [("speaker", speaker, kind) for kind in services.CHECKS_FOR["speaker"]]
    return lines


def officer(**kwargs):
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.VENUE_BOOKING_OFFICER], **kwargs)


def prevent_lead(**kwargs):
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.PREVENT_COORDINATOR], **kwargs)


def clause(booking, number="3"):
    return booking.conditions.clauses.get(number=number)


# Venues: administration, calendars and dashboard --------------------------------------


def matrix_venue(*, acting_user=None):
    """A venue with a room and a closure, made once per test (the URL × role
    matrix asks for it once per URL)."""
    from prevent_hub.venues.models import Closure

    acting_user = acting_user or officer()
    venue, room = Venue.objects.filter(name="Testford Matrix Hall").first(), None
    if venue is None:
        venue, room = venue_with_room(acting_user=acting_user, name="Testford Matrix Hall")
        services.closure_add(venue=venue, starts_on=next_weekday(4), ends_on=next_weekday(4),
                             reason="Fictional staff training day", acting_user=acting_user)
    room = room or venue.rooms.first()
    return venue, room, Closure.objects.filter(venue=venue).first()


def matrix_venue_kwargs(user):
    return {"pk": matrix_venue()[0].pk}


def matrix_room_kwargs(user):
    venue, room, _closure = matrix_venue()
    return {"pk": venue.pk, "room_pk": room.pk}


def matrix_closure_kwargs(user):
    venue, _room, closure = matrix_venue()
    return {"pk": venue.pk, "closure_pk": closure.pk}


def matrix_booking_kwargs(user):
    room = matrix_venue()[1]
    return {"reference": booking_submitted(room, key=f"matrix-{user.pk}").reference}
