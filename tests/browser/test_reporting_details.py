"""A Prevent coordinator records a referral's reporting details in real
Chromium: the card on the referral's page, the page that records them (and
its error state), and the card again. Every page passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.referrals.models import Referral, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_coordinator_records_the_reporting_details(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    referral = ReferralFactory(status=ReferralStatus.AWAITING_GATEWAY, police_shared_at=timezone.now(),
                               received_at=timezone.now() - datetime.timedelta(days=2),
                               subject_date_of_birth=datetime.date(2011, 5, 1), sector="education")

    page.goto(reverse("triage:referral", kwargs={"reference": referral.reference}))
    card = page.locator("#reporting-details")
    expect(card).to_contain_text("Not yet recorded")
    expect(card).to_contain_text("Education")
    checked(page)

    page.goto(reverse("triage:gateway-outcome", kwargs={"reference": referral.reference}))
    expect(page.locator("#concern-type-reminder")).to_contain_text("The type of concern is not yet recorded")
    checked(page)
    page.get_by_role("link", name="record the type of concern in the reporting details").click()

    expect(page.locator("h1")).to_have_text("Reporting details")
    expect(page.get_by_role("group", name="Sector of referral").get_by_label("Education")).to_be_checked()
    checked(page)

    page.get_by_role("group", name="Type of concern").get_by_label("Extreme right-wing").check()
    page.get_by_role("group", name="Ethnicity").get_by_label("Not known").check()
    page.get_by_label("Age at referral (optional)").fill("two hundred")
    page.get_by_role("button", name="Save the reporting details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Age at referral must be a whole number, like 15")
    expect(page.get_by_label("Age at referral (optional)")).to_have_value("two hundred")
    concerns = page.get_by_role("group", name="Type of concern")
    expect(concerns.get_by_label("Extreme right-wing")).to_be_checked()
    checked(page)
    page.locator(".govuk-error-summary a").click()
    expect(page.get_by_label("Age at referral (optional)")).to_be_focused()

    page.get_by_label("Age at referral (optional)").fill("15")
    page.get_by_role("button", name="Save the reporting details").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Reporting details saved for {referral.reference}")
    expect(card).to_contain_text("Extreme right-wing")
    expect(card).to_contain_text("15")
    checked(page)
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.concern_type, referral.ethnicity, referral.age_at_referral) == (
        "extreme_right_wing", "not_known", 15)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_referral_from_before_april_2024_offers_the_earlier_categories(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR)
    referral = ReferralFactory(received_at=timezone.make_aware(datetime.datetime(2024, 2, 5, 10, 0)))
    page.goto(reverse("triage:reporting-details", kwargs={"reference": referral.reference}))
    concerns = page.get_by_role("group", name="Type of concern")
    expect(concerns.get_by_label("No risk, vulnerability or ideology present")).to_be_visible()
    expect(concerns.get_by_label("No ideology identified")).to_have_count(0)
    checked(page)
