"""A venue booking officer's dashboard, a venue's month and week calendars,
its edit page and the booking conditions, in real Chromium: every page
passes axe-core and reflows at 320 CSS px; the calendars' filters and
adding a clause work without JavaScript."""

import datetime
import importlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.venues import services
from prevent_hub.venues.tests.factories import booking_submitted, officer, venue_with_room

from .conftest import checked, signed_in, with_reference_data


def venue_defaults():
    """The booking conditions and letters migration 0002 loads (a
    transactional test before this one may have emptied the database)."""
    from django.apps import apps

    importlib.import_module("prevent_hub.venues.migrations.0002_defaults").load(apps, None)


def busy_venue():
    """A venue with two rooms, a closure and bookings next month, one of them
    on the month's last day."""
    venue_defaults()
    acting = officer()
    venue, room = venue_with_room(acting_user=acting, name="Testford Browser Library")
    loft = services.room_create(venue=venue, name="Fictional Loft", capacity=40, acting_user=acting)
    first = (timezone.localdate().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    services.closure_add(venue=venue, room=loft, starts_on=first + datetime.timedelta(days=2),
                         ends_on=first + datetime.timedelta(days=3), reason="Fictional painting",
                         acting_user=acting)
    booking_submitted(room, key="first", event_date=first + datetime.timedelta(days=5),
                      title="Fictional poetry evening")
    booking_submitted(loft, key="second", event_date=first + datetime.timedelta(days=5),
                      title="A fictional event with a rather long title that has to wrap in its day")
    booking_submitted(room, key="last", event_date=last, title="Fictional month-end quiz")
    return venue, first


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_dashboard_and_calendars_pass_axe(page, live_server):
    venue, first = busy_venue()
    signed_in(page, live_server, Role.VENUE_BOOKING_OFFICER)

    page.goto(live_server.url + "/staff/venues/")
    expect(page.locator("h1")).to_have_text("Venue bookings")
    expect(page.locator("tbody tr")).to_have_count(3)
    checked(page)

    page.get_by_label("Status").select_option(label="Approved")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="No requests match these filters")).to_be_visible()
    checked(page)

    page.goto(live_server.url + f"/staff/venues/venues/{venue.pk}/calendar/?month={first:%Y-%m}")
    expect(page.locator("table caption")).to_contain_text(f"{first:%B %Y}")
    expect(page.locator("table.app-calendar")).to_contain_text("Fictional Loft closed: Fictional painting")
    expect(page.locator("table.app-calendar")).to_contain_text("Fictional month-end quiz")
    checked(page)

    page.get_by_role("link", name="View as a list").click()
    expect(page.locator("table.app-calendar-list")).to_contain_text("Fictional poetry evening")
    checked(page)

    page.get_by_role("link", name="Week view").click()
    expect(page.locator("h1")).to_contain_text("Week of")
    checked(page)
    page.get_by_label("Room", exact=True).select_option(label="Fictional Loft")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.app-calendar-week thead")).not_to_contain_text("Meeting Room A")
    checked(page)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_venue_edit_hours_and_conditions_pages_pass_axe(page, live_server):
    venue, _first = busy_venue()
    signed_in(page, live_server, Role.VENUE_BOOKING_OFFICER)

    page.goto(live_server.url + f"/staff/venues/venues/{venue.pk}/")
    expect(page.locator("h1")).to_have_text("Testford Browser Library")
    checked(page)

    page.get_by_role("link", name="Change the venue's details").click()
    page.get_by_label("Name of the venue").fill("")
    page.get_by_role("button", name="Save the venue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the venue's name")
    checked(page)

    page.goto(live_server.url + f"/staff/venues/venues/{venue.pk}/opening-hours/")
    page.locator("#id_opens_0").fill("25:00")
    page.get_by_role("button", name="Save opening hours").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the time the venue opens on Mondays")
    checked(page)

    page.goto(live_server.url + "/staff/venues/conditions/")
    expect(page.locator("h1")).to_have_text("Booking conditions")
    checked(page)

    page.get_by_role("button", name="Publish a new version").click()
    page.get_by_role("button", name="Add a clause").click()
    expect(page.get_by_role("heading", name="Clause 9")).to_be_visible()
    page.locator("#id_heading_2").fill("")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the heading of clause 2")
    checked(page)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_calendars_and_clauses_work_without_javascript(page_without_js, live_server):
    page = page_without_js
    venue, first = busy_venue()
    signed_in(page, live_server, Role.VENUE_BOOKING_OFFICER)

    page.goto(live_server.url + f"/staff/venues/venues/{venue.pk}/calendar/?month={first:%Y-%m}")
    page.get_by_label("Room", exact=True).select_option(label="Fictional Loft")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table caption")).to_contain_text("Fictional Loft, Testford Browser Library")
    expect(page.locator("table.app-calendar")).not_to_contain_text("Fictional poetry evening")
    page.get_by_role("link", name="Next month").click()
    expect(page.locator("h1")).not_to_have_text(f"{first:%B %Y}")

    page.goto(live_server.url + "/staff/venues/conditions/new/")
    page.locator("#id_heading_1").fill("Typed before adding a clause")
    page.get_by_role("button", name="Add a clause").click()
    expect(page.get_by_role("heading", name="Clause 9")).to_be_visible()
    expect(page.locator("#id_heading_1")).to_have_value("Typed before adding a clause")
