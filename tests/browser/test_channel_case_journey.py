"""A Prevent coordinator works a Channel case in real Chromium: sends it to
the panel, sees the panel adopt it at a meeting, adds a panel member to the team, records an
information request and its response, adds a note and a correction, and reads
the timeline. Every page on the way passes axe-core."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import CaseStatus, ChannelCase
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.panels.models import ItemDecision
from prevent_hub.panels.tests.helpers import decided_at_a_meeting
from prevent_hub.people.tests.factories import PersonFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


# Bank holidays (a data migration) set the default due date of a request.
@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_coordinator_works_a_channel_case(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    case = ChannelCaseFactory(person=PersonFactory(given_name="Testina", family_name="Example"))
    UserFactory(roles=[Role.PANEL_MEMBER], full_name="Pat Panelmember")

    page.goto(reverse("channel:case-list"))
    checked(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("h1")).to_have_text(case.reference)
    expect(page.locator(".govuk-caption-l")).to_contain_text("Testina Example")
    checked(page)

    # Send to the panel: a missing reason is explained first.
    page.get_by_role("button", name="Send to the panel").click()
    expect(page.locator("h1")).to_have_text("Send the case to the panel")
    checked(page)
    page.get_by_role("button", name="Send to the panel").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    checked(page)
    page.get_by_label("Why is the case ready for the panel?").fill("Screening complete (fictional)")
    page.get_by_role("button", name="Send to the panel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Awaiting panel decision")
    checked(page)

    # Adoption is the panel's decision, at a meeting: not offered here.
    expect(page.get_by_role("button", name="Record adoption")).to_have_count(0)
    decided_at_a_meeting(case, ItemDecision.ADOPT, reasons="Panel agreed support is needed (fictional)")
    page.reload()
    expect(page.locator(".app-case-status .govuk-tag")).to_have_text("Adopted")
    expect(page.locator("table")).to_contain_text("Panel agreed support is needed (fictional)")
    checked(page)
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.ADOPTED

    # The team.
    page.get_by_role("link", name="Team").click()
    expect(page.locator("h1")).to_have_text("Team")
    checked(page)
    page.get_by_label("Person").select_option(label=f"Pat Panelmember ({_organisation('Pat Panelmember')})")
    page.get_by_label("Panel member").check()
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Pat Panelmember has been added")
    expect(page.locator("table")).to_contain_text("Pat Panelmember")
    checked(page)

    # An information request and its response.
    page.get_by_role("link", name="Information requests").click()
    checked(page)
    page.get_by_role("button", name="Add an information request").click()
    checked(page)
    page.get_by_label("Or the name of another organisation").fill("Fictional Academy")
    page.get_by_label("What is asked").fill("Attendance this term (fictional)")
    page.get_by_role("button", name="Save the request").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Waiting")
    checked(page)
    page.get_by_role("link", name="Record the answer").click()
    checked(page)
    page.get_by_label("Responded").check()
    page.get_by_label("Response").fill("Attendance is good (fictional)")
    today = timezone.localdate()
    page.locator("#id_answered_on-day").fill(str(today.day))
    page.locator("#id_answered_on-month").fill(str(today.month))
    page.locator("#id_answered_on-year").fill(str(today.year))
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Attendance is good (fictional)")
    checked(page)

    # A note and a correction.
    page.get_by_role("link", name="Notes and documents").click()
    checked(page)
    page.get_by_role("button", name="Add a note").click()
    checked(page)
    page.get_by_label("Note").fill("Spoke to the school (fictional)")
    page.get_by_role("button", name="Save the note").click()
    checked(page)
    page.get_by_role("link", name="Add a correction").click()
    checked(page)
    page.get_by_label("Correction").fill("It was the college, not the school (fictional)")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("It was the college")
    checked(page)

    # The timeline has it all, newest first.
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("h1")).to_have_text("Timeline")
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows.first).to_contain_text("Correction added")
    expect(page.locator("table")).to_contain_text("Adopted by the Channel panel")
    expect(page.locator("table")).to_contain_text("Information requested from Fictional Academy")
    checked(page)
    page.get_by_label("Order").select_option("oldest")
    page.get_by_role("button", name="Show").click()
    expect(rows.first).to_contain_text("Sent to the Channel panel")
    checked(page)


def _organisation(full_name):
    from prevent_hub.accounts.models import User

    return User.objects.get(full_name=full_name).organisation.name
