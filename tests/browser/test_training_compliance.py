"""A training administrator shows a school who is out of date, in real
Chromium: the compliance table by organisation and by role, the school's
page with its learners by standing, a filter that works without
JavaScript, and the printed list without its controls. Every page passes
axe-core (checked with JavaScript: axe runs in the page)."""

import datetime
import importlib

import pytest
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.training.tests.factories import administrator, completed, learner

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def school():
    """A fictional school with one learner of each standing and a safeguarding
    lead without the referrals course; the courses and the training records'
    retention policy the migrations load (a transactional test before this
    one may have emptied the database)."""
    from django.apps import apps
    from django.utils import timezone

    importlib.import_module("prevent_hub.retention.migrations.0002_training_record").load_default(apps, None)
    importlib.import_module("prevent_hub.training.migrations.0002_courses").load(apps, None)
    admin = administrator()
    academy = OrganisationFactory(name="Fictional Example Academy (demo)")
    today = timezone.localdate()

    def person(name, role="Teacher", **values):
        return learner(acting_user=admin, organisation=academy, full_name=name, job_role=role, **values)

    completed(person("Ann Example-Teacher"), "prevent-awareness", today - datetime.timedelta(days=30),
              acting_user=admin)
    completed(person("Cat Example-Assistant", "Teaching assistant"), "prevent-awareness",
              today - datetime.timedelta(days=900), acting_user=admin)
    person("Dan Example-Teacher")
    completed(person("Eve Example-Head", "Headteacher", is_safeguarding_lead=True), "prevent-awareness",
              today - datetime.timedelta(days=10), acting_user=admin)
    return academy


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_compliance_pages_show_who_is_out_of_date_and_pass_axe(page, live_server):
    academy = school()
    signed_in(page, live_server, Role.TRAINING_ADMINISTRATOR)

    page.goto("/staff/training/")
    expect(page.locator("h1")).to_contain_text("Training compliance")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Fictional Example Academy (demo)")
    checked(page)

    page.get_by_role("link", name="By role", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(3)
    checked(page)

    page.get_by_role("link", name="By organisation", exact=True).click()
    page.get_by_role("link", name="Fictional Example Academy (demo)").click()
    expect(page).to_have_url(f"{live_server.url}/staff/training/organisations/{academy.pk}/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Cat Example-Assistant")
    expect(rows.nth(0)).to_contain_text("Overdue")
    expect(rows.nth(1)).to_contain_text("Never trained")
    expect(page.locator("tbody")).to_contain_text("Referrals course needed")
    checked(page)

    # Printed, the list keeps its table and drops the filters and links.
    page.emulate_media(media="print")
    expect(page.locator("form[aria-label='Filter learners']")).to_be_hidden()
    download = page.get_by_role("link", name="Download every learner listed as a spreadsheet (CSV)")
    expect(download).to_be_hidden()
    expect(page.locator("table")).to_be_visible()


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_learners_filters_work_without_javascript(page_without_js, live_server):
    page = page_without_js
    academy = school()
    signed_in(page, live_server, Role.TRAINING_LEAD, organisation=academy)

    page.goto(f"/staff/training/organisations/{academy.pk}/")
    page.get_by_label("Safeguarding and Prevent leads").select_option(
        label="Only leads without the referrals course in date")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Eve Example-Head")

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Standing", exact=True).select_option(label="Never trained")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Dan Example-Teacher")
