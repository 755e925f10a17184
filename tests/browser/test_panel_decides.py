"""Issue 14's journey, driven by the keyboard alone (Tab, Enter, Space and
the arrow keys inside a group of radios; no mouse): a chair sends a referred
case to the panel, the panel adopts it at a meeting by a majority, reviews it
at the next meeting, refuses exit until the exit assessment is done, then
decides exit at a third meeting. Each step shows on the case, nothing is left
due, and the case page never offers adoption or exit of its own. Every page
passes axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.channel import trays
from prevent_hub.channel.models import CaseStatus, ChannelCase, Review, ReviewKind
from prevent_hub.channel.reviews import add_months
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_reviews import case_in, exit_assessment
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.models import AgendaItem, ItemDecision
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, member_add
from prevent_hub.people.tests.factories import PersonFactory

from .conftest import checked, signed_in, with_reference_data
from .keyboard import choose, press, tab_to, tick, type_into

pytestmark = pytest.mark.browser

BANNER = ".govuk-notification-banner"
ERRORS = ".govuk-error-summary"
STATUS = ".app-case-status .govuk-tag"


def _link_to(page, url):
    return page.locator(f'main a[href="{url}"]').first


def _case_page(page, case):
    page.goto(reverse("channel:case-detail", kwargs={"pk": case.pk}))
    checked(page)


def _meeting_with_police(page, meeting, officer, chair):
    """Build the meeting's agenda and record the chair and the police
    officer present, from the keyboard; returns the one item."""
    page.goto(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    checked(page)
    press(page, page.get_by_role("button", name="Build the agenda from the cases"))
    expect(page.locator(BANNER)).to_contain_text("1 case added to the agenda")
    checked(page)
    page.goto(reverse("panels:attendance", kwargs={"pk": meeting.pk}))
    checked(page)
    present = page.get_by_role("group", name="Who is present?")
    tick(page, present.get_by_label(f"{officer.full_name} — {officer.organisation.name}"))
    tick(page, present.get_by_label(f"{chair.full_name} — {chair.organisation.name}"))
    press(page, page.get_by_role("button", name="Save attendance"))
    expect(page.locator(BANNER)).to_contain_text("Attendance has been saved")
    checked(page)
    return AgendaItem.objects.get(meeting=meeting)


def _decide(page, item, decision, method, reasons, *, votes=None):
    page.goto(reverse("panels:item-decide", kwargs={"pk": item.meeting_id, "item_pk": item.pk}))
    checked(page)
    choose(page, "decision", decision)
    choose(page, "decision_method", method)
    if votes:
        type_into(page, page.get_by_label("Votes for"), str(votes[0]))
        type_into(page, page.get_by_label("Votes against"), str(votes[1]))
    type_into(page, page.get_by_label("The panel's reasons"), reasons)
    press(page, page.get_by_role("button", name="Record the decision"))


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_the_panel_decides_a_case_from_adoption_to_exit_by_keyboard(page, live_server):
    chair = signed_in(page, live_server, Role.CHANNEL_CHAIR, full_name="Chris Chair")
    panel = PanelFactory(name="Fictional North Channel Panel", area=area_named("Fictional North"),
                         chair=chair)
    force = OrganisationFactory(name="Fictional Shire Constabulary", type=OrganisationType.POLICE)
    officer = UserFactory(roles=[Role.POLICE_PRACTITIONER], full_name="Pat Police", organisation=force)
    member_add(panel, officer)
    today = timezone.localdate()
    case = case_in(CaseStatus.SCREENING, area=panel.area,
                   person=PersonFactory(given_name="Zofia", family_name="Przykładowa"))

    # Referred and screened: the chair sends it to the panel. The case page
    # offers no adoption of its own.
    _case_page(page, case)
    expect(page.get_by_role("button", name="Record adoption")).to_have_count(0)
    press(page, page.get_by_role("button", name="Send to the panel"))
    expect(page.locator("h1")).to_have_text("Send the case to the panel")
    checked(page)
    type_into(page, page.get_by_label("Why is the case ready for the panel?"),
              "Screening complete (fictional)")
    press(page, page.get_by_role("button", name="Send to the panel"))
    expect(page.locator(STATUS)).to_have_text("Awaiting panel decision")
    expect(page.get_by_role("button", name="Record adoption")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("The panel decides whether to adopt the case")
    checked(page)

    # Meeting 1: adopted by a majority.
    first = PanelMeetingFactory(panel=panel, date=today)
    item = _meeting_with_police(page, first, officer, chair)
    _decide(page, item, ItemDecision.ADOPT, "majority", "Fictional: most members agreed support is needed",
            votes=(5, 1))
    expect(page.locator(BANNER)).to_contain_text("Decision recorded")
    checked(page)
    _case_page(page, case)
    expect(page.locator(STATUS)).to_have_text("Adopted")
    expect(page.locator("main")).to_contain_text("Fictional: most members agreed support is needed")

    # Consent and support happen outside the panel (the coordinator's pages,
    # tested in test_channel_done_means.py): support is under way and its
    # first review falls due.
    ChannelCase.objects.filter(pk=case.pk).update(status=CaseStatus.SUPPORT, support_started_on=today,
                                                  next_review_date=today)
    Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=today)

    # Meeting 2: the review, by consensus. It is recorded and the next set.
    second = PanelMeetingFactory(panel=panel, date=today)
    item = _meeting_with_police(page, second, officer, chair)
    _decide(page, item, ItemDecision.CONTINUE_SUPPORT, "consensus", "Fictional: mentoring is going well")
    expect(page.locator(BANNER)).to_contain_text("Decision recorded")
    checked(page)
    next_review = today + datetime.timedelta(days=28)
    page.goto(reverse("channel:case-reviews", kwargs={"pk": case.pk}))
    expect(page.locator("main")).to_contain_text("Continue support. Fictional: mentoring is going well")
    expect(page.locator("main")).to_contain_text(f"{next_review:%-d %B %Y}")
    expect(page.get_by_role("button", name="Record exit")).to_have_count(0)
    checked(page)
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    due = {s.key: s for s in trays.dashboard_sections(user=coordinator, today=today)}
    assert not due["panel-reviews"].rows.filter(pk=case.pk).exists()
    assert not due["review-records"].rows.filter(case=case).exists()

    # Meeting 3: exit is refused until the exit assessment is completed.
    third = PanelMeetingFactory(panel=panel, date=today)
    page.goto(reverse("panels:agenda-add", kwargs={"pk": third.pk}))
    checked(page)
    type_into(page, page.get_by_label("Case reference"), case.reference)
    press(page, page.get_by_role("button", name="Add to the agenda"))
    expect(page.locator(BANNER)).to_contain_text(f"Case {case.reference} is item 1")
    checked(page)
    item = AgendaItem.objects.get(meeting=third)
    page.goto(reverse("panels:attendance", kwargs={"pk": third.pk}))
    tick(page, page.get_by_role("group", name="Who is present?").get_by_label(
        f"{officer.full_name} — {officer.organisation.name}"))
    press(page, page.get_by_role("button", name="Save attendance"))
    expect(page.locator(BANNER)).to_contain_text("Attendance has been saved")
    reasons = "Fictional: susceptibility significantly reduced"
    _decide(page, item, ItemDecision.EXIT, "consensus", reasons)
    expect(page.locator(ERRORS)).to_contain_text("Complete an exit assessment")
    expect(page.get_by_label("The panel's reasons")).to_have_value(reasons)
    checked(page)
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.SUPPORT
    exit_assessment(case)
    tab_to(page, page.get_by_role("button", name="Record the decision"))
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_contain_text("Decision recorded")
    checked(page)

    # Exited, with its post-exit reviews due and nothing else.
    _case_page(page, case)
    expect(page.locator(STATUS)).to_have_text("Exited: post-exit reviews")
    expect(page.get_by_role("button", name="Record exit")).to_have_count(0)
    press(page, _link_to(page, reverse("channel:case-reviews", kwargs={"pk": case.pk})))
    expect(page.locator("h1")).to_have_text("Reviews and exit")
    post_exit = page.get_by_role("table", name="Post-exit reviews")
    expect(post_exit).to_contain_text(govuk_date(add_months(today, 6)))
    expect(post_exit).to_contain_text(govuk_date(add_months(today, 12)))
    expect(page.locator("main")).not_to_contain_text("Overdue")
    checked(page)
    case.refresh_from_db()
    assert (case.next_review_date, case.exit_date) == (None, today)
    assert not case.reviews.filter(kind=ReviewKind.PANEL_REVIEW, completed_on__isnull=True).exists()
    due = {s.key: s for s in trays.dashboard_sections(user=coordinator, today=today)}
    assert not due["panel-reviews"].rows.filter(pk=case.pk).exists()
    assert not due["review-records"].rows.filter(case=case).exists()
