"""A complaint worked through in real Chromium: the complaints officer
triages it, chooses the investigating officer, adds a point, acknowledges it
and gives more time; the investigating officer records a finding, a note and
the remedy; the complaints officer sends the response. Then the letter
wording and recording a complaint that came by post. Every page on the way,
error summaries included, passes axe-core and reflows."""

import importlib
import os

import pytest
from django.apps import apps
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.complaints.models import Complaint, Status
from prevent_hub.complaints.tests.factories import complaint_received

from .conftest import checked, signed_in, with_reference_data

SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def look(page, name):
    """Keep a screenshot when SCREENSHOTS_DIR is set (to read the pages by eye)."""
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/complaint-{name}.png", full_page=True)


@pytest.fixture
def complaint_letters(reference_data):
    """The letter wording migration 0002 loads (a transactional test before
    this one may have emptied the database)."""
    importlib.import_module("prevent_hub.complaints.migrations.0002_letter_templates").load(apps, None)


def done(page):
    """The success banner at the top of the page."""
    return page.locator(".govuk-notification-banner--success")


def become(page, cookies):
    """Switch the browser to another person already signed in."""
    page.context.clear_cookies()
    page.context.add_cookies(cookies)


@with_reference_data
@pytest.mark.usefixtures("complaint_letters")
@pytest.mark.django_db(transaction=True)
def test_a_complaint_from_triage_to_response_passes_axe(page, live_server):
    signed_in(page, live_server, Role.INVESTIGATING_OFFICER, full_name="Ines Example-Investigator")
    investigating = page.context.cookies()
    page.context.clear_cookies()
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER, full_name="Casey Example-Officer")
    officer = page.context.cookies()
    # By post, so nothing acknowledges it by email before the officer does.
    complaint = complaint_received(organisation_kind="council", organisation_name="",
                                   contact_preference="post", email="", address="1 Fictional Road, Testford",
                                   adjustments="Large print, please: I have a visual impairment.")
    base = f"{live_server.url}/staff/complaints/{complaint.reference}/"

    page.goto(base)
    expect(page.locator("h1")).to_have_text(complaint.reference)
    expect(page.locator("#adjustments")).to_contain_text("Large print, please")
    checked(page)
    look(page, "received")

    # Triage: refused first, then about how we applied the duty.
    page.get_by_role("link", name="Triage the complaint").first.click()
    page.get_by_role("button", name="Save the triage").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the complaint is about")
    checked(page)
    page.get_by_label("How we applied the Prevent duty").check()
    page.get_by_label("Making or handling a referral").check()
    page.get_by_role("button", name="Save the triage").click()
    expect(done(page)).to_contain_text("it is being investigated")
    checked(page)

    page.get_by_role("link", name="Choose the investigating officer").first.click()
    checked(page)
    page.get_by_label("Investigating officer").select_option(label="Ines Example-Investigator")
    page.get_by_role("button", name="Save the investigating officer").click()
    expect(done(page)).to_contain_text("Ines Example-Investigator is the")

    page.get_by_role("link", name="Add a point of complaint").click()
    checked(page)
    page.get_by_label("The point of complaint").fill("The school referred the child without telling us.")
    page.get_by_role("button", name="Add the point").click()
    expect(done(page)).to_contain_text("Point 1 added.")

    page.get_by_role("link", name="Acknowledge the complaint").click()
    expect(page.locator("textarea[name=body]")).to_contain_text(complaint.reference)
    checked(page)
    look(page, "acknowledge")
    page.get_by_role("button", name="Send the acknowledgement").click()
    expect(page.locator("h1")).to_contain_text("we have received it")
    checked(page)
    look(page, "letter")

    # More time: the date and reason first, then the holding letter with them.
    page.goto(base + "extend/")
    checked(page)
    page.get_by_role("button", name="Continue to the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new date for the response")
    checked(page)

    # The investigating officer's part.
    become(page, investigating)
    page.goto(base)
    expect(page.get_by_role("link", name="Triage the complaint")).to_have_count(0)
    checked(page)
    page.get_by_role("link", name="Record the finding on point 1").click()
    page.get_by_role("button", name="Record the finding").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select upheld, partly upheld or not upheld")
    checked(page)
    page.get_by_label("Partly upheld").check()
    page.get_by_label("Your reasons").fill("The school should have spoken to the family first.")
    page.get_by_role("button", name="Record the finding").click()
    expect(done(page)).to_contain_text("partly upheld")
    page.get_by_role("link", name="Add a note").click()
    checked(page)
    page.get_by_label("Note").fill("Read the school's record of the referral.")
    page.get_by_role("button", name="Add the note").click()
    page.get_by_role("link", name="Record the remedy and lessons learnt").click()
    checked(page)
    page.get_by_label("What the council will do to put things right (optional)").fill("A written apology.")
    page.get_by_role("button", name="Save").click()
    expect(done(page)).to_contain_text("Remedy and lessons learnt saved.")
    checked(page)
    look(page, "investigated")

    # The complaints officer sends the response.
    become(page, officer)
    page.goto(base)
    page.get_by_role("link", name="Send the response").click()
    expect(page.locator("#escalation")).to_contain_text("Local Government and Social Care Ombudsman")
    checked(page)
    look(page, "response")
    page.get_by_role("button", name="Send the response and close the complaint").click()
    expect(done(page)).to_contain_text("Response sent and the complaint closed.")
    expect(page.locator("main")).to_contain_text("Prevent Standards and Compliance Unit")
    checked(page)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RESPONDED
    page.goto(base)
    checked(page)
    look(page, "responded")


@with_reference_data
@pytest.mark.usefixtures("complaint_letters")
@pytest.mark.django_db(transaction=True)
def test_letter_wording_and_recording_a_complaint_pass_axe(page, live_server):
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER)

    page.goto(f"{live_server.url}/staff/complaints/letter-wording/")
    checked(page)
    page.get_by_role("link", name="Response letter").click()
    page.get_by_label("Letter").fill("Dear $complainant_name, by $whenever.")
    page.get_by_role("button", name="Save the wording").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("placeholders are not known: $whenever")
    checked(page)

    page.goto(f"{live_server.url}/staff/complaints/record/")
    checked(page)
    page.get_by_label("Letter").check()
    page.get_by_label("Complainant's full name").fill("Robin Example-Writer")
    page.get_by_role("button", name="Record the complaint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the complainant would like")
    checked(page)
    look(page, "record")
