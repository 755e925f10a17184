"""The public booking request, as a booker goes through it with a plain
client: every page, check your answers, send, the reference; save and come
back by the emailed link; a clash, a closed day and too many people refused
with what was typed kept; the booking conditions accepted by version;
speakers, files and a double send."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import drafts, services
from prevent_hub.venues.models import BookingDraft, BookingStatus, PromotionFile, VenueBooking
from prevent_hub.venues.selectors import conditions_current
from prevent_hub.venues.tasks import booking_drafts_expire_task

from .factories import (
    TINY_PDF,
    booking_submitted,
    error_summary_text,
    main_text,
    next_weekday,
    officer,
    request_answers,
    request_draft,
    request_fill,
    request_finish,
    request_page_url,
    request_post,
    request_send,
    venue_with_room,
)

pytestmark = pytest.mark.django_db

SPEAKER = {"name": "Sam Example-Poet", "organisation": "Testford Writers", "topic": "New poems"}


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer())[1]




def link_in(email) -> str:
    return email.body.split("http://127.0.0.1:8000", 1)[1].split()[0]


def test_a_booker_asks_to_book_and_gets_a_reference_and_an_email(room, django_capture_on_commit_callbacks):
    client = Client()
    start = client.get(reverse("venue-hire:request-start"))
    assert "never searches, scrapes or scores" in main_text(start)
    assert reverse("venue-hire:conditions") in start.content.decode()
    request_fill(client, request_answers(room))
    request_finish(client, speakers=[SPEAKER])

    check = client.get(reverse("venue-hire:request-check"))
    page = main_text(check)
    for shown in ("Meeting Room A, Testford Demo Library", "18:00", "Alex Example-Booker",
                  "https://reading-circle.example.org", "25 people", "Open to anyone",
                  "Sam Example-Poet (Testford Writers): New poems", "Version 1 accepted"):
        assert shown in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = request_send(client)

    booking = VenueBooking.objects.get()
    assert sent.status_code == 302
    confirmation = client.get(sent.url)
    assert booking.reference in confirmation.content.decode()
    assert "govuk-panel--confirmation" in confirmation.content.decode()
    assert "alex.booker@example.org" in main_text(confirmation)
    assert booking.status == BookingStatus.REQUESTED
    assert (booking.title, booking.expected_audience, booking.booker_other_names) == ("Poetry evening", 25,
                                                                                      "Alex Booker")
    assert [speaker.name for speaker in booking.speakers.all()] == ["Sam Example-Poet"]
    assert not BookingDraft.objects.exists()
    assert len(mail.outbox) == 1 and booking.reference in mail.outbox[0].subject
    assert "/venue-hire/booking/" in mail.outbox[0].body


def test_each_change_link_on_check_your_answers_comes_back_to_it(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_finish(client)
    response = request_post(client, "the-event", {**request_answers(room)["the-event"], "title": "Poems",
                                                   "from": "check"})
    assert response.url == reverse("venue-hire:request-check")
    assert "Poems" in main_text(client.get(reverse("venue-hire:request-check")))


def test_sending_twice_makes_one_booking(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_finish(client)
    draft_id = request_draft(client).pk
    first = request_send(client, draft_id)
    again = request_send(client, draft_id)
    assert VenueBooking.objects.count() == 1
    assert first.url == again.url == reverse("venue-hire:request-submitted")
    assert VenueBooking.objects.get().reference in client.get(again.url).content.decode()


def test_a_draft_of_another_session_cannot_be_sent_or_read_by_its_id(room):
    owner, stranger = Client(), Client()
    request_fill(owner, request_answers(room))
    request_finish(owner)
    draft_id = request_draft(owner).pk
    response = request_send(stranger, draft_id)
    assert response.status_code == 302 and response.url == reverse("venue-hire:request-start")
    assert not VenueBooking.objects.exists()
    elsewhere = stranger.get(reverse("venue-hire:request-check"), follow=True)
    assert "Alex Example-Booker" not in main_text(elsewhere)


def test_save_and_come_back_by_the_emailed_link_which_works_once(room, django_capture_on_commit_callbacks):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until="your-organisation")
    saved = request_post(client, "your-organisation", {"organisation_name": "Half typed"}, action="save")
    assert saved.url == reverse("venue-hire:request-save")
    form = client.get(saved.url)
    assert 'value="alex.booker@example.org"' in form.content.decode()  # offered from "about you"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("venue-hire:request-save"), {"email": "alex.booker@example.org"})
    assert len(mail.outbox) == 1
    assert "Alex" not in mail.outbox[0].body and "Testford" not in mail.outbox[0].body
    link = link_in(mail.outbox[0])

    later = Client()  # another day, another browser
    with django_capture_on_commit_callbacks(execute=True):
        resumed = later.get(link)
    assert resumed.url == request_page_url("your-organisation")  # the first page not finished
    assert 'value="Half typed"' in later.get(resumed.url).content.decode()
    assert len(mail.outbox) == 2  # a fresh link, as the one used is spent
    assert Client().get(link).status_code == 404

    request_fill(later, {page: answers[page] for page in list(answers)[3:]})
    request_finish(later)
    request_send(later)
    assert VenueBooking.objects.get().organisation_name == "Testford Example Reading Circle"


def test_a_link_that_does_not_exist_says_so_and_nothing_else():
    response = Client().get(reverse("venue-hire:request-resume", kwargs={"token": "no-such-token"}))
    assert response.status_code == 404
    assert "This link has expired or is not valid" in main_text(response)
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()


def test_a_clash_is_refused_with_the_free_slots_and_what_was_typed_is_kept(room):
    taken = booking_submitted(room, starts_at=datetime.time(18), ends_at=datetime.time(20))
    client = Client()
    answers = request_answers(room, day=taken.event_date)
    request_fill(client, answers, until="date-and-time")
    response = request_post(client, "date-and-time", {**answers["date-and-time"], "starts_at": "19:00",
                                                      "ends_at": "21:00"})
    assert response.status_code == 200
    assert "already booked for part of that time" in error_summary_text(response)
    page = main_text(response)
    assert "When the room is free" in page
    assert "09:00 to 18:00" in page and "20:00 to 21:00" in page
    next_day = taken.event_date + datetime.timedelta(days=1)
    assert f"{next_day:%A} {next_day.day} {next_day:%B}" in page
    content = response.content.decode()
    assert 'value="19:00"' in content and 'value="21:00"' in content
    assert f'value="{taken.event_date.day}"' in content
    # Another time the same day goes through.
    fine = request_post(client, "date-and-time", {**answers["date-and-time"], "starts_at": "09:00",
                                                  "ends_at": "11:00"})
    assert fine.status_code == 302


def test_a_clash_made_meanwhile_is_refused_on_sending_and_the_answers_kept(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_finish(client)
    booking_submitted(room, key="someone-else")  # the same evening, booked first
    response = request_send(client)
    assert response.status_code == 200
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    assert "already booked" in summary.get_text()
    assert summary.find("a")["href"].startswith(request_page_url("date-and-time", **{"from": "check"}))
    assert VenueBooking.objects.count() == 1 and request_draft(client).data["title"] == "Poetry evening"


def test_a_closed_day_is_refused(room):
    services.closure_add(venue=room.venue, starts_on=next_weekday(), ends_on=next_weekday(),
                         reason="Staff training", acting_user=officer())
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until="date-and-time")
    response = request_post(client, "date-and-time", answers["date-and-time"])
    assert "closed on" in error_summary_text(response) and "Staff training" in error_summary_text(response)
    assert "cannot be booked at any time" in main_text(response)
    assert "Other days with free time" in main_text(response)


def test_times_outside_the_opening_hours_and_backwards_are_refused(room):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until="date-and-time")
    late = request_post(client, "date-and-time", {**answers["date-and-time"], "ends_at": "23:00"})
    assert "open from 09:00 to 21:00" in error_summary_text(late)
    backwards = request_post(client, "date-and-time", {**answers["date-and-time"], "starts_at": "20:00",
                                                       "ends_at": "18:00"})
    assert "The end time must be after the start time" in error_summary_text(backwards)


def test_more_people_than_the_room_holds_is_refused(room):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until="the-event")
    response = request_post(client, "the-event", {**answers["the-event"], "expected_audience": "41"})
    assert "holds up to 40 people" in error_summary_text(response)
    assert 'value="41"' in response.content.decode()


def test_only_rooms_still_offered_can_be_chosen(room):
    closed = services.room_create(venue=room.venue, name="Old Hall", capacity=80, acting_user=officer())
    services.room_update(room=closed, name="Old Hall", capacity=80, active=False, acting_user=officer())
    client = Client()
    page = client.get(request_page_url("venue-and-room"))
    assert "Meeting Room A" in main_text(page) and "Old Hall" not in main_text(page)
    assert "Holds up to 40 people" in main_text(page)
    response = request_post(client, "venue-and-room", {"room": str(closed.pk)})
    assert "Select one of the rooms listed" in error_summary_text(response)


def test_the_accepted_version_of_the_conditions_is_recorded_and_a_new_one_must_be_accepted(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_finish(client)
    page = client.get(request_page_url("booking-conditions"))
    assert "Version 1" in main_text(page)
    services.conditions_publish(introduction="New", clauses=[("1", "Fictional clause", "Text.")],
                                change_summary="A made-up change.", acting_user=officer())

    refused = request_send(client)
    assert "The booking conditions have changed since you accepted them" in error_summary_text(refused)
    shown = client.get(request_page_url("booking-conditions"))
    assert "Version 2" in main_text(shown) and "A made-up change." in main_text(shown)
    stale = request_post(client, "booking-conditions", {"accept": "true", "version": "1"})
    assert "changed while you were reading them" in error_summary_text(stale)
    request_post(client, "booking-conditions", {"accept": "true", "version": "2"})
    request_send(client)
    booking = VenueBooking.objects.get()
    assert booking.conditions.version == 2 and booking.conditions_accepted_at is not None


def test_the_conditions_must_be_accepted(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_post(client, "promotion-files")
    request_post(client, "speakers", {"add": "no"})
    response = request_post(client, "booking-conditions", {"version": str(conditions_current().version)})
    assert "Confirm that you have read and accept the booking conditions" in error_summary_text(response)
    assert "Read and accept the booking conditions" in error_summary_text(request_send(client))
    assert not VenueBooking.objects.exists()


def test_speakers_are_added_changed_and_removed_and_none_is_an_answer(room):
    client = Client()
    request_fill(client, request_answers(room))
    request_post(client, "promotion-files")
    assert "Say whether anyone will speak" in error_summary_text(request_send(client))
    assert request_post(client, "speakers", {"add": "yes"}).url == reverse("venue-hire:request-speaker-add")
    missing = client.post(reverse("venue-hire:request-speaker-add"), {"name": "Only A Name"})
    assert "Enter what they will speak about" in error_summary_text(missing)
    assert 'value="Only A Name"' in missing.content.decode()
    client.post(reverse("venue-hire:request-speaker-add"), SPEAKER)
    client.post(reverse("venue-hire:request-speaker-add"), {"name": "Jo Example", "topic": "Haiku"})
    client.post(reverse("venue-hire:request-speaker", kwargs={"number": 2}),
                {"name": "Jo Example", "topic": "Sonnets"})
    listed = client.get(request_page_url("speakers"))
    assert "Do you need to add another speaker?" in main_text(listed) and "Sonnets" in main_text(listed)
    client.post(reverse("venue-hire:request-speaker-remove", kwargs={"number": 1}))
    assert request_draft(client).data["speakers"] == [{"name": "Jo Example", "organisation": "",
                                                       "topic": "Sonnets"}]
    client.post(reverse("venue-hire:request-speaker-remove", kwargs={"number": 1}))
    request_post(client, "speakers", {"add": "no"})
    request_post(client, "booking-conditions", {"accept": "true", "version": "1"})
    assert "No speakers" in main_text(client.get(reverse("venue-hire:request-check")))
    request_send(client)
    assert not VenueBooking.objects.get().speakers.exists()


def test_flyers_are_uploaded_several_at_once_checked_and_moved_to_the_booking(room):
    client = Client()
    request_fill(client, request_answers(room))
    url = request_page_url("promotion-files")
    response = client.post(url, {"action": "upload", "files": [
        SimpleUploadedFile("../../etc/flyer.pdf", TINY_PDF, content_type="application/pdf"),
        SimpleUploadedFile("poster.pdf", TINY_PDF, content_type="application/pdf")]})
    assert response.status_code == 302
    names = list(PromotionFile.objects.values_list("original_name", flat=True))
    assert sorted(names) == ["flyer.pdf", "poster.pdf"]
    assert all("etc" not in stored.file.name and stored.file.name.startswith("venues/promotion/")
               for stored in PromotionFile.objects.all())

    refused = client.post(url, {"action": "upload", "files": [
        SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho hello\n", content_type="application/pdf")]})
    assert "must be a PDF, Word document, OpenDocument text or image" in error_summary_text(refused)
    assert PromotionFile.objects.count() == 2

    first = PromotionFile.objects.get(original_name="flyer.pdf")
    client.post(reverse("venue-hire:request-file-remove", kwargs={"file_id": first.pk}))
    assert not PromotionFile.objects.filter(pk=first.pk).exists()
    request_post(client, "promotion-files")
    request_post(client, "speakers", {"add": "no"})
    request_post(client, "booking-conditions", {"accept": "true", "version": "1"})
    assert "poster.pdf" in main_text(client.get(reverse("venue-hire:request-check")))
    request_send(client)
    booking = VenueBooking.objects.get()
    assert [stored.original_name for stored in booking.promotion_files.all()] == ["poster.pdf"]


def test_uploads_need_a_draft_of_this_session(room):
    owner, stranger = Client(), Client()
    request_fill(owner, request_answers(room), until="date-and-time")
    stored = services.promotion_file_add(draft=request_draft(owner), upload=SimpleUploadedFile(
        "flyer.pdf", TINY_PDF, content_type="application/pdf"))
    stranger.post(reverse("venue-hire:request-file-remove", kwargs={"file_id": stored.pk}))
    assert PromotionFile.objects.filter(pk=stored.pk).exists()


def test_start_again_leaves_the_draft_and_starts_afresh(room):
    client = Client()
    request_fill(client, request_answers(room), until="about-you")
    assert "Continue your booking request" in main_text(client.get(reverse("venue-hire:request-start")))
    client.post(reverse("venue-hire:request-start"))
    assert "Continue your booking request" not in main_text(client.get(reverse("venue-hire:request-start")))
    response = client.get(request_page_url("about-you"))
    assert response.url == reverse("venue-hire:request-start")


def test_expired_drafts_and_their_files_go_with_one_audit_event(room, django_capture_on_commit_callbacks):
    client = Client()
    request_fill(client, request_answers(room), until="date-and-time")
    draft = request_draft(client)
    stored = services.promotion_file_add(draft=draft, upload=SimpleUploadedFile(
        "flyer.pdf", TINY_PDF, content_type="application/pdf"))
    kept = drafts.booking_draft_create(data={"title": "Still being written"})
    BookingDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    other = drafts.booking_draft_create(data={})
    BookingDraft.objects.filter(pk=other.pk).update(expires_at=timezone.now() - datetime.timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert booking_drafts_expire_task.call() == 2

    assert list(BookingDraft.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not PromotionFile.objects.exists() and not default_storage.exists(stored.file.name)
    event = AuditEvent.objects.get(object_type=drafts.DRAFT_OBJECT_TYPE)
    assert event.details["count"] == 2 and event.details["promotion_files"] == 1
    assert "Alex" not in str(event.details)


def test_with_no_room_to_offer_the_first_page_says_so_instead_of_asking():
    response = Client().get(request_page_url("venue-and-room"))
    assert "No rooms can be booked online at the moment" in main_text(response)
    assert not BeautifulSoup(response.content, "html5lib").find("main").find("input", type="radio")
