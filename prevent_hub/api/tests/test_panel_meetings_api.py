"""GET /api/v1/panel-meetings and GET /api/v1/panel-meetings/{id}."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import PlanAction
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.panels.models import (
    AgendaReason,
    Attendance,
    DecisionMethod,
    ItemAction,
    ItemDecision,
    ItemInvitee,
    MeetingStatus,
    MinutesStatus,
)
from prevent_hub.panels.tests.factories import (
    PanelMeetingFactory,
    item_add,
    member_add,
    police_present,
)

from .factories import bearer, issue_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/panel-meetings"
PROBLEM = "application/problem+json"


def decide(item, *, method=DecisionMethod.CONSENSUS, decision=ItemDecision.ADOPT, votes=(None, None, None)):
    """Record a decision on `item` directly (the rules are tested with the panels)."""
    item.decision, item.decision_method = decision, method
    item.votes_for, item.votes_against, item.abstentions = votes
    item.reasons = "Fictional reasons: the panel agreed support would help."
    item.decided_at, item.decided_by = timezone.now(), item.meeting.panel.chair
    item.save()
    return item


def action_set(item, description, *, owner, due_date, done_on=None):
    action = PlanAction.objects.create(
        case=item.case, description=description, owner=owner, due_date=due_date, done_on=done_on,
        created_by=item.meeting.panel.chair, created_at=timezone.now())
    return ItemAction.objects.create(item=item, action=action)


def attend(meeting, name, organisation, kind, *, item=None, apologies=False, deputy_for=None):
    return Attendance.objects.create(
        meeting=meeting, name=name, organisation_name=organisation, organisation_type=kind, item=item,
        apologies=apologies, deputy_for=deputy_for, recorded_at=timezone.now(),
        recorded_by=meeting.panel.chair)


def invite(item, user):
    return ItemInvitee.objects.create(
        item=item, user=user, name=user.full_name, organisation_name="Shireford Test Academy",
        invited_at=timezone.now(), invited_by=item.meeting.panel.chair)


def busy_meeting(**fields):
    """A held meeting: a decided item with actions, an undecided one, and attendance."""
    meeting = PanelMeetingFactory(status=MeetingStatus.HELD, **fields)
    first = decide(item_add(meeting, ChannelCaseFactory(), reason=AgendaReason.AWAITING_DECISION),
                   method=DecisionMethod.MAJORITY, votes=(5, 1, 2))
    owner = UserFactory(full_name="Test Action Owner", roles=[Role.PREVENT_COORDINATOR])
    action_set(first, "Fictional: arrange a mentor.", owner=owner, due_date=datetime.date(2026, 3, 1),
               done_on=datetime.date(2026, 2, 20))
    action_set(first, "Fictional: tell the school.", owner=owner, due_date=datetime.date(2026, 2, 1))
    second = item_add(meeting, ChannelCaseFactory())
    police_present(meeting)
    away = attend(meeting, "Test Absent Officer", "Fictional Borough Council",
                  OrganisationType.LOCAL_AUTHORITY,
                  apologies=True)
    attend(meeting, "Test Officer", "Fictional Borough Council", OrganisationType.LOCAL_AUTHORITY,
           deputy_for=away)
    attend(meeting, "Test Teacher", "Shireford Test Academy", OrganisationType.EDUCATION, item=second)
    return meeting, first, second


def test_a_meeting_reads_with_its_attendance_decisions_and_actions(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["panels:read"])
    meeting, first, second = busy_meeting(date=datetime.date(2026, 1, 20), online_link="")
    minutes = meeting.minutes
    minutes.status, minutes.approved_at, minutes.approved_by = (MinutesStatus.APPROVED, timezone.now(),
                                                                meeting.panel.chair)
    minutes.save()

    response = client.get(f"{URL}/{meeting.pk}", **bearer(token))

    assert response.status_code == 200, response.content
    body = response.json()
    panel = meeting.panel
    assert body == {
        "id": meeting.pk,
        "panel": {"id": panel.pk, "name": panel.name, "area": panel.area.name},
        "date": "2026-01-20",
        "start_time": "10:00",
        "location": "Committee Room 2, Fictional County Hall",
        "online_link": None,
        "status": "held",
        "minutes_status": "approved",
        "attendees": [
            {"name": "Test Absent Officer", "organisation": "Fictional Borough Council",
             "organisation_type": "local_authority", "police_area": None, "item_position": None,
             "case_reference": None, "apologies": True, "deputy_for": None},
            {"name": "Test Officer", "organisation": "Fictional Borough Council",
             "organisation_type": "local_authority", "police_area": None, "item_position": None,
             "case_reference": None, "apologies": False, "deputy_for": "Test Absent Officer"},
            {"name": "PC Test Officer", "organisation": "Fictional Shire Constabulary",
             "organisation_type": "police", "police_area": panel.area.name, "item_position": None,
             "case_reference": None, "apologies": False, "deputy_for": None},
            {"name": "Test Teacher", "organisation": "Shireford Test Academy",
             "organisation_type": "education", "police_area": None, "item_position": 2,
             "case_reference": second.case.reference, "apologies": False, "deputy_for": None},
        ],
        "items": [
            {"position": 1, "case_id": first.case_id, "case_reference": first.case.reference,
             "reason": "awaiting_decision", "decision": "adopt", "decision_method": "majority",
             "votes_for": 5, "votes_against": 1, "abstentions": 2,
             "reasons": "Fictional reasons: the panel agreed support would help.",
             "decided_at": body["items"][0]["decided_at"],
             "actions": [
                 {"description": "Fictional: arrange a mentor.", "owner": "Test Action Owner",
                  "due_date": "2026-03-01", "done_on": "2026-02-20"},
                 {"description": "Fictional: tell the school.", "owner": "Test Action Owner",
                  "due_date": "2026-02-01", "done_on": None},
             ]},
            {"position": 2, "case_id": second.case_id, "case_reference": second.case.reference,
             "reason": "added", "decision": None, "decision_method": None, "votes_for": None,
             "votes_against": None, "abstentions": None, "reasons": "", "decided_at": None, "actions": []},
        ],
        "withheld_items": 0,
    }
    assert body["items"][0]["decided_at"] is not None
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("sequence")
    assert (event.object_type, event.object_id) == ("panels.panelmeeting", str(meeting.pk))
    assert event.details.get("api_token") and event.details.get("via") == "api"


def test_a_consensus_decision_has_no_votes(client):
    _, token = issue_token(roles=[Role.CHANNEL_CHAIR], scopes=["panels:read"])
    meeting = PanelMeetingFactory(online_link="https://meet.example/fictional-panel")
    decide(item_add(meeting, ChannelCaseFactory()), decision=ItemDecision.NOTED)

    body = client.get(f"{URL}/{meeting.pk}", **bearer(token)).json()

    assert body["online_link"] == "https://meet.example/fictional-panel"
    assert body["status"] == "scheduled" and body["minutes_status"] == "draft"
    item = body["items"][0]
    assert (item["decision"], item["decision_method"]) == ("noted", "consensus")
    assert (item["votes_for"], item["votes_against"], item["abstentions"]) == (None, None, None)


def test_the_list_is_newest_first_and_paginated(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["panels:read"])
    today = timezone.localdate()
    later_same_day = PanelMeetingFactory(date=today, start_time=datetime.time(14, 0))
    meetings = [later_same_day] + [PanelMeetingFactory(date=today - datetime.timedelta(days=7 * n))
                                   for n in range(4)]

    first = client.get(URL, {"limit": 2}, **bearer(token)).json()
    second = client.get(URL, {"limit": 2, "offset": 2}, **bearer(token)).json()
    beyond = client.get(URL, {"offset": 50}, **bearer(token)).json()

    assert first["count"] == 5 and (first["limit"], first["offset"]) == (2, 0)
    assert [m["id"] for m in first["results"] + second["results"]] == [m.pk for m in meetings[:4]]
    assert beyond["results"] == [] and beyond["count"] == 5
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("sequence")
    assert event.object_type == "panels.panelmeeting"
    assert event.details["list"] == "panel meetings" and event.details["offset"] == 50
    assert event.details.get("api_token")


def test_a_coordinator_sees_every_meeting_and_every_item(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["panels:read"])
    busy_meeting()
    busy_meeting()

    listed = client.get(URL, **bearer(token)).json()

    assert listed["count"] == 2
    assert [len(m["items"]) for m in listed["results"]] == [2, 2]
    assert [m["withheld_items"] for m in listed["results"]] == [0, 0]


def test_a_panel_member_sees_only_meetings_they_are_invited_to_and_only_visible_items(client):
    token_row, token = issue_token(roles=[Role.PANEL_MEMBER], scopes=["panels:read"])
    member = token_row.user
    standing, _, _ = busy_meeting(date=timezone.localdate() - datetime.timedelta(days=1))
    member_add(standing.panel, member)
    for_one_item, mine, theirs = busy_meeting()
    invite(mine, member)
    not_invited, _, _ = busy_meeting()

    listed = client.get(URL, **bearer(token)).json()

    assert listed["count"] == 2
    assert [m["id"] for m in listed["results"]] == [for_one_item.pk, standing.pk]
    invited = listed["results"][0]
    assert [item["case_id"] for item in invited["items"]] == [mine.case_id]
    assert invited["withheld_items"] == 1
    # Nobody present only for the withheld item is named.
    assert [a["name"] for a in invited["attendees"]] == ["Test Absent Officer", "Test Officer",
                                                         "PC Test Officer"]
    assert theirs.case.reference not in str(listed)
    assert listed["results"][1]["withheld_items"] == 0 and len(listed["results"][1]["items"]) == 2

    detail = client.get(f"{URL}/{for_one_item.pk}", **bearer(token)).json()
    assert detail == invited

    refused = client.get(f"{URL}/{not_invited.pk}", **bearer(token))
    assert refused.status_code == 404
    assert refused["Content-Type"] == PROBLEM
    denied = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("sequence")
    assert (denied.object_type, denied.object_id) == ("panels.panelmeeting", str(not_invited.pk))
    assert denied.details["needed"] == "panels.view"


def test_a_panel_member_no_longer_sees_the_cases_of_a_meeting_long_past(client):
    token_row, token = issue_token(roles=[Role.PANEL_MEMBER], scopes=["panels:read"])
    meeting, _, _ = busy_meeting(date=timezone.localdate() - datetime.timedelta(days=60))
    member_add(meeting.panel, token_row.user)

    body = client.get(f"{URL}/{meeting.pk}", **bearer(token)).json()

    assert (body["items"], body["withheld_items"]) == ([], 2)
    assert all(attendee["item_position"] is None for attendee in body["attendees"])


def test_a_police_practitioner_sees_the_meetings_of_their_panel_with_every_item(client):
    token_row, token = issue_token(roles=[Role.POLICE_PRACTITIONER], scopes=["panels:read"])
    meeting, _, _ = busy_meeting()
    member_add(meeting.panel, token_row.user)
    busy_meeting()

    listed = client.get(URL, **bearer(token)).json()

    assert [m["id"] for m in listed["results"]] == [meeting.pk]
    assert len(listed["results"][0]["items"]) == 2 and listed["results"][0]["withheld_items"] == 0


def test_a_meeting_that_does_not_exist_is_the_same_404(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["panels:read"])
    for meeting_id in (999999, 2**70):
        response = client.get(f"{URL}/{meeting_id}", **bearer(token))
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("sequence")
        assert event.object_type == "panels.panelmeeting"
        assert event.details["found"] is False and event.details["id"] == str(meeting_id)
    assert client.get(f"{URL}/not-a-number", **bearer(token)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()


def test_bad_paging_and_unknown_parameters_are_422(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["panels:read"])
    for params, parameters in [({"limit": 0}, ["limit"]), ({"limit": 101}, ["limit"]),
                               ({"offset": -1}, ["offset"]), ({"status": "held"}, ["status"]),
                               ({"panel": 1, "date": "2026-01-01"}, ["date", "panel"])]:
        response = client.get(URL, params, **bearer(token))
        assert response.status_code == 422, params
        assert response["Content-Type"] == PROBLEM
        assert [error["parameter"] for error in response.json()["errors"]] == parameters


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.PANEL_MEMBER])
def test_the_list_takes_the_same_queries_however_many_meetings_and_items(client, role):
    token_row, token = issue_token(roles=[role], scopes=["panels:read"])

    def meeting_for_them():
        meeting, first, _ = busy_meeting()
        member_add(meeting.panel, token_row.user)
        invite(first, token_row.user)
        return meeting

    meeting_for_them()
    client.get(URL, **bearer(token))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, **bearer(token))
            assert response.status_code == 200
        return len(queries), response.json()

    few, _ = count()
    for _ in range(6):
        meeting = meeting_for_them()
        for _ in range(3):
            action_set(item_add(meeting, ChannelCaseFactory()), "Fictional: follow up.",
                       owner=meeting.panel.chair, due_date=datetime.date(2026, 5, 1))
    many, body = count()
    assert body["count"] == 7 and sum(len(m["items"]) for m in body["results"]) > 7
    assert many == few


def test_the_scope_and_the_role_are_both_needed(client):
    meeting = PanelMeetingFactory()
    _, no_scope = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    _, no_role = issue_token(roles=[Role.INTERVENTION_PROVIDER], scopes=["panels:read"])
    for url in (URL, f"{URL}/{meeting.pk}"):
        refused = client.get(url, **bearer(no_scope))
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("insufficient-scope")
        assert 'scope="panels:read"' in refused["WWW-Authenticate"]
        forbidden = client.get(url, **bearer(no_role))
        assert forbidden.status_code == 403
        assert forbidden.json()["type"].endswith("forbidden")
        assert client.get(url).status_code == 401
    assert not AuditEvent.objects.filter(action__in=[AuditAction.VIEW, AuditAction.SEARCH]).exists()
