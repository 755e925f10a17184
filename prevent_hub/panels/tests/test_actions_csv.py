"""The meeting's actions as a spreadsheet: what a chair chases after the
meeting, only what the reader may see, defused for spreadsheets, audited."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import CaseStatus, PlanAction
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemAction, ItemInvitee
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add, member_add

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _action(item, description, owner, due, done_on=None):
    action = PlanAction.objects.create(case=item.case, description=description, owner=owner, due_date=due,
                                       done_on=done_on, created_by=item.meeting.panel.chair,
                                       created_at=timezone.now())
    ItemAction.objects.create(item=item, action=action)
    return action


@pytest.fixture
def meeting():
    meeting = PanelMeetingFactory(panel=PanelFactory(name="Fictional North Channel Panel"),
                                  date=datetime.date(2027, 3, 10))
    owner = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Olive Owner",
                        organisation=OrganisationFactory(name="Fictional Youth Service"))
    first = item_add(meeting, case_in(CaseStatus.ADOPTED))
    second = item_add(meeting, case_in(CaseStatus.SUPPORT))
    _action(second, "Fictional: check the mentoring has started", owner, _days(5))
    _action(first, "=HYPERLINK(\"https://evil.example\",\"Fictional\")", owner, _days(-3))
    _action(first, "Fictional: seek consent", owner, _days(-10), done_on=_days(-12))
    meeting.owner, meeting.first, meeting.second = owner, first, second
    return meeting


def _download(client, meeting):
    response = client.get(reverse("panels:meeting-actions", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(text)))


def test_a_chair_downloads_every_action_in_agenda_order_with_its_status(staff_client, meeting):
    client = staff_client(Role.CHANNEL_CHAIR)
    response, rows = _download(client, meeting)
    assert response["Content-Disposition"] == (
        'attachment; filename="panel-actions-fictional-north-channel-panel-2027-03-10.csv"')
    first, second = meeting.first.case.reference, meeting.second.case.reference
    assert rows == [
        ["Item", "Case reference", "Action", "Owner", "Organisation", "Due date", "Status", "Done on"],
        ["1", first, "Fictional: seek consent", "Olive Owner", "Fictional Youth Service",
         _days(-10).isoformat(), "Done", _days(-12).isoformat()],
        # A formula typed into the service is shown as text, never run by the spreadsheet.
        ["1", first, "'=HYPERLINK(\"https://evil.example\",\"Fictional\")", "Olive Owner",
         "Fictional Youth Service", _days(-3).isoformat(), "Overdue", ""],
        ["2", second, "Fictional: check the mentoring has started", "Olive Owner", "Fictional Youth Service",
         _days(5).isoformat(), "Open", ""],
    ]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="panels.panelmeeting")
    assert event.object_id == str(meeting.pk) and event.actor_id == client.user.pk
    assert event.details["rows"] == 3
    assert event.details["cases"] == sorted([first, second])
    assert len(event.details["plan_actions"]) == 3


def test_someone_invited_for_one_item_gets_only_that_items_actions(staff_client, meeting):
    client = staff_client(Role.PANEL_MEMBER)
    ItemInvitee.objects.create(item=meeting.second, user=client.user, name=client.user.full_name,
                               organisation_name="Fictional Organisation", invited_at=timezone.now(),
                               invited_by=meeting.panel.chair)
    page = client.get(reverse("panels:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Download actions (CSV)" in page
    _, rows = _download(client, meeting)
    assert [row[:3] for row in rows[1:]] == [
        ["2", meeting.second.case.reference, "Fictional: check the mentoring has started"]]
    text = "\n".join(",".join(row) for row in rows)
    assert meeting.first.case.reference not in text and "seek consent" not in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="panels.panelmeeting")
    assert event.details["cases"] == [meeting.second.case.reference]


def test_a_standing_member_gets_every_action(staff_client, meeting):
    client = staff_client(Role.POLICE_PRACTITIONER)
    member_add(meeting.panel, client.user)
    _, rows = _download(client, meeting)
    assert len(rows) == 4


def test_no_link_without_an_item_to_see_and_no_file_for_a_meeting_not_invited_to(staff_client):
    chair = staff_client(Role.CHANNEL_CHAIR)
    empty = PanelMeetingFactory()
    page = chair.get(reverse("panels:meeting", kwargs={"pk": empty.pk})).content.decode()
    assert "Download actions (CSV)" not in page

    outsider = staff_client(Role.PANEL_MEMBER)
    response = outsider.get(reverse("panels:meeting-actions", kwargs={"pk": empty.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
