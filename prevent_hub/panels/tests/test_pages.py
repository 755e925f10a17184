"""Panel pages through the test client: what a chair and a panel member see,
bad input kept and explained, and a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel.models import CaseStatus, ChannelCase
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.panels.models import PanelMeeting
from prevent_hub.panels.tests.factories import (
    PanelFactory,
    PanelMeetingFactory,
    item_add,
    member_add,
    police_present,
)


@pytest.mark.django_db
def test_scheduling_keeps_what_was_typed_and_explains_errors(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    PanelFactory(chair=client.user)
    response = client.post(reverse("panels:meeting-schedule"), {
        "date-day": "31", "date-month": "2", "date-year": "2027", "start_time": "25:99",
        "location": "<b>Room</b>", "online_link": "javascript:alert(1)"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "must be a real date" in body
    assert "Enter the start time like 10:00 or 14:30" in body
    assert "&lt;b&gt;Room&lt;/b&gt;" in body
    assert not PanelMeeting.objects.exists()


@pytest.mark.django_db
def test_a_chair_schedules_builds_and_decides(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    panel = PanelFactory(chair=client.user)
    # The last working day (a weekend or bank holiday would be asked about first).
    day = WorkingCalendar.load().nth_working_day_back(timezone.localdate(), 1)
    response = client.post(reverse("panels:meeting-schedule"), {
        "panel": panel.pk, "date-day": day.day, "date-month": day.month, "date-year": day.year,
        "start_time": "10:00", "location": "Committee Room 2"})
    meeting = PanelMeeting.objects.get()
    assert response["Location"] == reverse("panels:meeting", kwargs={"pk": meeting.pk})
    case = case_in(CaseStatus.AWAITING_PANEL)
    client.post(reverse("panels:agenda-build", kwargs={"pk": meeting.pk}))
    item = meeting.items.get()
    url = reverse("panels:item-decide", kwargs={"pk": meeting.pk, "item_pk": item.pk})
    data = {"decision": "adopt", "decision_method": "consensus", "reasons": "Fictional reasons"}
    refused = client.post(url, data)
    assert "Record a police representative for" in refused.content.decode()
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.AWAITING_PANEL
    police_present(meeting)
    assert client.post(url, data).status_code == 302
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.ADOPTED
    again = client.post(url, data)
    assert "already been recorded" in again.content.decode()


@pytest.mark.django_db
def test_a_panel_member_invited_for_one_item_sees_only_that_case(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    meeting = PanelMeetingFactory()
    shown = case_in(CaseStatus.AWAITING_PANEL)
    hidden = case_in(CaseStatus.AWAITING_PANEL)
    item = item_add(meeting, shown)
    other = item_add(meeting, hidden)
    from prevent_hub.panels.models import ItemInvitee

    ItemInvitee.objects.create(item=item, user=client.user, name=client.user.full_name, organisation_name="X",
                               invited_at=timezone.now(), invited_by=meeting.panel.chair)
    body = client.get(reverse("panels:agenda-pack", kwargs={"pk": meeting.pk})).content.decode()
    assert shown.person.full_name in body
    assert hidden.person.full_name not in body and hidden.reference not in body
    assert "Not shared with you" in body
    other_url = reverse("panels:item", kwargs={"pk": meeting.pk, "item_pk": other.pk})
    assert client.get(other_url).status_code == 404
    pdf = client.get(reverse("panels:agenda-pack-pdf", kwargs={"pk": meeting.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="download", object_type="panels.panelmeeting",
                                     object_id=str(meeting.pk)).exists()


@pytest.mark.django_db
def test_a_meeting_not_invited_to_is_not_shown(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    meeting = PanelMeetingFactory()
    assert client.get(reverse("panels:meeting", kwargs={"pk": meeting.pk})).status_code == 404
    assert client.get(reverse("panels:minutes-pdf", kwargs={"pk": meeting.pk})).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["panels:meeting", "panels:agenda-pack", "panels:minutes"])
def test_meeting_pages_make_a_fixed_number_of_queries(staff_client, page):
    client = staff_client(Role.PANEL_MEMBER)
    small, large = PanelMeetingFactory(), PanelMeetingFactory()
    for meeting, cases in ((small, 2), (large, 12)):
        member_add(meeting.panel, client.user)
        police_present(meeting)
        for _ in range(cases):
            item_add(meeting, case_in(CaseStatus.SUPPORT))
    counts = [_queries(client, reverse(page, kwargs={"pk": meeting.pk})) for meeting in (small, large)]
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_the_notice_button_emails_the_members_in_the_background(staff_client, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    client = staff_client(Role.CHANNEL_CHAIR)
    meeting = PanelMeetingFactory(panel=PanelFactory(chair=client.user))
    item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panels:notice", kwargs={"pk": meeting.pk}), follow=True)
    assert "being emailed to 1 person" in response.content.decode()
    assert [message.to for message in mailoutbox] == [[client.user.email]]
    assert PanelMeeting.objects.get(pk=meeting.pk).notice_sent_at is not None
