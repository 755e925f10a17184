"""Issue 17's "done means", tried as the people who use it would, in real
Chromium with axe-core on every page: a parent complains online about how
the council's Prevent team handled a referral from their son's school; the
complaints officer finds it on the dashboard, triages it and gives it to an
investigating officer, who records a finding; the complaints officer sends
the response, which tells the parent how to escalate; and the quarterly
counts show it answered within the deadline. A second parent's complaint
about the school itself is passed to the school only once they have agreed."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.complaints.models import Complaint, Status
from prevent_hub.complaints.tests.factories import complaint_received

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def go_on(page):
    page.get_by_role("button", name="Continue").click()
    checked(page)


def done(page):
    return page.locator(".govuk-notification-banner--success")


def become(page, cookies):
    page.context.clear_cookies()
    page.context.add_cookies(cookies)


def complain_online(page):
    """The parent's complaint, every question answered first time."""
    page.goto(reverse("public:complaints"))
    checked(page)
    page.get_by_role("button", name="Make a complaint").click()
    checked(page)
    page.get_by_label("Your full name").fill("Jordan Example-Parent")
    page.get_by_label("Parent or carer of the person affected").check()
    go_on(page)
    page.get_by_label("Their full name").fill("Kit Example-Parent")
    go_on(page)
    page.get_by_label("Email", exact=True).check()
    go_on(page)
    page.get_by_label("Email address").fill("jordan.parent@example.org")
    go_on(page)
    page.get_by_label("No", exact=True).check()
    go_on(page)
    page.get_by_label("What happened?").fill(
        "After the school's referral, a council Prevent officer visited us without telling us why, "
        "and nobody has explained what happens next.")
    go_on(page)
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    go_on(page)
    page.get_by_label("The council (us)").check()
    go_on(page)
    page.get_by_label("What would you like to happen as a result of your complaint?").fill(
        "An explanation of the visit.")
    go_on(page)
    page.get_by_label("No", exact=True).check()
    go_on(page)
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Complaint sent")
    checked(page)
    return Complaint.objects.get(email="jordan.parent@example.org")


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_parent_complains_it_is_investigated_and_answered_on_time_with_how_to_escalate(page, live_server):
    mail.outbox.clear()
    complaint = complain_online(page)
    # Acknowledged straight away, by email, naming the dates.
    assert complaint.reference in mail.outbox[0].subject and complaint.acknowledged_on == timezone.localdate()

    page.context.clear_cookies()
    signed_in(page, live_server, Role.INVESTIGATING_OFFICER, full_name="Ines Example-Investigator")
    investigator = page.context.cookies()
    page.context.clear_cookies()
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER, full_name="Casey Example-Officer")
    officer = page.context.cookies()

    # The dashboard: awaiting triage, found by its reference.
    page.goto(f"{live_server.url}{reverse('complaints:dashboard')}")
    expect(page.locator("h1")).to_have_text("Complaints")
    checked(page)
    page.get_by_label("Search").fill(complaint.reference.lower().replace("-", " "))
    page.get_by_role("button", name="Apply filters").click()
    checked(page)
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.locator("h1")).to_have_text(complaint.reference)
    checked(page)

    page.get_by_role("link", name="Triage the complaint").first.click()
    page.get_by_label("How we applied the Prevent duty").check()
    page.get_by_label("Making or handling a referral").check()
    page.get_by_role("button", name="Save the triage").click()
    checked(page)
    page.get_by_role("link", name="Choose the investigating officer").first.click()
    page.get_by_label("Investigating officer").select_option(label="Ines Example-Investigator")
    page.get_by_role("button", name="Save the investigating officer").click()
    page.get_by_role("link", name="Add a point of complaint").click()
    page.get_by_label("The point of complaint").fill("The family were not told why the officer visited.")
    page.get_by_role("button", name="Add the point").click()
    expect(done(page)).to_contain_text("Point 1 added.")
    checked(page)

    become(page, investigator)
    page.goto(f"{live_server.url}{reverse('complaints:complaint', args=[complaint.reference])}")
    page.get_by_role("link", name="Record the finding on point 1").click()
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Your reasons").fill("The officer's letter before the visit was never sent.")
    page.get_by_role("button", name="Record the finding").click()
    expect(done(page)).to_contain_text("upheld")
    checked(page)

    become(page, officer)
    page.goto(f"{live_server.url}{reverse('complaints:complaint', args=[complaint.reference])}")
    page.get_by_role("link", name="Send the response").click()
    expect(page.locator("#escalation")).to_contain_text("Local Government and Social Care Ombudsman")
    checked(page)
    page.get_by_role("button", name="Send the response and close the complaint").click()
    expect(done(page)).to_contain_text("Response sent and the complaint closed.")
    checked(page)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED and complaint.outcome == "upheld"
    response = mail.outbox[-1]
    assert response.to == ["jordan.parent@example.org"]
    assert "Prevent Standards and Compliance Unit" in response.body
    assert "Local Government and Social Care Ombudsman" in response.body

    # The council can show how many it answered on time.
    page.goto(f"{live_server.url}{reverse('complaints:counts')}")
    checked(page)
    expect(page.locator("main")).to_contain_text("100%")


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_complaint_about_the_school_is_passed_on_only_once_the_parent_agrees(page, live_server):
    complaint = complaint_received(organisation_consent="not_asked")
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER)
    base = f"{live_server.url}{reverse('complaints:complaint', args=[complaint.reference])}"
    page.goto(base)
    page.get_by_role("link", name="Triage the complaint").first.click()
    page.get_by_label("How another organisation applied the Prevent duty").check()
    page.get_by_label("Making or handling a referral").check()
    page.get_by_label("Your reasons").fill("It is about the school's own referral.")
    page.get_by_role("button", name="Save the triage").click()
    checked(page)

    page.goto(base + "pass-on/")
    expect(page.locator("#no-consent")).to_contain_text("has not agreed")
    checked(page)
    page.get_by_role("link", name="Record their consent").click()
    checked(page)
    # The parent agreed by telephone today.
    page.get_by_label("Yes, they agreed").check()
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Save the consent").click()
    expect(done(page)).to_contain_text("Consent recorded.")
    checked(page)

    page.goto(base + "pass-on/")
    expect(page.locator("#no-consent")).to_have_count(0)
    page.get_by_label("Who was it passed to?").fill("Headteacher, Testford Example Academy")
    page.get_by_label("How was it sent?").fill("Secure email to the headteacher")
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Continue to the letter").click()
    checked(page)
    page.get_by_role("button", name="Send the letter and close the complaint").click()
    expect(done(page)).to_be_visible()
    checked(page)
    complaint.refresh_from_db()
    assert complaint.status == Status.PASSED_ON
    sharing = complaint.sharings.get()
    assert sharing.shared_on == complaint.organisation_consent_on == today
    assert "Local Government and Social Care Ombudsman" in complaint.letters.get(kind="passed_on").body
