"""An action the panel gives someone who sees the case only through its team
(an intervention provider, a panel member) asks first whether to add them to
the team, as the support plan's action form does: nothing is recorded until
it is answered, "no" records nothing, "yes" adds them with the decision."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import CaseStatus, CaseTeamMember, PlanAction
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemAction
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add, police_present

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Ivy Fictional-Mentor",
                       email="ivy.mentor@example.test")


@pytest.fixture
def item():
    meeting = PanelMeetingFactory(panel=PanelFactory(), date=datetime.date.today())
    police_present(meeting)
    return item_add(meeting, case_in(CaseStatus.SUPPORT))


def _decision(item, owner, **extra):
    due = item.meeting.date + datetime.timedelta(days=14)
    return {"decision": "continue_support", "decision_method": "consensus",
            "reasons": "Fictional: support is working; the mentor checks in with the school.",
            "action_1_description": "Fictional: visit the school", "action_1_owner": owner.pk,
            "action_1_due_date-day": due.day, "action_1_due_date-month": due.month,
            "action_1_due_date-year": due.year, **extra}


def _summary(response) -> str:
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def test_the_decision_asks_before_giving_an_action_to_someone_off_the_team(
        item, provider, staff_client, mailoutbox, django_capture_on_commit_callbacks):
    chair = staff_client(Role.CHANNEL_CHAIR)
    url = reverse("panels:item-decide", kwargs={"pk": item.meeting_id, "item_pk": item.pk})
    posted = _decision(item, provider)

    asked = chair.post(url, posted)
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Ivy Fictional-Mentor is not on the case team. Add them as intervention provider?" in html
    assert "given action 1, is not on the case team" in html
    assert _summary(asked) == ""  # a question, not a mistake
    item.refresh_from_db()
    assert item.decision == "" and not PlanAction.objects.exists()

    unanswered = chair.post(url, {**posted, "action_1_asked_about": provider.pk})
    assert "Action 1: select yes if Ivy Fictional-Mentor should be added to the case team" in _summary(
        unanswered)
    assert not PlanAction.objects.exists()

    refused = chair.post(url, {**posted, "action_1_asked_about": provider.pk,
                               "action_1_add_owner_to_team": "no"})
    assert "Ivy Fictional-Mentor is not on the case team" in _summary(refused)
    item.refresh_from_db()
    assert item.decision == "" and not PlanAction.objects.exists()
    assert not CaseTeamMember.objects.filter(user=provider).exists()

    with django_capture_on_commit_callbacks(execute=True):
        recorded = chair.post(url, {**posted, "action_1_asked_about": provider.pk,
                                    "action_1_add_owner_to_team": "yes"})
    assert recorded.status_code == 302
    item.refresh_from_db()
    assert item.decision == "continue_support"
    action = ItemAction.objects.get(item=item).action
    assert action.owner == provider
    assert CaseTeamMember.objects.filter(case=item.case, user=provider, removed_at__isnull=True).exists()
    assert [email.to for email in mailoutbox] == [["ivy.mentor@example.test"]]


def test_an_answer_about_one_owner_does_not_count_for_another(item, provider, staff_client):
    chair = staff_client(Role.CHANNEL_CHAIR)
    other = UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Oz Fictional-Other")
    url = reverse("panels:item-decide", kwargs={"pk": item.meeting_id, "item_pk": item.pk})
    response = chair.post(url, {**_decision(item, other), "action_1_asked_about": provider.pk,
                                "action_1_add_owner_to_team": "yes"})
    assert "Oz Fictional-Other is not on the case team" in response.content.decode()
    assert not PlanAction.objects.exists()


def test_owners_who_see_every_case_are_not_asked(item, staff_client):
    chair = staff_client(Role.CHANNEL_CHAIR)
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Cam Fictional-Coordinator")
    url = reverse("panels:item-decide", kwargs={"pk": item.meeting_id, "item_pk": item.pk})
    assert chair.post(url, _decision(item, coordinator)).status_code == 302
    assert PlanAction.objects.get().owner == coordinator
    assert not CaseTeamMember.objects.filter(user=coordinator).exists()
