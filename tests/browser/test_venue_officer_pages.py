"""A venue booking officer works through a booking in real Chromium: the
booking page, a check, the decision and an appeal decided by the Prevent
lead. Every page on the way passes axe-core and reflows."""

import importlib
import os

import pytest
from django.apps import apps
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.venues.tests.factories import (
    appealed,
    booking_with_flyer,
    check_with_evidence,
    officer,
    venue_with_room,
)

from .conftest import checked, signed_in, with_reference_data

SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def look(page, name):
    """Keep a screenshot when SCREENSHOTS_DIR is set (to read the pages by eye)."""
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def venue_defaults(reference_data):
    """The booking conditions and letter wording migration 0002 loads (a
    transactional test before this one may have emptied the database)."""
    importlib.import_module("prevent_hub.venues.migrations.0002_defaults").load(apps, None)


@with_reference_data
@pytest.mark.usefixtures("venue_defaults")
@pytest.mark.django_db(transaction=True)
def test_the_officers_pages_pass_axe(page, live_server):
    user = signed_in(page, live_server, Role.VENUE_BOOKING_OFFICER, full_name="Casey Example-Officer")
    room = venue_with_room(acting_user=officer())[1]
    booking = booking_with_flyer(room, key="browser")
    check_with_evidence(booking, acting_user=user)
    base = f"{live_server.url}/staff/venues/bookings/{booking.reference}/"

    page.goto(base)
    expect(page.locator("h1")).to_have_text(booking.reference)
    checked(page)
    look(page, "booking")

    page.get_by_role("link", name="Record references taken for the booker").click()
    page.get_by_role("button", name="Save the check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the check found")
    checked(page)
    page.get_by_label("Checked: no concerns").check()
    page.get_by_label("What you looked at and what you found").fill("Two fictional referees, both positive.")
    page.get_by_role("button", name="Save the check").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("References taken for the booker")
    checked(page)
    look(page, "check")
    page.get_by_role("button", name="Add evidence").click()
    checked(page)

    page.goto(base + "decide/")
    page.get_by_label("Approved with conditions").check()
    page.get_by_label("If approving with conditions, the conditions").fill("Two stewards at the door")
    page.get_by_label("7. Conditions and stewarding").check()
    page.get_by_label("Your reasons").fill("A fictional reason.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record every check before deciding")
    checked(page)
    look(page, "decide")


@with_reference_data
@pytest.mark.usefixtures("venue_defaults")
@pytest.mark.django_db(transaction=True)
def test_the_appeal_page_passes_axe_for_the_decider_and_someone_else(page, live_server):
    decider = signed_in(page, live_server, Role.VENUE_BOOKING_OFFICER)
    room = venue_with_room(acting_user=officer())[1]
    booking = booking_with_flyer(room, key="browser-appeal")
    appeal = appealed(booking, decided_by=decider)
    page.goto(f"{live_server.url}/staff/venues/bookings/{booking.reference}/appeals/{appeal.pk}/decide/")
    expect(page.locator("#someone-else")).to_contain_text("Someone else must decide this appeal")
    checked(page)

    page.context.clear_cookies()
    signed_in(page, live_server, Role.PREVENT_COORDINATOR)
    page.goto(f"{live_server.url}/staff/venues/bookings/{booking.reference}/appeals/{appeal.pk}/decide/")
    page.get_by_role("button", name="Record the appeal decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the appeal is upheld")
    checked(page)
    look(page, "appeal")
