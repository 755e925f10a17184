"""A complaints officer works from the complaints dashboard in real Chromium:
the summary cards lead to the complaints they count, the filters and search
work without JavaScript, a wrong date is explained, the quarterly counts
choose a financial year, and the printed list keeps the table and drops the
controls. Every page passes axe-core and reflows at 320 CSS px (checked
with JavaScript: axe runs in the page)."""

import datetime
import importlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.complaints import services
from prevent_hub.complaints.models import Scope
from prevent_hub.complaints.tests.factories import complaint_investigating, complaint_received, officer
from prevent_hub.core.quarters import financial_year_name, financial_year_of

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def complaints():
    """One complaint overdue to acknowledge, one being investigated, one
    about policy signposted; the letter wording migration 0002 loads (a
    transactional test before this one may have emptied the database)."""
    from django.apps import apps

    importlib.import_module("prevent_hub.complaints.migrations.0002_letter_templates").load(apps, None)
    by = officer()
    today = timezone.localdate()
    late = complaint_received(source="post", received_on=today - datetime.timedelta(days=20),
                              complainant_name="Lou Late-Example")
    investigating = complaint_investigating(by=by, complainant_name="Ira Investigated-Example")
    policy = services.complaint_triage(complaint=complaint_received(complainant_name="Pol Policy-Example"),
                                       scope=Scope.POLICY, category="other", acting_user=by,
                                       reasons="Fictional: about policy")
    services.complaint_signpost(complaint=policy, subject="Your complaint", body="A fictional letter.",
                                acting_user=by)
    return late, investigating, policy


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("networkidle")


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_its_cards_filters_and_counts_pass_axe(page, live_server):
    late, investigating, policy = complaints()
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER)

    page.goto("/staff/complaints/")
    expect(page.locator("h1")).to_have_text("Complaints")
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("tbody tr").first).to_contain_text(late.reference)
    expect(page.locator("tbody tr").first).to_contain_text("Overdue by")
    checked(page)

    page.get_by_role("link", name="1 overdue to acknowledge").click()
    expect(page.locator("#results")).to_have_text("1 complaint")
    expect(page.locator("tbody")).to_contain_text(late.reference)
    expect(page.get_by_label("Status")).to_have_value("overdue_acknowledgement")
    checked(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Search").fill("investigated")
    page.get_by_label("What it is about").select_option(label="How we applied the Prevent duty")
    apply_filters(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(investigating.reference)
    expect(page.get_by_role("link", name="Download these complaints as a spreadsheet (CSV)")).to_be_visible()
    checked(page)

    # A date with no year: explained, with what was typed kept.
    received_from = page.get_by_role("group", name="Received from")
    received_from.get_by_label("Day").fill("1")
    received_from.get_by_label("Month").fill("4")
    apply_filters(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Received from must include a year")
    expect(page.get_by_label("Search")).to_have_value("investigated")
    checked(page)

    page.get_by_label("Search").fill("no such complainant")
    apply_filters(page)
    expect(page.get_by_role("heading", name="No complaints match these filters")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Quarterly counts").click()
    expect(page.locator("h1")).to_have_text("Quarterly counts of complaints")
    expect(page.locator("table").first.locator("tbody tr").first).to_contain_text("3")
    checked(page)
    year = financial_year_of(timezone.localdate())
    page.get_by_label("Financial year", exact=True).select_option(label=financial_year_name(year))
    page.get_by_role("button", name="Show the counts").click()
    expect(page.locator("caption").first).to_have_text(f"Received and answered, {financial_year_name(year)}")
    checked(page)

    # Printed, the list keeps its table and drops the controls; GOV.UK prints
    # a link's address after it, but the references are enough.
    page.goto("/staff/complaints/")
    page.emulate_media(media="print")
    expect(page.locator("form[aria-label='Filter complaints']")).to_be_hidden()
    expect(page.locator("table")).to_be_visible()
    for link in (page.locator("tbody a").first, page.locator("main ul.govuk-grid-row a").first):
        after = link.evaluate("link => getComputedStyle(link, '::after').content")
        assert after in ("none", "normal"), after


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_filters_and_the_choice_of_year_work_without_javascript(page_without_js, live_server):
    page = page_without_js
    _late, investigating, policy = complaints()
    signed_in(page, live_server, Role.COMPLAINTS_OFFICER)

    page.goto("/staff/complaints/")
    page.get_by_label("Status").select_option(label="Out of scope: signposted")
    apply_filters(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(policy.reference)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Search").fill(investigating.reference.lower().replace("-", " "))
    apply_filters(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(investigating.reference)

    page.goto("/staff/complaints/counts/")
    year = financial_year_of(timezone.localdate())
    page.get_by_label("Financial year", exact=True).select_option(label=financial_year_name(year))
    page.get_by_role("button", name="Show the counts").click()
    expect(page.locator("caption").first).to_have_text(f"Received and answered, {financial_year_name(year)}")
