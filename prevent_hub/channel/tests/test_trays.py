"""Work trays: the coordinator dashboard and "your tasks"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import trays
from prevent_hub.channel.models import (
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    InformationRequest,
    PlanAction,
    Review,
    ReviewKind,
)

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("channel:dashboard")
MY_TASKS = reverse("channel:my-tasks")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def information_request(case, due_in, *, by=None, answered=False, organisation="Exampleton Academy (demo)"):
    return InformationRequest.objects.create(
        case=case, organisation_name=organisation, question="What do you know? (fictional)",
        requested_on=days(-20), due_date=days(due_in), requested_by=by or case.opened_by,
        answer=InformationRequest.Answer.RESPONDED if answered else "",
        answered_on=today() if answered else None,
    )


def review(case, due_in, *, kind=ReviewKind.PANEL_REVIEW, months=None, completed=False):
    return Review.objects.create(case=case, kind=kind, months_after_exit=months, due_date=days(due_in),
                                 completed_on=today() if completed else None)


def action(case, owner, due_in, *, done=False, description="Book a mentoring session (fictional)"):
    return PlanAction.objects.create(
        case=case, description=description, owner=owner, due_date=days(due_in),
        done_on=today() if done else None, created_by=case.opened_by, created_at=timezone.now())


def on_team(case, user, role=CaseRole.MEMBER):
    CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                  added_by=case.opened_by)


def section(sections, key):
    return next(s for s in sections if s.key == key)


# The dashboard: what is due ------------------------------------------------------


def test_the_dashboard_counts_and_lists_what_is_due_and_overdue(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(person__given_name="Testina", person__family_name="Example")
    information_request(case, -3, organisation="Overdue Academy (demo)")
    information_request(case, 5, organisation="Soon College (demo)")
    information_request(case, 30, organisation="Later School (demo)")
    information_request(case, -10, answered=True, organisation="Answered Trust (demo)")

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    requests = section(response.context["sections"], "information-requests")
    assert (requests.count, requests.overdue_count) == (2, 1)
    assert "Overdue Academy (demo)" in html and "Soon College (demo)" in html
    assert "Later School (demo)" not in html and "Answered Trust (demo)" not in html
    assert html.index("Overdue Academy") < html.index("Soon College")  # overdue first
    assert 'govuk-tag--red">Overdue<' in html
    assert "Testina Example" in html
    assert f'href="{DASHBOARD}?section=information-requests"' in html
    assert "Nothing is overdue" not in html
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("sequence")
    assert event.details == {"list": "dashboard"}


def test_an_empty_dashboard_says_nothing_is_overdue(staff_client):
    html = staff_client(Role.CHANNEL_CHAIR).get(DASHBOARD).content.decode()
    assert "Nothing is overdue." in html
    assert "No information requests are due in the next 7 days." in html
    assert "has had a session delivered in the last" in html


def test_consent_unanswered_for_14_days_and_reassessments_that_have_come_are_listed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    now = timezone.now()
    stale = ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT,
                               status_changed_at=now - datetime.timedelta(days=20))
    ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT, status_changed_at=now - datetime.timedelta(days=3))
    due = ChannelCaseFactory(status=CaseStatus.CONSENT_REFUSED, reassessment_date=days(-1))
    ChannelCaseFactory(status=CaseStatus.CONSENT_REFUSED, reassessment_date=days(30))

    sections = client.get(DASHBOARD).context["sections"]

    assert [c.pk for c in section(sections, "consent-unanswered").items] == [stale.pk]
    reassess = section(sections, "consent-reassessment")
    assert [c.pk for c in reassess.items] == [due.pk] and reassess.overdue_count == 1


def test_panel_and_post_exit_reviews_due_are_listed_once(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    by_date = ChannelCaseFactory(status=CaseStatus.SUPPORT, next_review_date=days(-2))
    review(by_date, -2)  # the same review, recorded: listed once, from the case
    recorded_only = ChannelCaseFactory(status=CaseStatus.EXITED)
    review(recorded_only, 3)
    ChannelCaseFactory(status=CaseStatus.SUPPORT, next_review_date=days(40))
    exited = ChannelCaseFactory(status=CaseStatus.EXITED, exit_date=days(-190))
    review(exited, -8, kind=ReviewKind.POST_EXIT, months=6)
    review(exited, 175, kind=ReviewKind.POST_EXIT, months=12)
    done = ChannelCaseFactory(status=CaseStatus.EXITED)
    review(done, -30, kind=ReviewKind.POST_EXIT, months=6, completed=True)

    response = client.get(DASHBOARD)
    sections = response.context["sections"]

    panel = section(sections, "panel-reviews")
    assert [c.pk for c in panel.items] == [by_date.pk] and panel.overdue_count == 1
    assert [r.case_id for r in section(sections, "review-records").items] == [recorded_only.pk]
    post_exit = section(sections, "post-exit-reviews")
    assert [(r.case_id, r.months_after_exit) for r in post_exit.items] == [(exited.pk, 6)]
    assert "Post-exit review, 6 months after exit" in response.content.decode()


def test_support_with_no_delivered_session_for_weeks_is_listed(staff_client, settings):
    settings.SUPPORT_STALLED_WEEKS = 4
    client = staff_client(Role.PREVENT_COORDINATOR)
    stalled = ChannelCaseFactory(status=CaseStatus.SUPPORT, support_started_on=days(-90),
                                 last_session_delivered_on=days(-35))
    never = ChannelCaseFactory(status=CaseStatus.SUPPORT, support_started_on=days(-40))
    ChannelCaseFactory(status=CaseStatus.SUPPORT, support_started_on=days(-90),
                       last_session_delivered_on=days(-6))
    ChannelCaseFactory(status=CaseStatus.SUPPORT, support_started_on=days(-10))

    response = client.get(DASHBOARD)

    listed = section(response.context["sections"], "stalled-support").items
    assert {c.pk for c in listed} == {stalled.pk, never.pk}
    assert "No session delivered since support started on" in response.content.decode()


def test_each_count_links_to_its_full_list(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    for n in range(trays.DASHBOARD_ROWS + 3):
        information_request(case, -n, organisation=f"Organisation {n} (demo)")

    summary = client.get(DASHBOARD).content.decode()
    assert f"See all {trays.DASHBOARD_ROWS + 3}" in summary

    response = client.get(DASHBOARD, {"section": "information-requests"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == trays.DASHBOARD_ROWS + 3
    assert f"{trays.DASHBOARD_ROWS + 3} tasks, overdue first" in response.content.decode()
    assert client.get(DASHBOARD, {"section": "no-such-thing"}).status_code == 404


def test_my_tasks_link_to_their_full_list(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    for n in range(trays.MY_TASKS_ROWS + 2):
        action(case, client.user, n - 5, description=f"Action {n} (fictional)")
    assert f"See all {trays.MY_TASKS_ROWS + 2}" in client.get(MY_TASKS).content.decode()
    response = client.get(MY_TASKS, {"section": "actions", "page": 2})
    assert response.status_code == 200
    assert [row["what"] for row in response.context["rows"]] == [
        f"Action {n} (fictional)" for n in range(trays.MY_TASKS_ROWS, trays.MY_TASKS_ROWS + 2)]
    assert 'href="/staff/cases/my-tasks/"' in response.content.decode()
    assert client.get(MY_TASKS, {"section": "reviews-of-everything"}).status_code == 404


def test_the_dashboard_only_counts_cases_the_user_may_see(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    information_request(ChannelCaseFactory(), -1)
    # A chair sees every case, so the count is 1; the scope is what limits it
    # (a panel member may not see the dashboard at all: see the role matrix).
    assert section(client.get(DASHBOARD).context["sections"], "information-requests").count == 1
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    mine, other = ChannelCaseFactory(), ChannelCaseFactory()
    on_team(mine, member)
    information_request(mine, -1)
    information_request(other, -1)
    visible = section(trays.dashboard_sections(user=member, today=today()), "information-requests")
    assert [r.case_id for r in visible.items] == [mine.pk]


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def _populate(count, coordinator):
    for n in range(count):
        case = ChannelCaseFactory(status=CaseStatus.SUPPORT, support_started_on=days(-60),
                                  next_review_date=days(n % 5 - 2), opened_by=coordinator)
        information_request(case, n % 9 - 4, by=coordinator)
        review(case, n % 5 - 3, kind=ReviewKind.POST_EXIT, months=6)
        action(case, coordinator, n % 7 - 3)
        on_team(case, coordinator, CaseRole.COORDINATOR)
        ChannelCaseFactory(status=CaseStatus.CONSENT_REFUSED, reassessment_date=days(-n))


@pytest.mark.parametrize(("url", "params"), [(DASHBOARD, None), (MY_TASKS, None),
                                             (DASHBOARD, {"section": "post-exit-reviews"})])
def test_the_trays_take_the_same_queries_however_much_is_due(staff_client, url, params):
    client = staff_client(Role.PREVENT_COORDINATOR)
    _populate(2, client.user)
    client.get(url, params or {})  # the session settles
    few = _queries(client, url, params)
    _populate(30, client.user)
    assert _queries(client, url, params) == few


# My tasks ----------------------------------------------------------------------


def test_my_tasks_lists_my_actions_overdue_first_and_not_others_or_done_ones(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(person__given_name="Mockwell", person__family_name="Placeholder")
    action(case, client.user, 10, description="Later action (fictional)")
    action(case, client.user, -2, description="Overdue action (fictional)")
    action(case, client.user, -5, done=True, description="Done action (fictional)")
    action(case, UserFactory(roles=[Role.PREVENT_COORDINATOR]), -5, description="Someone else's (fictional)")

    response = client.get(MY_TASKS)

    html = response.content.decode()
    assert html.index("Overdue action") < html.index("Later action")
    assert "Done action" not in html and "Someone else" not in html
    assert "Mockwell Placeholder" in html
    assert "1 overdue" in html


def test_my_tasks_shows_reviews_on_my_cases_and_my_overdue_requests(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    mine, other = ChannelCaseFactory(), ChannelCaseFactory()
    on_team(mine, client.user)
    review(mine, 3)
    review(mine, 60)  # not yet
    review(other, -3)  # not my case (and not visible to me)
    information_request(mine, -2, by=client.user, organisation="My Overdue Org (demo)")
    information_request(mine, 2, by=client.user, organisation="Not Yet Due Org (demo)")

    sections = client.get(MY_TASKS).context["sections"]

    assert [r.case_id for r in section(sections, "reviews").items] == [mine.pk]
    requests = section(sections, "information-requests").items
    assert [r.organisation_name for r in requests] == ["My Overdue Org (demo)"]


def test_a_removed_team_member_no_longer_sees_the_cases_tasks(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    case = ChannelCaseFactory()
    on_team(case, client.user)
    action(case, client.user, -1)
    CaseTeamMember.objects.filter(case=case, user=client.user).update(removed_at=timezone.now())
    html = client.get(MY_TASKS).content.decode()
    assert "You have no actions to do." in html
    assert "Nothing is overdue." in html


def test_an_intervention_provider_sees_their_actions_but_not_reviews_or_requests(staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = ChannelCaseFactory()
    on_team(case, client.user, CaseRole.INTERVENTION_PROVIDER)
    action(case, client.user, 1, description="Deliver the first session (fictional)")
    review(case, 1)

    response = client.get(MY_TASKS)

    assert [s.key for s in response.context["sections"]] == ["actions"]
    assert "Deliver the first session" in response.content.decode()
    assert "Reviews on your cases" not in response.content.decode()


def test_everyone_signed_in_has_a_task_list_but_only_coordinators_and_chairs_a_dashboard(staff_client):
    client = staff_client(Role.VENUE_BOOKING_OFFICER)
    assert client.get(MY_TASKS).status_code == 200
    assert client.get(DASHBOARD).status_code == 403


def test_each_section_tags_as_overdue_exactly_the_rows_it_counts_as_overdue():
    """One rule per deadline (a Q), read by the count and the rows alike."""
    case = ChannelCaseFactory(status=CaseStatus.SUPPORT)
    for due_in in (-3, -1, 0, 2):
        information_request(case, due_in)
        review(case, due_in)
    information_request(case, -5, answered=True)
    review(case, -5, completed=True)
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    checked = 0
    for section in trays.dashboard_sections(user=coordinator, today=today(), limit=100):
        if not section.items:
            continue
        assert sum(item.is_overdue for item in section.items) == section.overdue_count, section.key
        checked += 1
    assert checked >= 2
    requests = next(s for s in trays.dashboard_sections(user=coordinator, today=today(), limit=100)
                    if s.key == "information-requests")
    assert requests.overdue_count == 2  # due 3 days ago and yesterday; not today, not answered


def test_the_information_requests_page_and_the_case_summary_agree_on_what_is_overdue(staff_client):
    case = ChannelCaseFactory(status=CaseStatus.SUPPORT)
    for due_in in (-2, 0, 3):
        information_request(case, due_in)
    information_request(case, -9, answered=True)
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    page = coordinator.get(reverse("channel:case-information-requests", args=[case.pk])).content.decode()
    summary = coordinator.get(reverse("channel:case-detail", args=[case.pk])).content.decode()
    assert page.count(">Overdue</strong>") == 1
    assert "1 overdue" in page and "1 overdue" in summary
