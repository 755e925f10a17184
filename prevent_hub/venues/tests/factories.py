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


def pdf_upload(name="fictional-evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 fictional", "application/pdf")


def populated_booking(*, room=None):
    """A booking with a row of everything that hangs off one: a flyer, every
    check with evidence (a link and a file), an escalation with advice, a
    decision with conditions, an appeal decided, a change after approval
    and a letter."""
    from django.core.files.base import ContentFile

    from prevent_hub.venues.models import PromotionFile

    decider, lead = officer(), prevent_lead()
    room = room or venue_with_room(acting_user=decider)[1]
    booking = booking_submitted(room, key="populated")
    flyer = PromotionFile(booking=booking, original_name="flyer.pdf", content_type="application/pdf", size=18)
    flyer.file.save("flyer", ContentFile(b"%PDF-1.4 fictional"), save=True)
    checklist_completed(booking, acting_user=decider)
    line = booking.checks.first()
    services.check_evidence_add(check=line, description="The group's own website",
                                link="https://reading-circle.example.org", acting_user=decider)
    services.check_evidence_add(check=line, description="A reference letter", upload=pdf_upload(),
                                acting_user=decider)
    booking.refresh_from_db()
    escalation = services.booking_escalate(booking=booking, reason="To be sure", acting_user=decider)
    services.escalation_advise(escalation=escalation, advice="No concerns known", acting_user=lead)
    services.booking_decide(booking=booking, outcome="approve_with_conditions", reasons="Stewarding",
                            clause=clause(booking, "7"), conditions=["Two stewards"], acting_user=decider)
    appeal = services.appeal_lodge(booking=booking, grounds="We have one steward")
    services.appeal_decide(appeal=appeal, outcome="upheld", reasons="A small event", acting_user=lead)
    services.booking_change(booking=booking, details={"agenda": "A shorter agenda"},
                            speakers=[{"name": s.name, "organisation": s.organisation, "topic": s.topic}
                                      for s in booking.speakers.all()])
    services.letter_send(booking=booking, kind="appeal_upheld", subject="Your appeal", body="Upheld.",
                         acting_user=lead)
    booking.refresh_from_db()
    return booking


def booking_visible_to_anyone():
    """A booking at a fresh venue (whoever may see bookings sees it)."""
    from prevent_hub.venues.models import Venue

    number = Venue.objects.count() + 1
    room = venue_with_room(acting_user=officer(), name=f"Testford Matrix Hall {number}")[1]
    return booking_submitted(room, key=f"matrix-{number}")

# Venue bookings: the officer's workflow ----------------------------------------------------
# (bookings at every step, for the page tests and tests/test_url_role_matrix.py)

NOTES = "Read the organisation's own website and its last two newsletters (fictional notes)."


def booking_with_flyer(room, *, key, speakers=None, **overrides):
    """A submitted booking with one flyer, as the public request leaves it."""
    from prevent_hub.venues.models import BookingDraft

    draft = BookingDraft.objects.create(expires_at=services.draft_expiry())
    flyer = services.promotion_file_add(draft=draft, upload=pdf_upload("fictional-flyer.pdf"))
    booking, _created = services.booking_submit(
        details=booking_details(room, **overrides), speakers=SPEAKERS if speakers is None else speakers,
        conditions=BookingConditions.objects.order_by("-version").first(), submission_key=key, files=[flyer])
    return booking


def matrix_booking():
    """A new booking awaiting a decision, on a day of its own."""
    from prevent_hub.venues.models import Room, VenueBooking

    room = (Room.objects.filter(venue__name="Testford Matrix Centre").first()
            or venue_with_room(acting_user=officer(), name="Testford Matrix Centre")[1])
    count = VenueBooking.objects.count()
    return booking_with_flyer(room, key=f"matrix-{count}", event_date=next_weekday(weeks_ahead=2 + count))


def check_with_evidence(booking, *, acting_user):
    """The booker's public statements checked, with a link and a file kept."""
    check = services.check_record(booking=booking, subject="booker", kind="public_statements",
                                  outcome="no_concerns", notes=NOTES, acting_user=acting_user)
    services.check_evidence_add(check=check, description="Their own website", link="https://example.org/about",
                                acting_user=acting_user)
    evidence = services.check_evidence_add(check=check, description="A saved copy", upload=pdf_upload(),
                                           acting_user=acting_user)
    return check, evidence


def appealed(booking, *, decided_by):
    """Approved with conditions by `decided_by`, then appealed by the booker."""
    checklist_completed(booking, acting_user=decided_by)
    services.booking_decide(booking=booking, outcome="approve_with_conditions", reasons="Stewarding needed",
                            clause=clause(booking, "7"), conditions=["Two stewards at the door"],
                            acting_user=decided_by)
    return services.appeal_lodge(booking=booking, grounds="We are a small group and cannot find stewards")


def matrix_booking_kwargs(user) -> dict:
    return {"reference": matrix_booking().reference}


def matrix_check_kwargs(user) -> dict:
    booking = matrix_booking()
    check_with_evidence(booking, acting_user=officer())
    return {"reference": booking.reference, "line": "booker-public_statements"}


