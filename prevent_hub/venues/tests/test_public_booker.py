"""The booker's own pages, opened from the secret link: progress and the
decision, changing (after approval it goes back for re-approval, and the
page shows what changed), withdrawing, appealing in time and not after,
and "lost your link?", which answers the same whether or not it matched."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import services
from prevent_hub.venues.models import Appeal, BookingChange, BookingStatus, VenueBooking

from .factories import (
    booker_client,
    booking_submitted,
    decided,
    error_summary_text,
    main_text,
    next_weekday,
    officer,
    venue_with_room,
)

pytestmark = pytest.mark.django_db

YOUR_BOOKING = reverse("venue-hire:your-booking")


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer())[1]


@pytest.fixture
def booking(room):
    return booking_submitted(room)




def change_page(page):
    return reverse("venue-hire:change-page", kwargs={"page": page})


def when(day, starts="18:00", ends="20:00"):
    return {"event_date-day": str(day.day), "event_date-month": str(day.month),
            "event_date-year": str(day.year), "starts_at": starts, "ends_at": ends}


def test_the_emailed_link_opens_the_booking_page_and_the_session_remembers_it(
        room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_submitted(room)
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    client = Client()
    opened = client.get(link)
    assert opened.status_code == 302 and opened.url == YOUR_BOOKING
    page = main_text(client.get(YOUR_BOOKING))
    assert booking.reference in page
    assert "We have your request" in page and "Poetry evening" in page and "Sam Example-Poet" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(booking.pk),
                                     object_type="venues.venuebooking").exists()
    # Nobody else's session reaches it.
    stranger = Client().get(YOUR_BOOKING)
    assert stranger.status_code == 404 and booking.reference not in main_text(stranger)


def test_a_link_that_does_not_exist_is_a_404_that_says_nothing_about_bookings(booking):
    response = Client().get(reverse("venue-hire:booking", kwargs={"token": "x" * 43}))
    assert response.status_code == 404
    page = main_text(response)
    assert "This link is not valid" in page
    assert booking.reference not in page and "Poetry" not in page


def test_the_page_shows_the_decision_with_its_conditions_clause_and_decider_and_the_letters(booking):
    decider = officer(full_name="Robin Example-Officer")
    decided(booking, "approve_with_conditions", acting_user=decider,
            conditions=["A council officer attends", "Two stewards at the door"])
    services.letter_send(booking=booking, kind="approval_with_conditions", subject="Your booking: conditions",
                         body="Dear Alex,\nFictional letter.", acting_user=decider)
    page = main_text(booker_client(booking).get(YOUR_BOOKING))
    assert "approved with conditions" in page
    assert "A council officer attends" in page and "Two stewards at the door" in page
    assert "Fictional reasons for a test." in page
    clause = booking.conditions.clauses.get(number="3")
    assert f"Clause 3: {clause.heading}" in page
    assert "Robin Example-Officer" in page
    assert "Your booking: conditions" in page and "Fictional letter." in page
    assert "You can appeal until" in page


def test_a_change_after_approval_goes_back_for_reapproval_and_the_page_shows_what_changed(booking):
    decided(booking, "approve")
    client = booker_client(booking)
    summary = client.get(reverse("venue-hire:change"))
    assert "it will need to be approved again" in main_text(summary)

    later = next_weekday(3)
    assert client.post(change_page("date-and-time"), when(later, "10:00", "12:00")).url == \
        reverse("venue-hire:change")
    client.post(change_page("the-event"), {"title": "Poetry afternoon", "agenda": "10:00 readings",
                                            "expected_audience": "30", "audience_description": "Adults",
                                            "admission": "ticketed"})
    client.post(reverse("venue-hire:change-speaker-add"), {"name": "Jo Example", "topic": "Haiku"})
    preview = main_text(client.get(reverse("venue-hire:change")))
    assert "What you are changing" in preview and "Poetry afternoon" in preview and "10:00" in preview
    sent = client.post(reverse("venue-hire:change"))
    assert sent.url == YOUR_BOOKING

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL
    assert (booking.event_date, booking.starts_at, booking.title) == (later, datetime.time(10),
                                                                      "Poetry afternoon")
    assert [s.name for s in booking.speakers.all()] == ["Sam Example-Poet", "Jo Example"]
    change = BookingChange.objects.get(booking=booking)
    assert change.after_approval
    page = client.get(YOUR_BOOKING)
    shown = main_text(page)
    assert "needs to be approved again" in shown
    assert "What you changed" in shown and "after the booking was approved" in shown
    for row in change.changes:
        assert row["label"] in shown and row["after"].split("\n")[0] in shown
    assert "Poetry evening" in shown  # the title before
    assert "The decision before your change" in shown


def test_a_change_to_a_clashing_time_is_refused_with_the_free_slots(room, booking):
    other = booking_submitted(room, key="other", starts_at=datetime.time(10), ends_at=datetime.time(12))
    client = booker_client(booking)
    response = client.post(change_page("date-and-time"), when(other.event_date, "11:00", "13:00"))
    assert "already booked" in error_summary_text(response)
    # Free around the other booking; this booking's own time counts as free.
    assert "09:00 to 10:00" in main_text(response) and "12:00 to 21:00" in main_text(response)
    assert 'value="11:00"' in response.content.decode()
    # Its own time does not clash with itself.
    moved = client.post(change_page("date-and-time"), when(booking.event_date, "17:00", "20:00"))
    assert moved.status_code == 302


def test_a_change_that_changes_nothing_says_so(booking):
    client = booker_client(booking)
    response = client.post(reverse("venue-hire:change"))
    assert "You have not changed anything" in error_summary_text(response)
    assert not BookingChange.objects.exists()


def test_a_change_before_the_decision_keeps_the_status(booking):
    client = booker_client(booking)
    client.post(change_page("the-event"), {"title": "Renamed", "agenda": "Readings",
                                            "expected_audience": "20", "audience_description": "Adults",
                                            "admission": "open"})
    client.post(reverse("venue-hire:change"))
    booking.refresh_from_db()
    assert booking.title == "Renamed" and booking.status == BookingStatus.REQUESTED
    assert not BookingChange.objects.get().after_approval


def test_withdrawing_asks_first_then_frees_the_room(room, booking):
    client = booker_client(booking)
    confirm = client.get(reverse("venue-hire:withdraw"))
    assert "Are you sure you want to withdraw your booking?" in main_text(confirm)
    done = client.post(reverse("venue-hire:withdraw"), {"reason": "Event postponed"})
    assert done.url == YOUR_BOOKING
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WITHDRAWN and booking.end_reason == "Event postponed"
    page = main_text(client.get(YOUR_BOOKING))
    assert "You withdrew this booking" in page and "Withdraw your booking" not in page
    assert booking_submitted(room, key="after").event_date == booking.event_date
    assert client.get(reverse("venue-hire:withdraw")).url == YOUR_BOOKING


def test_an_appeal_in_time_is_sent(booking):
    decided(booking, "refuse")
    client = booker_client(booking)
    form = client.get(reverse("venue-hire:appeal"))
    assert f"You can appeal until {booking.__class__.objects.get().appeal_by:%-d %B %Y}" in main_text(form)
    empty = client.post(reverse("venue-hire:appeal"), {"grounds": ""})
    assert "Enter why you think the decision is wrong" in error_summary_text(empty)
    client.post(reverse("venue-hire:appeal"), {"grounds": "The speaker was confused with someone else."})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPEALED
    assert Appeal.objects.get().grounds == "The speaker was confused with someone else."
    page = main_text(client.get(YOUR_BOOKING))
    assert "You have appealed" in page and "Not decided yet" in page


def test_an_appeal_after_the_last_day_is_refused(booking):
    decided(booking, "refuse")
    VenueBooking.objects.filter(pk=booking.pk).update(appeal_by=datetime.date(2020, 1, 6))
    client = booker_client(booking)
    assert "The last day to appeal was 6 January 2020" in main_text(client.get(YOUR_BOOKING))
    assert "you can no longer appeal" in main_text(client.get(reverse("venue-hire:appeal")))
    late = client.post(reverse("venue-hire:appeal"), {"grounds": "Too late, but trying."})
    assert "The time to appeal this decision has passed" in error_summary_text(late)
    assert not Appeal.objects.exists()


def test_an_approved_booking_has_nothing_to_appeal(booking):
    decided(booking, "approve")
    client = booker_client(booking)
    assert "appeal" not in main_text(client.get(YOUR_BOOKING)).lower().replace("approved again", "")
    assert client.get(reverse("venue-hire:appeal")).url == YOUR_BOOKING


def test_lost_link_answers_the_same_whether_or_not_it_matched(booking, django_capture_on_commit_callbacks):
    url = reverse("venue-hire:lost-link")
    with django_capture_on_commit_callbacks(execute=True):
        matched = Client().post(url, {"reference": booking.reference.lower(),
                                      "email": "ALEX.BOOKER@example.org"})
        wrong_email = Client().post(url, {"reference": booking.reference, "email": "someone@example.org"})
        no_booking = Client().post(url, {"reference": "VEN-2026-999999", "email": "alex.booker@example.org"})
    assert matched.url == wrong_email.url == no_booking.url == reverse("venue-hire:lost-link-sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alex.booker@example.org"]
    assert booking.reference in mail.outbox[0].subject
    sent = Client().get(matched.url)
    assert "If the reference and email address you gave match a booking" in main_text(sent)


def test_a_new_link_shuts_out_sessions_that_used_the_old_one(booking, django_capture_on_commit_callbacks):
    old_session = booker_client(booking)
    assert old_session.get(YOUR_BOOKING).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("venue-hire:lost-link"), {"reference": booking.reference,
                                                         "email": "alex.booker@example.org"})
    assert old_session.get(YOUR_BOOKING).status_code == 404
    link = mail.outbox[-1].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    fresh = Client()
    fresh.get(link)
    assert booking.reference in main_text(fresh.get(YOUR_BOOKING))


def test_lost_link_refuses_a_malformed_reference_and_keeps_what_was_typed():
    response = Client().post(reverse("venue-hire:lost-link"), {"reference": "<b>VEN</b>", "email": "a@b"})
    assert "Enter the booking reference as it is written" in error_summary_text(response)
    assert "Enter the email address in the correct format" in error_summary_text(response)
    assert "&lt;b&gt;VEN&lt;/b&gt;" in response.content.decode()
