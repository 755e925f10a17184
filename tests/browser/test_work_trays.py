"""The coordinator dashboard and "your tasks" in real Chromium, with axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseStatus, InformationRequest, PlanAction
from prevent_hub.channel.tests.factories import ChannelCaseFactory

from .conftest import checked, signed_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sees_what_is_overdue_and_follows_it(page, live_server):
    coordinator = signed_in(page, live_server, Role.PREVENT_COORDINATOR)
    today = timezone.localdate()
    case = ChannelCaseFactory(status=CaseStatus.SCREENING, person__given_name="Testina",
                              person__family_name="Example")
    InformationRequest.objects.create(
        case=case, organisation_name="Exampleton Academy (demo)", question="Attendance (fictional)",
        requested_on=today - datetime.timedelta(days=14), due_date=today - datetime.timedelta(days=2),
        requested_by=coordinator)
    PlanAction.objects.create(case=case, description="Phone the school (fictional)", owner=coordinator,
                              due_date=today - datetime.timedelta(days=1), created_by=coordinator,
                              created_at=timezone.now())

    page.goto(reverse("staff:home"))
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("h1")).to_have_text("What is due on Channel cases")
    requests = page.get_by_role("table", name="Information requests", exact=True)
    expect(requests).to_contain_text("Exampleton Academy (demo)")
    checked(page)

    page.get_by_role("link", name="Information requests").first.click()
    expect(page.locator("h1")).to_have_text("Information requests")
    expect(page.locator("table")).to_contain_text("Overdue")
    checked(page)

    page.get_by_role("link", name="Your tasks").first.click()
    expect(page.locator("h1")).to_have_text("Your tasks")
    expect(page.get_by_role("table", name="Actions you own")).to_contain_text("Phone the school (fictional)")
    checked(page)
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("h1")).to_have_text("Support")  # where actions are done
    expect(page.locator("main")).to_contain_text(case.reference)
