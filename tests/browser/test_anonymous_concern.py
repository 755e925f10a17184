"""A parent answers the guided questions about their child, then tells the
Prevent team without giving their name, in real Chromium: the confirmation
page says "concern" and repeats "tell First Response as well". Every page
passes axe-core and reflows at 320 CSS px."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.referrals.models import Referral

from .conftest import checked, with_reference_data

pytestmark = pytest.mark.browser


def heading(page, text):
    expect(page.locator("main h1")).to_have_text(text)
    checked(page)


def choose_and_continue(page, label, next_heading):
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    heading(page, next_heading)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_parent_tells_the_prevent_team_without_giving_their_name(page):
    page.goto(reverse("public:get-help-start"))
    heading(page, "Is anyone in immediate danger?")
    choose_and_continue(page, "No",
                        "Is your concern about terrorist or extremist material you have seen online?")
    choose_and_continue(page, "No", "Which of these best describes you?")
    choose_and_continue(page, "A family member or friend of the person",
                        "Is the person you are worried about a child or an adult?")
    choose_and_continue(page, "A child or young person under 18", "Check your answers")
    page.get_by_role("button", name="See who can help").click()
    heading(page, "Who can help")
    page.get_by_role("button", name="Tell the Prevent team about your concern").click()

    heading(page, "Raise a concern about someone")
    page.get_by_role("button", name="Start now").click()
    heading(page, "About you")
    expect(page.locator("main")).to_contain_text("You do not have to tell us who you are")
    page.get_by_role("button", name="Continue").click()  # nothing about themselves
    heading(page, "The person you are worried about")
    page.get_by_label("First name (if you know it)").fill("Fictional")
    page.get_by_label("Approximate age (optional)").fill("14")
    page.get_by_role("button", name="Continue").click()
    heading(page, "What worries you")
    page.get_by_label("What worries you?").fill("A made-up worry for a test.")
    page.get_by_role("button", name="Continue").click()
    heading(page, "Who knows you are telling us")
    page.locator("input[name=subject_aware][value=no]").check()
    page.locator("input[name=family_aware][value=yes]").check()
    page.get_by_role("button", name="Continue").click()
    heading(page, "Check your answers before sending your concern")
    page.get_by_role("button", name="Send concern").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Concern received")
    checked(page)
    main = page.locator("main")
    expect(main).to_contain_text(
        "Keep a note of your reference. Quote it if you contact us about this concern.")
    expect(main.get_by_role("heading", name="Who else to tell")).to_be_visible()
    expect(main).to_contain_text("First Response Children's Duty")
    expect(main).not_to_contain_text("(PDF)")
    referral = Referral.objects.get()
    assert referral.referrer_name == "" and referral.referrer_email == ""
    assert mail.outbox == []
