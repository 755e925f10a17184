"""The calendar invitation on a meeting's notice: read back with the
icalendar package as a calendar program would, it puts the meeting in at
the right London time, the same entry each time the notice goes, and says
nothing about who or what is discussed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseStatus
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemInvitee
from prevent_hub.panels.services import meeting_notice_send, meeting_notices_send_due
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def send(django_capture_on_commit_callbacks, mailoutbox):
    """Send the notice; return the invitation each recipient got, read back."""

    def run(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            meeting_notice_send(meeting=meeting, acting_user=meeting.panel.chair)
        return {message.to[0]: _invitation(message) for message in mailoutbox}

    return run


def _invitation(message):
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar"
    assert attachment.filename.endswith(".ics")
    content = attachment.content.encode() if isinstance(attachment.content, str) else attachment.content
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_summer_meeting_is_put_in_at_its_london_time_in_bst(settings, send):
    settings.SERVICE_BASE_URL = "https://prevent.example-council.test"
    meeting = PanelMeetingFactory(date=datetime.date(2027, 7, 14), start_time=datetime.time(10, 0),
                                  location="Committee Room 2, Fictional County Hall",
                                  online_link="https://meet.example.test/fictional")
    calendar, event = send(meeting)[meeting.panel.chair.email]

    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == f"panel-meeting-{meeting.pk}@prevent.example-council.test"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo == ZoneInfo("Europe/London")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    # 10am in London in July is 9am UTC (British Summer Time).
    assert start.astimezone(UTC) == datetime.datetime(2027, 7, 14, 9, 0, tzinfo=UTC)
    # No end time is recorded: the entry books two hours.
    assert end - start == datetime.timedelta(hours=2)
    assert str(event["LOCATION"]) == ("Committee Room 2, Fictional County Hall; "
                                      "Online: https://meet.example.test/fictional")
    assert str(event["URL"]) == f"https://prevent.example-council.test/staff/panels/meetings/{meeting.pk}/"
    # Calendars that do not know the zone by name get its rules.
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_winter_meeting_is_put_in_at_its_london_time_in_gmt(send):
    meeting = PanelMeetingFactory(date=datetime.date(2027, 1, 13), start_time=datetime.time(14, 30),
                                  location="", online_link="https://meet.example.test/fictional")
    _, event = send(meeting)[meeting.panel.chair.email]
    assert event.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2027, 1, 13, 14, 30, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime.datetime(2027, 1, 13, 16, 30, tzinfo=UTC)
    assert str(event["LOCATION"]) == "Online: https://meet.example.test/fictional"


def test_the_invitation_names_the_panel_and_no_case_or_person(send):
    meeting = PanelMeetingFactory(panel=PanelFactory(name="Fictional North Channel Panel"),
                                  date=datetime.date(2027, 3, 10))
    case = case_in(CaseStatus.AWAITING_PANEL)
    case.person.given_name, case.person.family_name = "Fictionalgiven", "Fictionalfamily"
    case.person.save()
    item = item_add(meeting, case)
    ItemInvitee.objects.create(item=item, name="Fictional Teacher", organisation_name="Fictional School",
                               email="teacher@school.example.test", invited_at=meeting.created_at,
                               invited_by=meeting.panel.chair)

    invitations = send(meeting)
    assert set(invitations) == {meeting.panel.chair.email, "teacher@school.example.test"}
    for calendar, event in invitations.values():
        assert str(event["SUMMARY"]) == "Fictional North Channel Panel meeting"
        assert str(event["CLASS"]) == "CONFIDENTIAL"
        text = calendar.to_ical().decode()
        for private in (case.reference, case.referral.reference, "Fictionalgiven", "Fictionalfamily",
                        "Fictional Teacher", meeting.panel.chair.full_name):
            assert private not in text


def test_every_notice_of_a_meeting_is_the_same_calendar_entry(send, mailoutbox):
    meeting, other = PanelMeetingFactory(), PanelMeetingFactory()
    first = send(meeting)[meeting.panel.chair.email][1]["UID"]
    mailoutbox.clear()
    again = send(meeting)[meeting.panel.chair.email][1]["UID"]
    mailoutbox.clear()
    assert first == again
    assert send(other)[other.panel.chair.email][1]["UID"] != first


def test_the_daily_sweep_sends_an_empty_agenda_saying_so_with_its_invitation(
        settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.PANEL_NOTICE_DAYS = 7
    meeting = PanelMeetingFactory(date=datetime.date(2027, 3, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notices_send_due(today=datetime.date(2027, 3, 1)) == 1
    (message,) = mailoutbox
    assert "Agenda: it is empty, so there is nothing to discuss yet." in message.body
    _, event = _invitation(message)
    assert event.decoded("DTSTART").date() == meeting.date


# Cancelling after the notice went -------------------------------------------------------------


def test_cancelling_after_the_notice_tells_everyone_and_takes_it_out_of_their_calendars(
        send, mailoutbox, django_capture_on_commit_callbacks, staff_client):
    from django.urls import reverse

    meeting = PanelMeetingFactory(date=datetime.date(2027, 7, 14), start_time=datetime.time(14, 30))
    case = case_in(CaseStatus.AWAITING_PANEL)
    item_add(meeting, case)
    invited = send(meeting)
    mailoutbox.clear()
    chair = staff_client(Role.CHANNEL_CHAIR)

    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(reverse("panels:meeting-cancel", kwargs={"pk": meeting.pk}),
                              {"reasons": f"Fictional: {case.reference} moved away; nothing else."})

    assert response.status_code == 302
    assert sorted(message.to[0] for message in mailoutbox) == sorted(invited)
    for message in mailoutbox:
        assert message.subject.startswith("Cancelled: Channel panel meeting:")
        assert "is cancelled" in message.body
        # Neither the reasons nor the case go by email.
        assert case.reference not in message.body and "moved away" not in message.body
        calendar, event = _invitation(message)
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED" and event.decoded("SEQUENCE") == 1
        assert event["UID"] == invited[message.to[0]][1]["UID"]
    page = chair.get(response["Location"]).content.decode()
    assert "everyone who got its notice has been emailed" in page


def test_cancelling_before_any_notice_emails_nobody(mailoutbox, django_capture_on_commit_callbacks):
    from prevent_hub.panels.services import meeting_cancel

    meeting = PanelMeetingFactory(date=datetime.date(2027, 7, 14))
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, reasons="Fictional: no cases yet.", acting_user=meeting.panel.chair)
    assert mailoutbox == []
