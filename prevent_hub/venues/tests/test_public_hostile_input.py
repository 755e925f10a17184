"""Bad and hostile input to the booking request and the booker's pages:
markup (escaped on every page, stored as typed), overlong and wrongly typed
answers, malformed dates and times, hostile file names and types, the
honeypot, forged addresses, CSRF and the per-address limits. Every refusal
says why and keeps what was typed."""

import pytest
from bs4 import BeautifulSoup
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from prevent_hub.venues.models import BookingDraft, PromotionFile, VenueBooking
from prevent_hub.venues.public_forms import REQUEST_PAGES, BookingPageForm

from .factories import (
    TINY_PDF,
    booker_client,
    booking_submitted,
    error_summary_text,
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

SCRIPT = "<script>alert('{}')</script>"
HONEYPOT = BookingPageForm.honeypot_field
WHOLE_NUMBER = "Enter how many people you expect as a whole number, like 30"


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer())[1]



def main_html(response) -> str:
    return str(BeautifulSoup(response.content, "html5lib").find("main"))


def free_text_fields(form_class):
    for name in form_class.answer_fields():
        if type(form_class.base_fields[name]) is django_forms.CharField:
            yield name


def test_markup_in_every_text_answer_is_shown_as_text_everywhere_and_stored_as_typed(room):
    typed, answers = {}, request_answers(room)
    for page in REQUEST_PAGES:
        if page.form is None:
            continue
        for name in free_text_fields(page.form):
            if name in ("charity_number", "company_number", "other_organisation_name"):
                continue  # formats of their own, checked below; asked only when booking for another
            value = SCRIPT.format(name)[: page.form.base_fields[name].max_length]
            answers[page.slug] = {**answers[page.slug], name: value}
            typed[name] = value
    client = Client()
    request_fill(client, answers)
    request_finish(client, speakers=[{"name": SCRIPT.format("speaker"), "topic": "<b>bold</b>"}])

    pages = [client.get(reverse("venue-hire:request-check")),
             client.get(request_page_url("about-you")), client.get(request_page_url("speakers"))]
    request_send(client)
    booking = VenueBooking.objects.get()
    booker = booker_client(booking)
    pages += [booker.get(reverse("venue-hire:your-booking")), booker.get(reverse("venue-hire:change")),
              booker.get(reverse("venue-hire:change-page", kwargs={"page": "the-event"})),
              booker.get(reverse("venue-hire:withdraw"))]
    for response in pages:
        assert response.status_code == 200
        assert "<script>" not in main_html(response) and "<b>bold" not in main_html(response)
    check = pages[0].content.decode()
    for name in typed:
        assert f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;" in check, name
    for name, value in typed.items():
        assert getattr(booking, name) == value, name
    assert booking.speakers.get().name == SCRIPT.format("speaker")


@pytest.mark.parametrize(("page", "field", "limit", "message"), [
    ("about-you", "booker_name", 200, "Your name must be 200 characters or fewer"),
    ("about-you", "booker_address", 500, "Your address must be 500 characters or fewer"),
    ("the-event", "title", 200, "The title must be 200 characters or fewer"),
    ("the-event", "agenda", 5000, "The agenda must be 5,000 characters or fewer"),
    ("promotion", "promotion", 2000, "How you will promote the event must be 2,000 characters or fewer"),
])
def test_overlong_answers_are_refused_with_the_limit_and_kept(room, page, field, limit, message):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until=page)
    response = request_post(client, page, {**answers[page], field: "x" * (limit + 1)})
    assert response.status_code == 200
    assert message in error_summary_text(response)
    assert "x" * (limit + 1) in response.content.decode()
    assert "x" * (limit + 1) not in str(BookingDraft.objects.values_list("data", flat=True))


def test_a_huge_post_is_refused_with_a_message_not_an_error_page(room):
    client = Client()
    request_fill(client, request_answers(room), until="the-event")
    response = request_post(client, "the-event", {"agenda": "y" * 200_000})
    assert response.status_code == 200
    assert "The agenda must be 5,000 characters or fewer" in error_summary_text(response)


