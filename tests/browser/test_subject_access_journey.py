"""A subject access request from logging to release, in real Chromium: the
data protection officer logs it, verifies identity, finds the person and
the complaint she made (as a complainant she has no person record), then
everything held about them, redacts the referrer's name with a reason; the
officer's own approval is refused; a second person, signed in in another
browser, approves it and records the release; the bundle downloads as a PDF
and as JSON with the redaction in place. Every page passes axe-core."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.complaints.tests.factories import complaint_received
from prevent_hub.rights.models import BundleStatus, RequestStatus, RightsRequest
from prevent_hub.rights.tests.factories import person_with_records

from .conftest import _open_page, checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser

BANNER = ".govuk-notification-banner"
ERRORS = ".govuk-error-summary"


def _fill_date(page, name, day):
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_subject_access_request_from_logging_to_release(page, browser, live_server):
    signed_in(page, live_server, Role.DATA_PROTECTION_OFFICER, full_name="Dana Protection")
    person = person_with_records(referrals=2, notes=2, given_name="Zofia", family_name="Testowa-Example")
    referral = person.referrals.order_by("pk").first()
    complaint = complaint_received(complainant_name="Zofia Testowa-Example", relationship="self",
                                   affected_person_name="", email="zofia.complains@example.org",
                                   source="email")
    today = timezone.localdate()

    # An empty log says what to do.
    page.goto(reverse("rights:home"))
    expect(page.locator("main")).to_contain_text("No rights request has been logged yet")
    checked(page)

    # Log it: a refused form keeps what was typed.
    page.get_by_role("button", name="Log a request").click()
    checked(page)
    page.get_by_label("Name of the person who asked").fill("Zofia Testowa-Example")
    page.get_by_role("button", name="Log the request").click()
    expect(page.locator(ERRORS)).to_contain_text("Select what kind of request it is")
    expect(page.get_by_label("Name of the person who asked")).to_have_value("Zofia Testowa-Example")
    checked(page)
    page.get_by_label("Subject access (a copy of their data)").check()
    _fill_date(page, "received_on", today)
    page.get_by_label("The person themselves").check()
    page.get_by_label("How to contact them").fill("zofia@test.example (fictional)")
    page.get_by_label("Who the request is about").fill("Zofia Testowa-Example, fictional")
    page.get_by_role("button", name="Log the request").click()
    expect(page.locator(BANNER)).to_contain_text("logged")
    request = RightsRequest.objects.get()
    expect(page.locator("h1")).to_contain_text(request.reference)
    checked(page)

    # Verify identity.
    page.get_by_role("link", name="Verify the requester's identity").click()
    checked(page)
    page.get_by_label("Identity documents seen").check()
    page.get_by_role("button", name="Record how identity was verified").click()
    expect(page.locator(BANNER)).to_contain_text("Identity verified")
    checked(page)

    # Find the person.
    page.get_by_role("link", name="Find the person").click()
    checked(page)
    page.get_by_label("Name", exact=True).fill("zofia testowa-example")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("1 record found")
    checked(page)
    page.get_by_role("button", name=re.compile(f"This is the person.*record {person.pk}$")).click()
    expect(page.locator(BANNER)).to_contain_text(f"Person record {person.pk} linked")
    checked(page)

    # She also complained, by email: as a complainant she has no person record, so the officer finds
    # the complaint that names her and links it.
    page.get_by_role("link", name="Find complaints that name the requester").click()
    checked(page)
    page.get_by_label("Email address").fill("ZOFIA.COMPLAINS@example.org")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("1 complaint found")
    checked(page)
    page.get_by_role("button", name=f"Link complaint {complaint.reference}").click()
    expect(page.locator(BANNER)).to_contain_text(f"Complaint {complaint.reference} linked to the request")
    checked(page)
    page.get_by_role("link", name="Back to the request").click()

    # Find everything.
    page.get_by_role("button", name="Find everything held").click()
    expect(page.locator(BANNER)).to_contain_text("Everything held was found")
    expect(page.locator("main")).to_contain_text(referral.reference)
    expect(page.locator("main")).to_contain_text(complaint.reference)
    checked(page)

    # Redact the referrer's name, with a reason.
    item_key = f"referrals.referral:{referral.pk}"
    redact = reverse("rights:bundle-redact", args=[request.pk, item_key, "referrer_name"])
    page.locator(f'a[href="{redact}"]').click()
    expect(page.locator("main")).to_contain_text(referral.referrer_name)
    checked(page)
    page.get_by_role("button", name="Redact this field").click()
    expect(page.locator(ERRORS)).to_contain_text("Select the reason for the redaction")
    checked(page)
    page.get_by_label("Third-party information (DPA 2018 Sch 2 para 16)").check()
    page.get_by_role("textbox", name="Explanation").fill(
        "The referrer is a third party and did not consent (fictional).")
    page.get_by_role("button", name="Redact this field").click()
    expect(page.locator(BANNER)).to_contain_text("is redacted")
    expect(page.locator(f"#referrals-referral-{referral.pk}")).to_contain_text(
        "[Redacted: third-party information]")
    checked(page)

    # The officer who prepared it cannot approve it.
    page.goto(reverse("rights:bundle-approve", args=[request.pk]))
    checked(page)
    page.get_by_role("button", name="Approve the bundle").click()
    expect(page.locator(ERRORS)).to_contain_text("You prepared this bundle, so someone else must approve it")
    checked(page)

    # A second person, in their own browser, approves and records the release.
    context, second = _open_page(browser, live_server, javascript=True)
    try:
        signed_in(second, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
        second.goto(reverse("rights:approvals"))
        checked(second)
        second.get_by_role("link", name=request.reference).click()
        expect(second.locator("main")).to_contain_text("[Redacted: third-party information]")
        checked(second)
        second.get_by_role("button", name="Approve the bundle").click()
        expect(second.locator(BANNER)).to_contain_text("Bundle approved")
        checked(second)
        second.get_by_role("button", name="Record the release").click()
        expect(second.locator(ERRORS)).to_contain_text("Select how the bundle was sent")
        checked(second)
        _fill_date(second, "released_on", today)
        second.get_by_label("Secure email").check()
        second.get_by_role("button", name="Record the release").click()
        expect(second.locator(BANNER)).to_contain_text("Release recorded")
        checked(second)
    finally:
        context.close()

    # The officer downloads what was released.
    page.goto(reverse("rights:request", args=[request.pk]))
    expect(page.locator("main")).to_contain_text("Partly accepted")
    checked(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename == f"subject-access-{request.reference}.pdf"
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    released = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "[Redacted: third-party information]" in json.dumps(released, ensure_ascii=False)
    assert referral.referrer_name not in json.dumps(released, ensure_ascii=False)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED and request.bundle.status == BundleStatus.RELEASED
