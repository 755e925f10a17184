"""A Prevent coordinator reads the council's Prevent duty assurance summary
in real Chromium: this year's page, another year chosen from the list, a
year that is not there, and the page printed (no navigation, the heading
naming the council, the year and the day it was produced, sections kept
together). Every page passes axe-core and reflows at 320 CSS px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.quarters import financial_year_name, financial_year_of
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.training.tests.factories import administrator, completed, learner

from .conftest import assert_accessible, checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def recorded():
    """A learner trained this year and referrals this year and last."""
    today = timezone.localdate()
    admin = administrator()
    completed(learner(acting_user=admin), "prevent-awareness", today, acting_user=admin)
    ReferralFactory(received_at=timezone.now())
    ReferralFactory(received_at=timezone.now() - datetime.timedelta(days=400))
    return financial_year_of(today)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_summary_reads_chooses_a_year_and_prints_without_navigation(page, live_server, settings):
    year = recorded()
    last = financial_year_of(timezone.localdate() - datetime.timedelta(days=400))
    signed_in(page, live_server, Role.PREVENT_COORDINATOR)

    page.goto("/staff/assurance/")
    expect(page.locator("h1")).to_have_text(f"Prevent duty assurance summary {financial_year_name(year)}")
    expect(page.locator("tr[data-figure='referrals.received'] td").last).to_have_text("1")
    expect(page.locator("tr[data-figure='training.in_date'] td").last).to_have_text("1")
    checked(page)

    page.get_by_label("Financial year", exact=True).select_option(value=str(last))
    page.get_by_role("button", name="Show the summary").click()
    expect(page).to_have_url(f"{live_server.url}/staff/assurance/{last}/")
    expect(page.locator("h1")).to_have_text(f"Prevent duty assurance summary {financial_year_name(last)}")
    expect(page.locator("tr[data-figure='referrals.received'] td").last).to_have_text("1")
    checked(page)

    # Printed: no navigation, header, breadcrumbs, year chooser or download
    # links; the heading says whose summary, which year and when it was made.
    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".govuk-header", ".govuk-breadcrumbs", ".govuk-footer",
                   "form[aria-label='Choose a financial year']", "a[href$='assurance.csv']"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_have_text(settings.COUNCIL_NAME)
    produced = f"Produced on {govuk_date(timezone.localdate())}"
    expect(page.locator("#assurance-period")).to_contain_text(produced)
    expect(page.locator("table")).to_have_count(6)
    breaks = page.locator(".app-assurance__section").first.evaluate("s => getComputedStyle(s).breakInside")
    assert breaks == "avoid"
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_an_empty_year_and_a_year_not_there_are_explained(page, live_server):
    signed_in(page, live_server, Role.AUDITOR)
    page.goto("/staff/assurance/")
    expect(page.locator("#empty-referrals")).to_contain_text("Every figure for")
    checked(page)

    response = page.goto("/staff/assurance/1999/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("There is no assurance summary for that year")
    # Not checked(): the browser logs the 404 status itself as a console error.
    assert_accessible(page)