def matrix_file_kwargs(user) -> dict:
    booking = matrix_booking()
    return {"reference": booking.reference, "pk": booking.promotion_files.get().pk}


def matrix_evidence_kwargs(user) -> dict:
    booking = matrix_booking()
    _check, evidence = check_with_evidence(booking, acting_user=officer())
    return {"reference": booking.reference, "pk": evidence.pk}


def matrix_escalation_kwargs(user) -> dict:
    booking = matrix_booking()
    escalation = services.booking_escalate(booking=booking, reason="A speaker's statements (fictional)",
                                           acting_user=officer())
    return {"reference": booking.reference, "pk": escalation.pk}


def matrix_appeal_kwargs(user) -> dict:
    """An appeal against someone else's decision."""
    booking = matrix_booking()
    return {"reference": booking.reference, "pk": appealed(booking, decided_by=officer()).pk}


def matrix_letter_kind_kwargs(user) -> dict:
    return {"reference": matrix_booking().reference, "kind": "approval"}


def matrix_letter_kwargs(user) -> dict:
    booking = matrix_booking()
    letter = services.letter_send(booking=booking, kind="approval", subject="Fictional letter",
                                  body="Dear Alex\n\nA fictional letter.", acting_user=officer())
    return {"reference": booking.reference, "pk": letter.pk}

# The public booking request, through the test client -----------------------------------

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main_text(response) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html5lib").find("main").get_text(" ", strip=True)


def error_summary_text(response) -> str:
    from bs4 import BeautifulSoup

    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def request_answers(room, *, day=None, **overrides) -> dict:
    """What a booker posts on each question page (page slug → POST data)."""
    day = day or next_weekday()
    answers = {
        "venue-and-room": {"room": str(room.pk)},
        "date-and-time": {"event_date-day": str(day.day), "event_date-month": str(day.month),
                          "event_date-year": str(day.year), "starts_at": "18:00", "ends_at": "20:00"},
        "about-you": {"booker_name": "Alex Example-Booker", "booker_other_names": "Alex Booker",
                      "booker_email": "alex.booker@example.org", "booker_phone": "01632 960 001",
                      "booker_address": "2 Fictional Road, Testford, TE1 2AB"},
        "your-organisation": {"organisation_name": "Testford Example Reading Circle",
                              "booking_capacity": "own", "website": "reading-circle.example.org",
                              "charity_number": "1234567", "equality_policy": "has_one"},
        "the-event": {"title": "Poetry evening", "theme": "Local poets",
                      "agenda": "18:00 welcome; 18:15 readings", "expected_audience": "25",
                      "audience_description": "Adults who enjoy poetry",
                      "admission": "open"},
        "promotion": {"promotion": "Posters in the library"},
    }
    for page, values in overrides.items():
        answers[page] = {**answers[page], **values}
    return answers


def request_page_url(page, **query):
    from django.urls import reverse

    url = reverse("venue-hire:request-page", kwargs={"page": page})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def request_post(client, page, answers=None, *, action="continue", **extra):
    return client.post(request_page_url(page), {**(answers or {}), "action": action, **extra})


def request_fill(client, answers, *, until=None):
    """Answer each question page in order (stopping before `until`). Returns the last response."""
    response = None
    for page, page_answers in answers.items():
        if page == until:
            break
        response = request_post(client, page, page_answers)
        assert response.status_code == 302, (page, response.content.decode()[:3000])
    return response


def request_finish(client, *, speakers=()):
    """After the question pages: no files, the speakers, the conditions accepted."""
    from django.urls import reverse

    from prevent_hub.venues.selectors import conditions_current

    request_post(client, "promotion-files")
    for speaker in speakers:
        client.post(reverse("venue-hire:request-speaker-add"), speaker)
    request_post(client, "speakers", {"add": "no"})
    return request_post(client, "booking-conditions", {"accept": "true",
                                                       "version": str(conditions_current().version)})


def request_draft(client):
    from prevent_hub.venues.models import BookingDraft

    return BookingDraft.objects.get(pk=client.session["venue_hire"]["draft"])


def request_send(client, draft_id=None):
    from django.urls import reverse

    draft_id = draft_id or client.session["venue_hire"]["draft"]
    return client.post(reverse("venue-hire:request-check"), {"draft": str(draft_id)})


def decided(booking, outcome, *, acting_user=None, conditions=()):
    """The booking checked and decided by an officer (a refusal and
    conditions cite clause 3)."""
    from prevent_hub.venues import services as venue_services

    acting_user = acting_user or officer(full_name="Robin Example-Officer")
    checklist_completed(booking, acting_user=acting_user)
    return venue_services.booking_decide(
        booking=booking, outcome=outcome, reasons="Fictional reasons for a test.",
        clause=None if outcome == "approve" else clause(booking), conditions=list(conditions),
        acting_user=acting_user)


def booker_client(booking):
    """A test client holding the booker's secret link, as after clicking it."""
    from django.test import Client
    from django.urls import reverse

    from prevent_hub.venues.services import booking_link_issue

    _booking, token = booking_link_issue(booking_id=booking.pk)
    client = Client()
    client.get(reverse("venue-hire:booking", kwargs={"token": token}))
    return client


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


