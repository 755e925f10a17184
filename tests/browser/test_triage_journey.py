"""A Prevent coordinator's triage journey in real Chromium: open the queue,
open a new referral, record that it was shared with police, record the gateway
outcome "proceed to Channel" and open the Channel case it made. Every page on
the way passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import ChannelCase
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralAttachmentFactory, ReferralFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


# Bank holidays (loaded by a data migration) drive the clocks, so they must
# survive the flush between transactional tests.
@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_coordinator_takes_a_referral_from_new_to_a_channel_case(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    person = PersonFactory(given_name="Testina", family_name="Example")
    received = timezone.now() - datetime.timedelta(days=9)
    referral = ReferralFactory(subject_given_name="Testina", subject_family_name="Example",
                               person=person, received_at=received,
                               concern_description="Fictional first line\nFictional second line")
    ReferralAttachmentFactory(referral=referral, draft=None, original_name="fictional-notes.pdf")
    ReferralFactory(received_at=timezone.now() - datetime.timedelta(hours=2))
    ReferralFactory(status=ReferralStatus.AWAITING_GATEWAY, police_shared_at=timezone.now())

    page.goto(reverse("staff:home"))
    page.get_by_role("link", name="Referrals").first.click()
    expect(page.locator("h1")).to_have_text("Referrals")
    expect(page.locator(".govuk-tabs__tab[aria-current=page]")).to_contain_text("New (2, 1 overdue)")
    row = page.locator("table.govuk-table tbody tr").first
    expect(row).to_contain_text("Testina Example")
    expect(row).to_contain_text("Overdue")
    checked(page)

    # A wrong filter is explained; what was typed stays.
    page.locator("#id_received_from-day").fill("31")
    page.locator("#id_received_from-month").fill("2")
    page.locator("#id_received_from-year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Received from must be a real date")
    expect(page.locator("#id_received_from-day")).to_have_value("31")
    checked(page)
    page.get_by_label("Overdue only").check()
    page.locator("#id_received_from-day").fill("")
    page.locator("#id_received_from-month").fill("")
    page.locator("#id_received_from-year").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table.govuk-table tbody tr")).to_have_count(1)
    checked(page)

    page.get_by_role("link", name=referral.reference).click()
    expect(page.locator("h1")).to_have_text(referral.reference)
    expect(page.get_by_role("link", name="Testina Example")).to_be_visible()
    expect(page.get_by_role("link", name="Download fictional-notes.pdf")).to_be_visible()
    checked(page)

    page.get_by_role("button", name="Record sharing with police").click()
    expect(page.locator("h1")).to_have_text("Record sharing with police")
    checked(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the referral was shared")
    checked(page)
    page.get_by_label("Secure email").check()
    page.get_by_label("Notes (optional)").fill("Sent to the regional unit (fictional)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You recorded that {referral.reference} was shared with police")
    expect(page.locator("h1")).to_have_text(referral.reference)
    checked(page)

    page.get_by_role("button", name="Record the gateway outcome").click()
    expect(page.locator("h1")).to_have_text("Record the gateway outcome")
    checked(page)
    page.get_by_label("Signposted to other services").check()
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the service the person was signposted to")
    expect(page.get_by_label("Signposted to other services")).to_be_checked()
    checked(page)
    page.get_by_label("Proceed to Channel").check()
    page.get_by_label("Reasons for the outcome").fill("Fictional reasons given by the police")
    page.get_by_role("button", name="Save the outcome").click()
    case = ChannelCase.objects.get()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Channel case {case.reference} has been opened")
    expect(page.locator("main")).to_contain_text("cannot be changed")
    checked(page)

    page.get_by_role("link", name=f"Channel case {case.reference}").first.click()
    expect(page.locator("h1")).to_have_text(case.reference)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Testina Example")
    expect(page.locator(".govuk-summary-list")).to_contain_text(referral.reference)
    checked(page)

    page.get_by_role("link", name="Channel cases").first.click()
    expect(page.locator("table.govuk-table tbody tr")).to_have_count(1)
    checked(page)

    page.goto(reverse("triage:queue") + "?tab=decided")
    expect(page.locator("table.govuk-table tbody tr").first).to_contain_text("Proceed to Channel")
    checked(page)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_police_practitioner_sees_only_shared_referrals(page, live_server):
    signed_in(page, live_server, Role.POLICE_PRACTITIONER)
    ReferralFactory(subject_given_name="Unshared")
    ReferralFactory(subject_given_name="Sharedina", status=ReferralStatus.AWAITING_GATEWAY,
                    police_shared_at=timezone.now())
    page.goto(reverse("triage:queue"))
    expect(page.locator(".govuk-tabs__tab")).to_have_count(2)
    expect(page.locator("table.govuk-table tbody")).to_contain_text("Sharedina")
    expect(page.locator("main")).not_to_contain_text("Unshared")
    checked(page)
