"""The trays count nothing about a closed or transferred case: its work here is
over, so its overdue requests, actions, reviews and quiet support are not chased."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseRole, CaseStatus, ClosureReason, ReviewKind
from prevent_hub.channel.transfer import case_transfer

from .factories_consent_support import case_in_support, join_team
from .test_trays import action, information_request, review

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("channel:dashboard")
MY_TASKS = reverse("channel:my-tasks")


def _overdue_everything(case, user):
    """Everything a tray can count, overdue, on `case`, the user's own where it can be."""
    information_request(case, -3, by=user)
    action(case, user, -2)
    review(case, -1)
    review(case, -4, kind=ReviewKind.POST_EXIT, months=6)
    case.next_review_date = timezone.localdate() - datetime.timedelta(days=5)
    case.save(update_fields=["next_review_date"])


def _end(case, how, user):
    if how == "transferred":
        case_transfer(case=case, receiving_council="Fictional Borough Council",
                      receiving_contact="prevent@example.test", moved_on=None,
                      reasons="Fictional: the person moved.", acting_user=user)
    else:
        type(case).objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED,
                                                      closure_reason=ClosureReason.OTHER)


def _counts(response):
    return {section.key: section.count for section in response.context["sections"]}


@pytest.mark.parametrize("how", ["closed", "transferred"])
def test_the_dashboard_counts_nothing_about_a_closed_or_transferred_case(staff_client, how):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in_support(started_on=timezone.localdate() - datetime.timedelta(weeks=20),
                           person__given_name="Endina", person__family_name="Fictional")
    _overdue_everything(case, client.user)
    before = _counts(client.get(DASHBOARD))
    # Counted while the case is open: the test would pass for nothing otherwise.
    assert {key for key, count in before.items() if count} == {
        "information-requests", "panel-reviews", "post-exit-reviews", "stalled-support"}

    _end(case, how, client.user)

    response = client.get(DASHBOARD)
    assert set(_counts(response).values()) == {0}
    html = response.content.decode()
    assert "Endina Fictional" not in html
    assert "Nothing is overdue." in html
    for key in before:
        page = client.get(DASHBOARD, {"section": key})
        assert page.status_code == 200
        assert "Endina Fictional" not in page.content.decode(), key


@pytest.mark.parametrize("how", ["closed", "transferred"])
def test_your_tasks_count_nothing_about_a_closed_or_transferred_case(staff_client, how):
    client = staff_client(Role.PANEL_MEMBER)
    case = case_in_support(person__given_name="Endina", person__family_name="Fictional")
    join_team(case, client.user, role=CaseRole.MEMBER)
    _overdue_everything(case, client.user)
    review(case, 3)
    assert _counts(client.get(MY_TASKS)) == {"actions": 1, "reviews": 3, "information-requests": 1}

    _end(case, how, case.opened_by)

    response = client.get(MY_TASKS)
    assert set(_counts(response).values()) == {0}
    assert "Endina Fictional" not in response.content.decode()
    for key in ("actions", "reviews", "information-requests"):
        assert "Endina Fictional" not in client.get(MY_TASKS, {"section": key}).content.decode()


@pytest.mark.parametrize("how", ["closed", "transferred"])
def test_an_intervention_providers_tasks_drop_a_closed_or_transferred_case(staff_client, how):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = case_in_support()
    join_team(case, client.user)
    action(case, client.user, -2)
    assert _counts(client.get(MY_TASKS)) == {"actions": 1}

    _end(case, how, case.opened_by)

    assert _counts(client.get(MY_TASKS)) == {"actions": 0}
