"""A data protection officer places and lifts a legal hold, previews a
retention run and reads its report, in real Chromium. Every page on the way
passes axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.records.tests.factories import due_referral

from .conftest import checked, signed_in, with_reference_data


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_place_a_hold_preview_a_run_and_lift_the_hold(page, live_server):
    signed_in(page, live_server, Role.DATA_PROTECTION_OFFICER)
    referral = due_referral()
    page.goto(live_server.url + "/staff/records/holds/")
    expect(page.locator("h1")).to_have_text("Legal holds")
    checked(page)

    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reference of the record to hold")
    checked(page)
    ends = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Reference of the record to hold").fill(referral.reference)
    page.get_by_label("Complaint").check()
    page.get_by_label("Why must the record be kept?").fill("Fictional complaint C-0042 is open")
    page.get_by_label("Day").fill(str(ends.day))
    page.get_by_label("Month").fill(str(ends.month))
    page.get_by_label("Year").fill(str(ends.year))
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{referral.reference} is held")
    checked(page)

    page.goto(live_server.url + "/staff/records/retention-runs/")
    expect(page.locator("h1")).to_have_text("Retention runs")
    checked(page)
    page.get_by_role("link", name="Preview what a run would delete as of a date").click()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("table")).to_contain_text(referral.reference)
    expect(page.locator("table")).to_contain_text("Held")
    checked(page)

    page.goto(live_server.url + "/staff/records/holds/")
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("link", name=f"Lift the hold on {referral.reference}").click()
    page.get_by_label("Why is the hold no longer needed?").fill("Fictional: complaint C-0042 closed")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been lifted")
    checked(page)
