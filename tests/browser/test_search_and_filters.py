"""A Prevent coordinator searches the Channel case list and the triage queue
in real Chromium: a name spelt without its Polish letters, a status and an
area; a wrong date of birth explained; nothing found, said plainly. Every page
on the way passes axe-core and reflows at 320 CSS px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.tests.factories import ChannelCaseFactory, area_named
from prevent_hub.panels.tests.factories import PanelFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_coordinator_searches_the_case_list_and_the_queue(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
    PanelFactory(area=area_named("Northvale"))
    person = PersonFactory(given_name="Łukasz", family_name="Kowalski",
                           date_of_birth=datetime.date(2010, 4, 1))
    wanted = ChannelCaseFactory(person=person, area=area_named("Northvale"))
    ChannelCaseFactory(person=PersonFactory(given_name="Anna", family_name="Nowak"))

    page.goto(reverse("channel:case-list"))
    checked(page)
    page.get_by_label("Name or reference").fill("Lukasz Kowalski")
    page.get_by_label("Status", exact=True).select_option("open")
    page.get_by_label("Area", exact=True).select_option("Northvale")
    apply_filters(page)
    expect(page.locator("#results")).to_contain_text("1 case, newest first, matching:")
    expect(page.locator("main ul.govuk-list--bullet")).to_contain_text("Name: Lukasz Kowalski")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(wanted.reference)
    expect(page.get_by_role("link", name="Download these cases as a spreadsheet (CSV)")).to_be_visible()
    checked(page)

    # A date of birth with no month: explained, and what was typed kept.
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day").fill("1")
    born.get_by_label("Year").fill("2010")
    apply_filters(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date of birth must include a month")
    expect(page.get_by_label("Name or reference")).to_have_value("Lukasz Kowalski")
    checked(page)
    page.get_by_role("link", name="Date of birth must include a month").click()
    expect(page.get_by_role("group", name="Date of birth").get_by_label("Month")).to_be_focused()

    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("4")
    apply_filters(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Name or reference").fill("Nobody Known")
    apply_filters(page)
    expect(page.get_by_role("heading", name="No cases match these filters")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Clear filters").last.click()
    expect(page.locator("tbody tr")).to_have_count(2)

    # The triage queue: the same search among new referrals.
    referral = ReferralFactory(subject_given_name="Łukasz", subject_family_name="Kowalski",
                               received_at=timezone.now() - datetime.timedelta(hours=2))
    ReferralFactory(subject_given_name="Anna", subject_family_name="Nowak")
    page.goto(reverse("triage:queue"))
    page.get_by_label("Name or reference").fill("lukasz kowalsky")
    apply_filters(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(referral.reference)
    expect(page.locator("main")).to_contain_text("Only this tab is searched")
    checked(page)
