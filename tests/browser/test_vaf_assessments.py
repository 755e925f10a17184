"""A VAF assessment in real Chromium: a coordinator starts one, fills in a
dimension's factors and judgement, completes it on the check page and
compares it with an earlier one; an administrator opens the wording screens.
Every page on the way passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.channel.tests.factories_assessments import draft_assessment, fill_assessment

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_writing_completing_and_comparing_an_assessment(page, live_server):  # noqa: F811
    user = signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
    case = ChannelCaseFactory()
    earlier = draft_assessment(case, user, assessed_on=timezone.localdate() - datetime.timedelta(days=60))
    fill_assessment(earlier, user, evidence="Earlier fictional evidence")
    vaf.assessment_complete(assessment=earlier, acting_user=user)

    page.goto(reverse("channel:case-assessments", kwargs={"pk": case.pk}))
    checked(page)
    page.get_by_role("button", name="Start an assessment").click()
    checked(page)
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select when this assessment is being made")
    checked(page)
    page.get_by_label("At a review").check()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Start").click()

    expect(page.locator("h1")).to_have_text("Engagement with a group, cause or ideology")
    checked(page)
    grievance = page.locator("fieldset", has_text="Feelings of grievance and injustice")
    grievance.get_by_label("Evidence").fill("Later fictional evidence")
    grievance.get_by_role("checkbox", name="Not known").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("leave the evidence and source empty")
    checked(page)
    grievance = page.locator("fieldset", has_text="Feelings of grievance and injustice")
    grievance.get_by_role("checkbox", name="Not known").uncheck()
    grievance.get_by_label("Source of the information").fill("Fictional youth worker")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("h1")).to_have_text("Engagement with a group, cause or ideology")
    checked(page)
    page.get_by_label("Your judgement").fill("A fictional judgement on engagement.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator("h1")).to_contain_text("Assessment at a review")
    checked(page)

    later = case.assessments.order_by("-pk").first()
    fill_assessment(later, user, evidence="Later fictional evidence")
    page.get_by_role("button", name="Check and complete the assessment").click()
    checked(page)
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Assessment completed")
    expect(page.locator(".govuk-inset-text")).to_contain_text("cannot be changed")
    checked(page)

    page.goto(reverse("channel:assessment-compare", kwargs={"pk": case.pk}))
    row = page.locator("tr", has_text="Feelings of grievance and injustice")
    expect(row).to_contain_text("Earlier fictional evidence")
    expect(row).to_contain_text("Later fictional evidence")
    checked(page)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_the_wording_screens_are_accessible(page, live_server):  # noqa: F811
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR)
    page.goto(reverse("administration:vaf"))
    checked(page)
    page.get_by_role("button", name="Change the wording").click()
    checked(page)
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what has changed and why")
    checked(page)
