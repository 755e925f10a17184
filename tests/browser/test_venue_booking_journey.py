"""Issue 16's whole journey in real Chromium, three people in three
browsers: a community group asks to book a room, saves its request and comes
back to it by the emailed link, sends it; the venue booking officer works
through the checklist and escalates; the Prevent lead advises; the officer
approves with conditions; the booker changes the agenda and adds a speaker,
which sends the booking back; the officer checks the new speaker and
approves it again. Every page on the way passes axe-core and reflows."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.venues.models import BookingStatus, VenueBooking
from prevent_hub.venues.tests.factories import next_weekday, officer, venue_with_room

from .conftest import _open_page, checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def heading(page, text):
    expect(page.locator("main h1")).to_have_text(text)
    checked(page)


def continue_to(page, next_heading):
    page.get_by_role("button", name="Continue").click()
    heading(page, next_heading)


def link_in_last_email() -> str:
    return mail.outbox[-1].body.split("http://127.0.0.1:8000", 1)[1].split()[0]


def booker_asks_saves_and_sends(page, day) -> VenueBooking:
    page.goto("/venue-hire/request/")
    heading(page, "Book a council venue")
    page.get_by_role("button", name="Start now").click()
    heading(page, "Venue and room")
    page.get_by_label("Main Hall, Testford Demo Community Centre").check()
    continue_to(page, "Date and time")
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("20:30")
    continue_to(page, "About you")
    page.get_by_label("Your full name").fill("Robin Example-Organiser")
    page.get_by_label("Email address").fill("robin.organiser@example.org")
    page.get_by_label("Your address").fill("9 Fictional Close, Testford, TE2 9ZZ")
    continue_to(page, "Your organisation")
    page.get_by_label("Name of your organisation (optional)").fill("Testford Example Gardeners")
    page.get_by_label("Myself, or my own organisation").check()
    page.get_by_label("We will sign up to the council’s equality policy").check()
    continue_to(page, "About the event")
    page.get_by_label("Title of the event").fill("Community garden talk")
    page.get_by_label("Agenda").fill("18:00 welcome; 18:15 talk; 19:30 questions")
    page.get_by_label("How many people do you expect?").fill("60")
    page.get_by_label("Who is the event for?").fill("Residents interested in gardening")
    page.get_by_label("Open to anyone").check()
    continue_to(page, "Promoting the event")
    page.get_by_label("How will you promote the event?").fill("Leaflets in the community centre")

    page.get_by_role("button", name="Save and come back later").click()
    heading(page, "Save and come back later")
    page.get_by_role("button", name="Send me a link").click()
    heading(page, "Your answers have been saved")

    page.context.clear_cookies()  # the next evening, the browser closed
    page.goto(link_in_last_email())
    heading(page, "Posters, leaflets and online posts")
    continue_to(page, "Speakers")
    page.get_by_label("Yes").check()
    continue_to(page, "Add a speaker")
    page.get_by_label("Speaker’s full name").fill("Dr Sam Example-Botanist")
    page.get_by_label("What will they speak about?").fill("Growing food in small spaces")
    continue_to(page, "Speakers")
    page.get_by_label("No").check()
    continue_to(page, "Booking conditions")
    page.get_by_label("I have read the booking conditions and I accept them").check()
    continue_to(page, "Check your answers before sending your request")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Booking request sent")
    checked(page)
    booking = VenueBooking.objects.get(title="Community garden talk")
    expect(page.locator(".govuk-panel__body")).to_contain_text(booking.reference)
    return booking


def officer_records_every_open_check(page, booking):
    """Works down the checklist on the booking page, recording each line not
    yet recorded, until none is left."""
    first = True
    while True:
        page.goto(f"/staff/venues/bookings/{booking.reference}/")
        record = page.locator("main a", has_text="Record")
        if record.count() == 0:
            return
        record.first.click()
        expect(page.locator("main h1")).to_be_visible()
        if first:
            checked(page)
            first = False
        page.get_by_label("Checked: no concerns").check()
        page.get_by_label("What you looked at and what you found").fill(
            "Read the group's own website and leaflets; two references by phone (fictional).")
        page.get_by_role("button", name="Save the check").click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_booking_is_asked_checked_escalated_decided_changed_and_reapproved(browser, live_server):
    venue_with_room(acting_user=officer(), name="Testford Demo Community Centre", room_name="Main Hall",
                    capacity=120)
    day = next_weekday(3, weeks_ahead=4)
    mail.outbox.clear()
    booker_context, booker = _open_page(browser, live_server, javascript=True)
    officer_context, desk = _open_page(browser, live_server, javascript=True)
    lead_context, lead = _open_page(browser, live_server, javascript=True)
    try:
        # ASK: the booker's request, saved for later and sent.
        booking = booker_asks_saves_and_sends(booker, day)
        acknowledgement = mail.outbox[-1]
        assert booking.reference in acknowledgement.subject
        booking_link = link_in_last_email()

        # CHECK: the officer works through the checklist, then escalates.
        signed_in(desk, live_server, Role.VENUE_BOOKING_OFFICER, full_name="Casey Example-Officer")
        desk.goto("/staff/venues/")
        desk.get_by_role("link", name=booking.reference).click()
        expect(desk.locator("main h1")).to_have_text(booking.reference)
        expect(desk.locator("main")).to_contain_text("never searches, scrapes or scores")
        checked(desk)
        officer_records_every_open_check(desk, booking)
        desk.goto(f"/staff/venues/bookings/{booking.reference}/escalate/")
        desk.get_by_label("Why are you escalating this booking?").fill(
            "A fictional newsletter quoted the speaker; I would like the Prevent lead's view.")
        desk.get_by_role("button", name="Escalate to the Prevent lead").click()
        expect(desk.locator("main")).to_contain_text("Escalated by Casey Example-Officer")
        checked(desk)

        # The Prevent lead advises.
        signed_in(lead, live_server, Role.PREVENT_COORDINATOR, full_name="Morgan Example-Lead")
        lead.goto(f"/staff/venues/bookings/{booking.reference}/")
        expect(lead.locator("main")).to_contain_text("Waiting for advice")
        lead.get_by_label("Your advice").fill("Nothing known to the Prevent team (fictional). Approve with "
                                              "an independent chair.")
        lead.get_by_role("button", name="Give your advice").click()
        expect(lead.locator("main")).to_contain_text("Approve with an independent chair")
        checked(lead)

        # DECIDE: approved with conditions, citing the clause, named and dated.
        desk.goto(f"/staff/venues/bookings/{booking.reference}/decide/")
        heading(desk, "Decide the booking")
        desk.get_by_label("Approved with conditions").check()
        desk.get_by_label("If approving with conditions, the conditions").fill(
            "An independent chair for the questions\nThe event ends by 20:30")
        desk.get_by_label("7. Conditions and stewarding").check()
        desk.get_by_label("Your reasons").fill("A large open event; an independent chair keeps the "
                                               "questions balanced (fictional).")
        desk.get_by_role("button", name="Record the decision").click()
        main = desk.locator("main")
        expect(main).to_contain_text("An independent chair for the questions")
        expect(main).to_contain_text("Casey Example-Officer")
        checked(desk)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.APPROVED_WITH_CONDITIONS

        # The booker changes the agenda and adds a speaker: back for re-approval.
        booker.goto(booking_link)
        heading(booker, "Your venue booking")
        expect(booker.locator("main")).to_contain_text("An independent chair for the questions")
        booker.get_by_role("button", name="Change your booking").click()
        heading(booker, "Change your booking")
        booker.goto("/venue-hire/your-booking/change/the-event/")
        heading(booker, "About the event")
        booker.get_by_label("Agenda").fill("18:00 welcome; 18:15 talk; 19:00 seed swap; 19:45 questions")
        booker.get_by_role("button", name="Continue").click()
        heading(booker, "Change your booking")
        booker.goto("/venue-hire/your-booking/change/speakers/add/")
        booker.get_by_label("Speaker’s full name").fill("Jo Example-Grower")
        booker.get_by_label("What will they speak about?").fill("Seed saving")
        booker.get_by_role("button", name="Continue").click()
        booker.goto("/venue-hire/your-booking/change/")
        what_changes = booker.locator("main")
        expect(what_changes).to_contain_text("19:00 seed swap")
        expect(what_changes).to_contain_text("Jo Example-Grower")
        checked(booker)
        booker.get_by_role("button", name="Send changes").click()
        expect(booker.locator(".govuk-notification-banner")).to_contain_text("approved again")
        checked(booker)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL

        # The officer sees exactly what changed, checks the new speaker and re-approves.
        desk.goto(f"/staff/venues/bookings/{booking.reference}/")
        main = desk.locator("main")
        expect(main).to_contain_text("19:00 seed swap")
        expect(main).to_contain_text("Jo Example-Grower")
        checked(desk)
        desk.goto(f"/staff/venues/bookings/{booking.reference}/decide/")
        desk.get_by_label("Approved", exact=True).check()
        desk.get_by_label("Your reasons").fill("The change adds a talk on seed saving (fictional).")
        desk.get_by_role("button", name="Record the decision").click()
        expect(desk.locator(".govuk-error-summary")).to_contain_text("Jo Example-Grower")
        checked(desk)
        officer_records_every_open_check(desk, booking)
        desk.goto(f"/staff/venues/bookings/{booking.reference}/decide/")
        heading(desk, "Decide the changed booking")
        desk.get_by_label("Approved", exact=True).check()
        desk.get_by_label("Your reasons").fill("The change adds a talk on seed saving (fictional).")
        desk.get_by_role("button", name="Record the decision").click()
        expect(desk.locator("main h1")).to_have_text(booking.reference)
        checked(desk)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.APPROVED
        assert [d.reapproval for d in booking.decisions.all()] == [False, True]
        assert booking.event_date == day and booking.starts_at == datetime.time(18)
    finally:
        for context in (booker_context, officer_context, lead_context):
            context.close()
