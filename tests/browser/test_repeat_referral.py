"""A repeat referral in real Chromium: a coordinator opens "Identify the
person" for a second referral about someone already known, sees the first
referral among the candidate's earlier referrals, says "not the same person"
by mistake, changes their mind, and lands on the person's record listing both
referrals, oldest first. Every page on the way passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.people.services import person_create_from_referral
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import checked, signed_in, with_reference_data

DOB = datetime.date(2009, 5, 17)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_second_referral_shows_the_first_to_the_coordinator(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
    first = ReferralFactory(
        subject_given_name="John", subject_family_name="Smith", subject_date_of_birth=DOB,
        subject_postcode="ZZ11ZZ", received_at=timezone.now() - datetime.timedelta(days=200),
        status=ReferralStatus.DECIDED, gateway_outcome=GatewayOutcome.NO_FURTHER_ACTION,
    )
    person = person_create_from_referral(
        referral=first, acting_user=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    second = ReferralFactory(subject_given_name="Jon", subject_family_name="Smyth",
                             subject_date_of_birth=DOB, subject_postcode="ZZ9 9ZZ")

    page.goto(reverse("people:identify", kwargs={"reference": second.reference}))
    expect(page.locator("h1")).to_have_text("Identify the person")
    card = page.locator(".govuk-summary-card", has_text="John Smith")
    expect(card).to_contain_text("similar name: Jon Smyth and John Smith")
    expect(card).to_contain_text("same date of birth")
    earlier = page.locator("table", has_text="Earlier referrals about John Smith")
    expect(earlier).to_contain_text(first.reference)
    expect(earlier).to_contain_text("No further action")
    page.get_by_text("How we look for the same person").click()
    expect(page.get_by_text("their name is similar and at least one other fact matches")).to_be_visible()
    checked(page)

    page.get_by_role("button", name="Not the same person as John Smith").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You said John Smith is not the person in referral {second.reference}")
    rejected = page.locator("details", has_text="not the same person, decided by Cora Coordinator")
    expect(rejected).to_be_visible()
    checked(page)

    rejected.locator("summary").click()
    rejected.get_by_role("button", name="Same person as John Smith", exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("people:detail", kwargs={"pk": person.pk}))
    expect(page.locator("h1")).to_have_text("John Smith")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Referral {second.reference} is now linked to John Smith")
    rows = page.locator("table", has_text=first.reference).locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(first.reference)
    expect(rows.nth(1)).to_contain_text(second.reference)
    # What the second referral said, beside her record.
    expect(page.locator(".govuk-summary-card", has_text=f"What {second.reference} said")).to_contain_text(
        "Jon Smyth")
    checked(page)

    page.goto(reverse("people:identify", kwargs={"reference": second.reference}))
    expect(page.locator(".govuk-inset-text")).to_contain_text("This referral is linked to John Smith")
    checked(page)