@pytest.mark.parametrize(("page", "typed", "message"), [
    ("date-and-time", {"event_date-day": "31", "event_date-month": "2", "event_date-year": "2030"},
     "Date of the event must be a real date"),
    ("date-and-time", {"event_date-day": "1", "event_date-month": "", "event_date-year": "2030"},
     "Date of the event must include a month"),
    ("date-and-time", {"event_date-day": "1", "event_date-month": "1", "event_date-year": "30"},
     "Date of the event year must include 4 numbers"),
    ("date-and-time", {"event_date-day": "x", "event_date-month": "1", "event_date-year": "2030"},
     "Date of the event must be a real date"),
    ("date-and-time", {"event_date-day": "1", "event_date-month": "1", "event_date-year": "2020"},
     "The event date must be in the future"),
    ("date-and-time", {"starts_at": "25:00"}, "Enter the start time as a time of day, like 09:30 or 18:00"),
    ("date-and-time", {"ends_at": "six o'clock"}, "Enter the end time as a time of day, like 09:30 or 18:00"),
    ("the-event", {"expected_audience": "lots"}, WHOLE_NUMBER),
    ("the-event", {"expected_audience": "-3"}, "Enter how many people you expect, 1 or more"),
    ("the-event", {"expected_audience": "2.5"}, WHOLE_NUMBER),
    ("the-event", {"admission": "free-for-all"},
     "Select whether the event is open, ticketed or by invitation only"),
    ("venue-and-room", {"room": "../1"}, "Select one of the rooms listed"),
    ("venue-and-room", {"room": "999999"}, "Select one of the rooms listed"),
    ("about-you", {"booker_email": "not an email"}, "Enter your email address in the correct format"),
    ("about-you", {"booker_phone": "call me maybe"}, "Enter a telephone number"),
    ("your-organisation", {"website": "javascript:alert(1)"},
     "Enter the website address in the correct format"),
    ("your-organisation", {"company_number": "<b>1</b>"}, "Enter a Companies House number of 8 characters"),
    ("your-organisation", {"charity_number": "!!"}, "Enter the charity number as the register shows it"),
    ("your-organisation", {"booking_capacity": "on_behalf", "other_organisation_name": ""},
     "Enter the name of the organisation you are booking for or with"),
])
def test_wrongly_typed_answers_are_refused_and_kept(room, page, typed, message):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until=page)
    response = request_post(client, page, {**answers[page], **typed})
    assert response.status_code == 200
    assert message in error_summary_text(response)
    content = response.content.decode()
    for name, value in typed.items():
        if value and name not in ("room", "admission"):  # a radio has nothing typed to keep
            assert escape(value) in content, name


@pytest.mark.parametrize(("page", "typed", "kept"), [
    ("date-and-time", {"starts_at": "6pm", "ends_at": "19.30"}, {"starts_at": "18:00", "ends_at": "19:30"}),
    ("your-organisation", {"company_number": "123 4567", "charity_number": "sc012345"},
     {"company_number": "01234567", "charity_number": "SC012345"}),
])
def test_answers_are_read_as_people_write_them_and_kept_as_the_registers_write_them(room, page, typed, kept):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until=page)
    request_post(client, page, {**answers[page], **typed})
    data = request_draft(client).data
    assert {name: data[name] for name in kept} == kept


def test_hostile_file_names_are_cleaned_and_types_checked_by_content(room, settings):
    client = Client()
    request_fill(client, request_answers(room))
    url = request_page_url("promotion-files")
    client.post(url, {"action": "upload", "files": [SimpleUploadedFile(
        "..\\..\\windows\\fly\u202eer.pdf", TINY_PDF, content_type="application/pdf")]})
    stored = PromotionFile.objects.get()
    assert stored.original_name == "flyer.pdf" and "windows" not in stored.file.name
    disguised = client.post(url, {"action": "upload", "files": [SimpleUploadedFile(
        "flyer.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")]})
    assert "The selected file must be a PDF" in error_summary_text(disguised)
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 100
    too_big = client.post(url, {"action": "upload", "files": [SimpleUploadedFile(
        "big.pdf", TINY_PDF + b"%" * 200, content_type="application/pdf")]})
    assert "The selected file must be smaller than" in error_summary_text(too_big)
    nothing = client.post(url, {"action": "upload"})
    assert "Select a file" in error_summary_text(nothing)
    assert PromotionFile.objects.count() == 1


