"""The learner, own-record and course pages in real Chromium: a training
administrator lists learners, opens one, records a course with a mistake
and corrects it; a member of staff records their own course; the courses
table and a course's change page. Every page, error summaries included,
passes axe-core."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.training.models import Completion
from prevent_hub.training.tests import factories

from .conftest import checked, signed_in


@pytest.fixture
def courses(reference_data):
    """The courses training migration 0002 loads and the training records'
    retention policy (a transactional test before this one may have emptied
    the database; the shared reference data does not hold these yet)."""
    importlib.import_module("prevent_hub.retention.migrations.0002_training_record").load_default(apps, None)
    importlib.import_module("prevent_hub.training.migrations.0002_courses").load(apps, None)


@pytest.mark.usefixtures("courses")
@pytest.mark.django_db(transaction=True)
def test_an_administrator_records_a_course_for_a_learner_and_every_page_passes_axe(page, live_server):
    school = OrganisationFactory(name="Fictional Primary School (demo)")
    learner = factories.learner(full_name="Alex Example-Teacher", organisation=school,
                                is_safeguarding_lead=True)
    signed_in(page, live_server, Role.TRAINING_ADMINISTRATOR)

    page.goto(f"{live_server.url}/staff/training/learners/")
    checked(page)
    page.get_by_role("link", name="Alex Example-Teacher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Example-Teacher")
    checked(page)

    page.get_by_role("button", name="Record a completed course").click()
    page.get_by_label("Course").select_option(label="Prevent referrals")
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    page.get_by_label("Day").fill(str(last_week.day))
    page.get_by_label("Month").fill(str(last_week.month))
    page.get_by_label("Year").fill(str(last_week.year))
    page.get_by_role("button", name="Record the course").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("needs Prevent awareness completed first")
    checked(page)

    page.get_by_label("Course").select_option(label="Prevent awareness")
    page.get_by_role("button", name="Record the course").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Prevent awareness completed on")
    checked(page)
    assert Completion.objects.filter(learner=learner).count() == 1

    page.goto(f"{live_server.url}/staff/training/courses/")
    checked(page)
    page.get_by_role("link", name="Change Prevent referrals").click()
    page.get_by_label("Refresh period in months").fill("0")
    page.get_by_role("button", name="Save the course").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("from 1 to 120 months")
    checked(page)


@pytest.mark.usefixtures("courses")
@pytest.mark.django_db(transaction=True)
def test_staff_record_their_own_course_and_every_page_passes_axe(page, live_server):
    signed_in(page, live_server, organisation=OrganisationFactory(name="Fictional Housing Team (demo)"))

    page.goto(f"{live_server.url}/staff/training/yours/")
    expect(page.locator("main")).to_contain_text("You have no training recorded yet")
    checked(page)
    page.get_by_role("button", name="Record a course you have completed").click()
    page.get_by_role("button", name="Record the course").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the course")
    checked(page)

    page.get_by_label("Course").select_option(label="Channel awareness")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(str(timezone.localdate().year - 1))
    page.get_by_role("button", name="Record the course").click()
    expect(page.locator("main")).to_contain_text("Channel awareness")
    expect(page.locator("main")).to_contain_text("Recorded by the learner")
    checked(page)
