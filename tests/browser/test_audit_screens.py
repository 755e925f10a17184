"""An auditor's journey in real Chromium: search the audit trail, get an
error explained, follow a record, and see who has accessed a record. Every
page on the way passes axe-core; the search also works without JavaScript."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.tests.helpers import write_events

from .conftest import checked, signed_in


@pytest.mark.django_db(transaction=True)
def test_an_auditor_searches_the_trail_and_sees_who_accessed_a_record(page, live_server):
    auditor = signed_in(page, live_server, Role.AUDITOR, full_name="Avery Auditor")
    subject = UserFactory(full_name="Sam Subject")
    viewer = UserFactory(email="pat.viewer@police.example")
    write_events(3, user=viewer, object_type="accounts.user", object_id=str(subject.pk))
    write_events(1, user=viewer, action=AuditAction.UPDATE, object_type="accounts.user",
                 object_id=str(subject.pk), changed_fields=["email"])

    page.goto(reverse("audit:search"))
    expect(page.locator("h1")).to_have_text("Search the audit trail")
    checked(page)

    # A mistake first: it is explained, and what was typed stays.
    page.get_by_label("Email address").fill("pat.viewer@")
    page.locator("#id_date_from-day").fill("31")
    page.locator("#id_date_from-month").fill("2")
    page.locator("#id_date_from-year").fill("2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("From date must be a real date")
    expect(page.get_by_label("Email address")).to_have_value("pat.viewer@")
    expect(page).to_have_title("Error: Search the audit trail – Prevent Hub – Shireford County Council")
    checked(page)

    page.locator("#id_date_from-day").fill("")
    page.locator("#id_date_from-month").fill("")
    page.locator("#id_date_from-year").fill("")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_have_text("4 events")
    table = page.locator("table.govuk-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_contain_text("Updated")
    expect(table.locator("tbody tr").first).to_contain_text("pat.viewer@police.example")
    checked(page)
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, actor=auditor).count() == 1

    # The record cell searches for that record.
    table.get_by_role("link", name=f"User {subject.pk}").first.click()
    expect(page.get_by_label("Type of record")).to_have_value("accounts.user")
    expect(page.get_by_label("Record ID or reference", exact=True)).to_have_value(str(subject.pk))
    checked(page)

    page.goto(reverse("audit:record-access", kwargs={"object_type": "accounts.user",
                                                     "object_id": subject.pk}))
    expect(page.locator("h1")).to_have_text("Who has accessed this record")
    expect(page.locator(".govuk-caption-l")).to_have_text("User: Sam Subject")
    expect(page.locator("table.govuk-table tbody tr")).to_have_count(4)
    checked(page)


@pytest.mark.django_db(transaction=True)
def test_the_search_works_without_javascript(page_without_js, live_server):
    signed_in(page_without_js, live_server, Role.AUDITOR)
    # A record type the sign-in itself cannot add events to.
    write_events(2, object_type="people.person", object_id="12")
    page_without_js.goto(reverse("audit:search"))
    page_without_js.get_by_label("Type of record").select_option("people.person")
    page_without_js.get_by_label("Record ID or reference", exact=True).fill("12")
    page_without_js.get_by_role("button", name="Search").click()
    expect(page_without_js.locator("#results")).to_have_text("2 events")
    expect(page_without_js.locator("table.govuk-table tbody tr")).to_have_count(2)