def test_no_more_files_than_allowed(room, settings):
    settings.BOOKING_PROMOTION_FILES_MAX = 1
    client = Client()
    request_fill(client, request_answers(room))
    url = request_page_url("promotion-files")
    response = client.post(url, {"action": "upload", "files": [
        SimpleUploadedFile("one.pdf", TINY_PDF, content_type="application/pdf"),
        SimpleUploadedFile("two.pdf", TINY_PDF, content_type="application/pdf")]})
    assert "two.pdf: You can upload up to 1 files" in error_summary_text(response)
    assert list(PromotionFile.objects.values_list("original_name", flat=True)) == ["one.pdf"]
    assert "You have uploaded as many files as you can" in client.get(url).content.decode()


def test_the_honeypot_refuses_and_keeps_the_answers(room):
    client = Client()
    answers = request_answers(room)
    request_fill(client, answers, until="about-you")
    response = request_post(client, "about-you", {**answers["about-you"], HONEYPOT: "http://spam.example"})
    assert "Leave this field blank" in error_summary_text(response)
    assert 'value="Alex Example-Booker"' in response.content.decode()
    assert "booker_name" not in request_draft(client).data
    sent = client.post(reverse("venue-hire:lost-link"), {"reference": "VEN-2026-000001",
                                                          "email": "a@example.org", HONEYPOT: "x"})
    assert "Leave this field blank" in error_summary_text(sent)


def test_unknown_pages_tokens_and_numbers_are_not_found(room):
    client = Client()
    request_fill(client, request_answers(room), until="date-and-time")
    assert client.get("/venue-hire/request/..%2F..%2Fadmin/").status_code == 404
    assert client.get(request_page_url("no-such-page")).status_code == 404
    assert client.get(reverse("venue-hire:request-speaker", kwargs={"number": 7})).status_code == 404
    assert client.get(reverse("venue-hire:booking", kwargs={"token": "t" * 5000})).status_code == 404
    assert client.get(reverse("venue-hire:request-resume", kwargs={"token": "t" * 5000})).status_code == 404


def test_forms_refuse_a_post_without_the_csrf_token(room):
    client = Client(enforce_csrf_checks=True)
    assert client.post(request_page_url("venue-and-room"), {"room": str(room.pk)}).status_code == 403
    assert client.post(reverse("venue-hire:lost-link"), {}).status_code == 403
    assert not BookingDraft.objects.exists()


def test_new_requests_from_one_address_are_limited_and_what_was_typed_is_kept(room, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    first, second = Client(), Client()
    request_post(first, "venue-and-room", {"room": str(room.pk)})
    response = request_post(second, "venue-and-room", {"room": str(room.pk)})
    assert "You have sent a lot of forms from this network" in error_summary_text(response)
    assert BookingDraft.objects.count() == 1
    assert 'checked' in str(BeautifulSoup(response.content, "html5lib").find("input", value=str(room.pk)))


def test_lost_link_and_the_booker_s_actions_are_limited(room, settings):
    booking = booking_submitted(room)
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    url = reverse("venue-hire:lost-link")
    Client().post(url, {"reference": booking.reference, "email": "x@example.org"})
    limited = Client().post(url, {"reference": booking.reference, "email": "y@example.org"})
    assert "You have sent a lot of forms from this network" in error_summary_text(limited)
    booker = booker_client(booking)
    booker.post(reverse("venue-hire:change"))  # nothing changed: counted all the same
    withdrawn = booker.post(reverse("venue-hire:withdraw"), {"reason": "Typed and kept"})
    assert "You have sent a lot of forms" in error_summary_text(withdrawn)
    assert "Typed and kept" in withdrawn.content.decode()
    booking.refresh_from_db()
    assert booking.status == "requested"
