"""A parent complains about how their son's school applied the Prevent duty,
in real Chromium, with JavaScript and without: from the public complaints
page (which promises the deadlines the settings set) through every question,
the mistakes they make refused with a message and put right, consent to
share asked twice, check your answers with a change, send, the reference
and the dates, and the acknowledgement email. Every page, errors included, reflows at 320
CSS px, and with JavaScript passes axe-core (axe-core cannot run in a page
whose scripts are off: its promise never settles)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.complaints.models import Complaint, Consent
from prevent_hub.core.formatting import govuk_date

from .conftest import assert_reflows, checked, with_reference_data

pytestmark = pytest.mark.browser


def looked_at(page):
    if page.javascript_enabled:
        checked(page)
    else:
        assert_reflows(page)


def heading(page, text):
    expect(page.locator("main h1")).to_have_text(text)
    looked_at(page)


def continue_to(page, next_heading):
    page.get_by_role("button", name="Continue").click()
    heading(page, next_heading)


def refused(page, message):
    """The page is shown again with the message in the summary and at the question."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(message)
    expect(page.locator(".govuk-error-message").filter(has_text=message)).to_be_visible()
    assert page.title().startswith("Error: ")
    looked_at(page)


@pytest.mark.django_db(transaction=True)
@with_reference_data
@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_parent_complains_about_a_school_and_gets_a_reference(request, javascript, settings):
    settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = 3
    settings.COMPLAINT_RESPOND_WORKING_DAYS = 20
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    mail.outbox.clear()

    page.goto(reverse("public:complaints"))
    heading(page, "Complaints about Prevent")
    expect(page.locator("main")).to_contain_text(
        "We will acknowledge your complaint within 3 working days and respond within 20 working days")
    page.get_by_role("button", name="Make a complaint").click()

    heading(page, "About you")
    page.get_by_role("button", name="Continue").click()
    refused(page, "Enter your full name")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select how you are connected to the person affected")
    page.get_by_label("Your full name").fill("Pat Example-Parent")
    page.get_by_label("Parent or carer of the person affected").check()
    continue_to(page, "The person affected")
    page.get_by_label("Their full name").fill("Sam Example-Child")
    continue_to(page, "How to contact you")
    page.get_by_label("Email", exact=True).check()
    continue_to(page, "Your contact details")
    page.get_by_label("Email address").fill("pat at example dot org")
    page.get_by_role("button", name="Continue").click()
    refused(page, "Enter your email address in the correct format, like name@example.org")
    expect(page.get_by_label("Email address")).to_have_value("pat at example dot org")
    page.get_by_label("Email address").fill("pat.parent@example.org")
    continue_to(page, "Adjustments")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    refused(page, "Enter the adjustments you need")
    page.get_by_label("If yes, what do you need?").fill("Letters in large print, please.")
    continue_to(page, "What happened")
    page.get_by_label("What happened?").fill(
        "The school referred my son to Prevent after a history essay, without speaking to us first.")
    if javascript:
        expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
    continue_to(page, "When it happened")
    page.get_by_label("Day", exact=True).fill("3")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2099")
    page.get_by_role("button", name="Continue").click()
    refused(page, "The date it happened must be today or in the past")
    expect(page.get_by_label("Year", exact=True)).to_have_value("2099")
    page.get_by_label("Year", exact=True).fill("2026")
    continue_to(page, "The organisation involved")
    page.get_by_label("A school, college or nursery").check()
    page.get_by_role("button", name="Continue").click()
    refused(page, "Enter the name of the organisation")
    page.get_by_label("Name of the organisation").fill("Testford Example Academy")
    continue_to(page, "The outcome you want")
    page.get_by_label("What would you like to happen as a result of your complaint?").fill(
        "An explanation and an apology.")
    continue_to(page, "Sharing your complaint with the organisation")
    group = page.get_by_role("group", name="Can we share your complaint with Testford Example Academy?")
    group.get_by_label("Yes").check()
    continue_to(page, "Sharing your complaint with StaCU")
    expect(page.locator("main")).to_contain_text("you can say yes to one and no to the other")
    page.get_by_role("button", name="Continue").click()
    refused(page, "Select yes if we can share your complaint with StaCU")
    page.get_by_label("No", exact=True).check()
    continue_to(page, "Check your answers before sending your complaint")

    main = page.locator("main")
    for shown in ("Pat Example-Parent", "Sam Example-Child", "pat.parent@example.org",
                  "Letters in large print, please.", "3 November 2026", "Testford Example Academy"):
        expect(main).to_contain_text(shown)
    page.get_by_role("link", name="Change what happened").click()
    heading(page, "What happened")
    expect(page.get_by_label("What happened?")).to_have_value(re.compile("after a history essay"))
    page.get_by_label("What happened?").fill(
        "The school referred my son to Prevent after a history essay, without speaking to us. "
        "Nobody has told us what was shared.")
    continue_to(page, "Check your answers before sending your complaint")
    expect(main).to_contain_text("Nobody has told us what was shared.")

    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Complaint sent")
    looked_at(page)
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"CMP-\d{4}-\d{6}", complaint.reference)
    expect(page.locator(".govuk-panel__body")).to_contain_text(complaint.reference)
    acknowledge_by, respond_by = govuk_date(complaint.acknowledge_by), govuk_date(complaint.respond_by)
    expect(main).to_contain_text(f"We will acknowledge your complaint by {acknowledge_by}")
    expect(main).to_contain_text(f"We will send you our response by {respond_by}")
    assert complaint.what_happened.endswith("Nobody has told us what was shared.")
    assert (complaint.organisation_consent, complaint.stacu_consent) == (Consent.GIVEN, Consent.REFUSED)
    assert complaint.stacu_consent_on is None and complaint.organisation_consent_on == complaint.received_on

    assert len(mail.outbox) == 1
    assert complaint.reference in mail.outbox[0].subject
    assert respond_by in mail.outbox[0].body
