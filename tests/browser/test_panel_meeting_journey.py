"""Issue 6's "Done means", in real Chromium: a chair schedules a meeting,
the agenda fills itself from the cases that need the panel, attendance and
decisions are recorded (and refused without police for the person's area),
the cases move, and approved minutes come out without retyping. Every page
visited passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.channel.models import CaseStatus, ChannelCase, PlanAction
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.models import AgendaItem, MinutesStatus
from prevent_hub.panels.tests.factories import PanelFactory, member_add
from prevent_hub.people.tests.factories import PersonFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser

BANNER = ".govuk-notification-banner"
ERRORS = ".govuk-error-summary"


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_chair_runs_a_panel_meeting_from_schedule_to_approved_minutes(page, live_server):
    chair = signed_in(page, live_server, Role.CHANNEL_CHAIR, full_name="Chris Chair")
    panel = PanelFactory(name="Fictional North Channel Panel", area=area_named("Fictional North"),
                         chair=chair)
    force = OrganisationFactory(name="Fictional Shire Constabulary", type=OrganisationType.POLICE)
    officer = UserFactory(roles=[Role.POLICE_PRACTITIONER], full_name="Pat Police", organisation=force)
    member_add(panel, officer)
    today = timezone.localdate()
    waiting = case_in(CaseStatus.AWAITING_PANEL,
                      person=PersonFactory(given_name="Testina", family_name="Waiting"))
    review_due = case_in(CaseStatus.SUPPORT, next_review_date=today,
                         person=PersonFactory(given_name="Testo", family_name="Reviewed"))
    case_in(CaseStatus.SUPPORT, next_review_date=today + datetime.timedelta(days=90))  # not due

    # Schedule.
    page.goto(reverse("panels:home"))
    checked(page)
    page.get_by_role("button", name="Schedule a meeting").click()
    checked(page)
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.locator(ERRORS)).to_contain_text("Enter the date of the meeting")
    checked(page)
    # On a Saturday (the last one, so decisions can be recorded today): the
    # chair is asked to confirm the day, and nothing typed is lost.
    saturday = today - datetime.timedelta(days=(today.weekday() - 5) % 7)
    page.locator("#id_date-day").fill(str(saturday.day))
    page.locator("#id_date-month").fill(str(saturday.month))
    page.locator("#id_date-year").fill(str(saturday.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Committee Room 2, Fictional County Hall")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("is a Saturday")
    expect(page.get_by_label("Place")).to_have_value("Committee Room 2, Fictional County Hall")
    checked(page)
    page.get_by_label(f"Yes, schedule it on {govuk_date(saturday)}").check()
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.locator(BANNER)).to_contain_text("The meeting has been scheduled")
    checked(page)

    # The agenda fills itself.
    page.get_by_role("button", name="Build the agenda from the cases").click()
    expect(page.locator(BANNER)).to_contain_text("2 cases added to the agenda")
    agenda = page.get_by_role("table", name="Agenda items in order")
    expect(agenda).to_contain_text(waiting.reference)
    expect(agenda).to_contain_text(review_due.reference)
    checked(page)
    page.get_by_role("button", name="Down item 1").click()
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {waiting.reference} is now item 2 of 2")
    first = AgendaItem.objects.get(position=1)
    assert first.case_id == review_due.pk
    checked(page)

    # No police yet: the decision is refused and nothing changes.
    waiting_item = AgendaItem.objects.get(case=waiting)
    page.get_by_role("link", name=f"Record decision on item {waiting_item.position}").click()
    checked(page)
    page.get_by_label("Adopt as a Channel case").check()
    page.get_by_label("Consensus").check()
    page.get_by_label("The panel's reasons").fill("Fictional: the panel agreed support is needed")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(ERRORS)).to_contain_text("Record a police representative for Fictional North")
    expect(page.get_by_label("The panel's reasons")).to_have_value(
        "Fictional: the panel agreed support is needed")
    assert ChannelCase.objects.get(pk=waiting.pk).status == CaseStatus.AWAITING_PANEL
    checked(page)

    # Attendance.
    page.goto(reverse("panels:attendance", kwargs={"pk": waiting_item.meeting_id}))
    checked(page)
    present = page.get_by_role("group", name="Who is present?")
    present.get_by_label(f"Pat Police — {force.name}").check()
    present.get_by_label(f"Chris Chair — {chair.organisation.name}").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(BANNER)).to_contain_text("Attendance has been saved")
    checked(page)

    # Decisions change the cases.
    page.goto(reverse("panels:item-decide",
                      kwargs={"pk": waiting_item.meeting_id, "item_pk": waiting_item.pk}))
    page.get_by_label("Adopt as a Channel case").check()
    page.get_by_label("Majority vote").check()
    page.get_by_label("Votes for").fill("5")
    page.get_by_label("Votes against").fill("1")
    page.get_by_label("The panel's reasons").fill("Fictional: the panel agreed support is needed")
    page.get_by_label("Action 1: what is to be done").fill("Seek consent from the person (fictional)")
    page.get_by_label("Action 1: who does it").select_option(label=f"Pat Police ({force.name})")
    page.locator("#id_action_1_due_date-day").fill(str(today.day))
    page.locator("#id_action_1_due_date-month").fill(str(today.month))
    page.locator("#id_action_1_due_date-year").fill(str(today.year))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(BANNER)).to_contain_text("Decision recorded on item 2")
    checked(page)
    assert ChannelCase.objects.get(pk=waiting.pk).status == CaseStatus.ADOPTED
    assert PlanAction.objects.filter(case=waiting, owner=officer).exists()

    page.get_by_role("link", name="Record decision on item 1").click()
    page.get_by_label("Continue support").check()
    page.get_by_label("Consensus").check()
    page.get_by_label("The panel's reasons").fill("Fictional: mentoring is going well")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(BANNER)).to_contain_text("Decision recorded on item 1")
    reviewed = ChannelCase.objects.get(pk=review_due.pk)
    assert reviewed.next_review_date > today

    # Minutes come out of the record, are edited, approved and locked.
    page.get_by_role("link", name="Minutes (draft)").click()
    expect(page.locator("main")).to_contain_text("Majority vote (5 for, 1 against)")
    expect(page.locator("main")).to_contain_text("Seek consent from the person (fictional) — Pat Police")
    checked(page)
    page.get_by_role("link", name="Edit the minute for item 1").click()
    checked(page)
    minute = page.get_by_label("Minute")
    minute.fill(minute.input_value() + "\nThe mentor reported good engagement.")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.locator("main")).to_contain_text("The mentor reported good engagement.")
    page.get_by_role("button", name="Approve the minutes").click()
    checked(page)
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.locator(BANNER)).to_contain_text("The minutes are approved and locked")
    expect(page.get_by_role("link", name="Edit the minute for item 1")).to_have_count(0)
    checked(page)
    meeting = AgendaItem.objects.get(pk=waiting_item.pk).meeting
    assert meeting.minutes.status == MinutesStatus.APPROVED

    # The agenda pack prints.
    page.goto(reverse("panels:agenda-pack", kwargs={"pk": meeting.pk}))
    expect(page.locator("main")).to_contain_text("Testina Waiting")
    checked(page)
