"""A booker asks to book a council room in real Chromium: the start page,
every question, a clash refused with the room's free slots and another time
chosen, save for later, back by the emailed link in a fresh browser, a
flyer, a speaker, the booking conditions accepted, check your answers, send
and the reference. Every page passes axe-core and reflows at 320 CSS px."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.venues.models import VenueBooking
from prevent_hub.venues.tests.factories import (
    TINY_PDF,
    booking_submitted,
    next_weekday,
    officer,
    venue_with_room,
)

from .conftest import checked, with_reference_data

pytestmark = pytest.mark.browser


def heading(page, text):
    expect(page.locator("main h1")).to_have_text(text)
    checked(page)


def continue_to(page, next_heading):
    page.get_by_role("button", name="Continue").click()
    heading(page, next_heading)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_booker_asks_to_book_a_room_saves_comes_back_and_sends(page):
    room = venue_with_room(acting_user=officer())[1]
    day = next_weekday()
    booking_submitted(room, key="already", event_date=day, title="Book club", starts_at=datetime.time(18),
                      ends_at=datetime.time(20))
    mail.outbox.clear()

    page.goto(reverse("venue-hire:request-start"))
    heading(page, "Book a council venue")
    expect(page.locator("main")).to_contain_text("never searches, scrapes or scores")
    page.get_by_role("link", name="booking conditions").click()
    heading(page, "Booking conditions")
    page.go_back()
    page.get_by_role("button", name="Start now").click()

    heading(page, "Venue and room")
    page.get_by_label("Meeting Room A, Testford Demo Library").check()
    continue_to(page, "Date and time")
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("End time").fill("21:00")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already booked for part of that time")
    free = page.locator("#free-time")
    expect(free).to_contain_text("09:00 to 18:00")
    expect(free).to_contain_text("20:00 to 21:00")
    checked(page)
    expect(page.get_by_label("Start time")).to_have_value("19:00")
    page.get_by_label("Start time").fill("20:00")
    continue_to(page, "About you")

    page.get_by_label("Your full name").fill("Alex Example-Booker")
    page.get_by_label("Email address").fill("alex.booker@example.org")
    page.get_by_label("Your address").fill("2 Fictional Road, Testford, TE1 2AB")
    continue_to(page, "Your organisation")
    page.get_by_label("Name of your organisation (optional)").fill("Testford Example Reading Circle")
    page.get_by_label("Myself, or my own organisation").check()
    page.get_by_label("Website (optional)").fill("reading-circle.example.org")
    page.get_by_label("Charity Commission registration number (optional)").fill("1234567")
    page.get_by_label("Yes, it has its own equality policy").check()
    continue_to(page, "About the event")
    page.get_by_label("Title of the event").fill("Poetry evening")
    page.get_by_label("Agenda").fill("20:00 readings; 20:45 questions")
    page.get_by_label("How many people do you expect?").fill("25")
    page.get_by_label("Who is the event for?").fill("Adults who enjoy poetry")
    page.get_by_label("Open to anyone").check()
    continue_to(page, "Promoting the event")
    page.get_by_label("How will you promote the event?").fill("Posters in the library")

    page.get_by_role("button", name="Save and come back later").click()
    heading(page, "Save and come back later")
    expect(page.get_by_label("Email address")).to_have_value("alex.booker@example.org")
    page.get_by_role("button", name="Send me a link").click()
    heading(page, "Your answers have been saved")
    assert len(mail.outbox) == 1
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]

    page.context.clear_cookies()  # another day, the browser closed
    page.goto(link)
    heading(page, "Posters, leaflets and online posts")
    page.get_by_label("Upload files").set_input_files(
        files=[{"name": "flyer.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}])
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("flyer.pdf")
    checked(page)
    continue_to(page, "Speakers")
    page.get_by_label("Yes").check()
    continue_to(page, "Add a speaker")
    page.get_by_label("Speaker’s full name").fill("Sam Example-Poet")
    page.get_by_label("What will they speak about?").fill("New poems")
    continue_to(page, "Speakers")
    expect(page.locator("main")).to_contain_text("Sam Example-Poet")
    page.get_by_label("No").check()
    continue_to(page, "Booking conditions")
    page.get_by_label("I have read the booking conditions and I accept them").check()
    continue_to(page, "Check your answers before sending your request")
    main = page.locator("main")
    for shown in ("20:00", "Poetry evening", "flyer.pdf", "Sam Example-Poet: New poems",
                  "Version 1 accepted"):
        expect(main).to_contain_text(shown)

    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Booking request sent")
    checked(page)
    booking = VenueBooking.objects.get(title="Poetry evening")
    expect(page.locator(".govuk-panel__body")).to_contain_text(booking.reference)
    assert (booking.starts_at, booking.ends_at) == (datetime.time(20), datetime.time(21))
    assert booking.conditions.version == 1
    assert [file.original_name for file in booking.promotion_files.all()] == ["flyer.pdf"]
