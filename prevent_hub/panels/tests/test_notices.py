"""Meeting notices (who gets them, with what, once) and the reminders to
owners of Channel plan actions, panel actions among them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import CaseStatus, ChronologyEntry, ChronologyKind, PlanAction
from prevent_hub.channel.support import plan_action_reminders_send
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemInvitee, MeetingStatus, MinutesStatus
from prevent_hub.panels.services import meeting_notice_send, meeting_notices_send_due, panel_member_remove
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, member_add

from .helpers import at, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a meeting's notice; its emails go once the transaction commits."""

    def run(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            return meeting_notice_send(meeting=meeting, acting_user=meeting.panel.chair)

    return run


def _by_recipient(mailoutbox):
    assert all(len(message.to) == 1 for message in mailoutbox)
    return {message.to[0]: message for message in mailoutbox}


def _named(case, given):
    case.person.given_name, case.person.family_name = given, "Fictionalsurname"
    case.person.save()
    return case


def _invite(item, *, user=None, name="", email=""):
    return ItemInvitee.objects.create(item=item, user=user, name=user.full_name if user else name,
                                      organisation_name="Fictional Organisation",
                                      email=user.email if user else email, invited_at=timezone.now(),
                                      invited_by=item.meeting.panel.chair)


# A meeting's notice --------------------------------------------------------------------------


def test_the_notice_goes_to_the_chair_members_and_invitees_each_with_their_items(send, mailoutbox):
    meeting = PanelMeetingFactory(date=datetime.date(2027, 3, 10), location="Fictional Room 4",
                                  online_link="https://meet.example.test/fictional")
    chair = meeting.panel.chair
    members = [UserFactory(roles=[Role.PANEL_MEMBER]), UserFactory(roles=[Role.POLICE_PRACTITIONER])]
    for user in members:
        member_add(meeting.panel, user)
    first = item_add(meeting, _named(case_in(CaseStatus.AWAITING_PANEL), "Fictionalfirst"))
    second = item_add(meeting, _named(case_in(CaseStatus.SUPPORT), "Fictionalsecond"))
    social_worker = UserFactory(roles=[Role.PANEL_MEMBER], email="social.worker@example.test")
    _invite(second, user=social_worker)
    _invite(first, name="Fictional Teacher", email="teacher@school.example.test")
    _invite(first, name="Fictional Parent Advocate")  # no email: nothing to send

    assert send(meeting) == 5

    messages = _by_recipient(mailoutbox)
    assert set(messages) == {chair.email, members[0].email, members[1].email, "social.worker@example.test",
                             "teacher@school.example.test"}
    for email in (chair.email, *(user.email for user in members)):
        body = messages[email].body
        assert first.case.reference in body and second.case.reference in body
    only_second = messages["social.worker@example.test"].body
    assert second.case.reference in only_second and first.case.reference not in only_second
    assert f"Dear {social_worker.full_name}," in only_second
    only_first = messages["teacher@school.example.test"].body
    assert first.case.reference in only_first and second.case.reference not in only_first

    for message in mailoutbox:
        text = message.subject + message.body
        assert message.subject == f"Channel panel meeting: {meeting.panel.name}, 10 March 2027 at 10am"
        assert "Fictional Room 4" in message.body and "https://meet.example.test/fictional" in message.body
        assert reverse("panels:agenda-pack", kwargs={"pk": meeting.pk}) in message.body
        for personal in ("Fictionalfirst", "Fictionalsecond", "Fictionalsurname",
                         first.case.referral.reference, second.case.referral.reference):
            assert personal not in text

    meeting.refresh_from_db()
    assert meeting.notice_sent_at is not None
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="panels.panelmeeting",
                                   changed_fields=["notice_sent_at"])
    assert event.details == {"recipients": 5}


def test_the_notice_is_sent_only_once_the_transaction_commits(django_capture_on_commit_callbacks,
                                                              mailoutbox):
    meeting = PanelMeetingFactory(date=days(5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert meeting_notice_send(meeting=meeting) == 1
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [[meeting.panel.chair.email]]


def test_an_empty_agenda_says_the_pack_will_follow(send, mailoutbox):
    meeting = PanelMeetingFactory(date=days(5))
    send(meeting)
    assert "Agenda: it is empty, so there is nothing to discuss yet." in mailoutbox[0].body


def test_someone_both_a_member_and_an_invitee_gets_one_email_with_every_item(send, mailoutbox):
    meeting = PanelMeetingFactory(date=days(5))
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    member_add(meeting.panel, member)
    first = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    second = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    _invite(second, user=member)
    assert send(meeting) == 2
    body = _by_recipient(mailoutbox)[member.email].body
    assert body.count(first.case.reference) == 1 and body.count(second.case.reference) == 1


def test_an_invitee_for_two_items_gets_one_email_with_both(send, mailoutbox):
    meeting = PanelMeetingFactory(date=days(5))
    items = [item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)) for _ in range(3)]
    for item in items[:2]:
        _invite(item, name="Fictional Youth Worker", email="youth.worker@example.test")
    send(meeting)
    body = _by_recipient(mailoutbox)["youth.worker@example.test"].body
    assert items[0].case.reference in body and items[1].case.reference in body
    assert items[2].case.reference not in body


def test_former_members_and_deactivated_accounts_get_no_notice(send, mailoutbox):
    meeting = PanelMeetingFactory(date=days(5))
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    former = UserFactory(roles=[Role.PANEL_MEMBER])
    panel_member_remove(member=member_add(meeting.panel, former), acting_user=meeting.panel.chair)
    deactivated_member = UserFactory(roles=[Role.PANEL_MEMBER])
    member_add(meeting.panel, deactivated_member)
    deactivated_invitee = UserFactory(roles=[Role.PANEL_MEMBER])
    _invite(item, user=deactivated_invitee)
    for user in (deactivated_member, deactivated_invitee):
        user.is_active = False
        user.save()
    assert send(meeting) == 1
    assert [message.to for message in mailoutbox] == [[meeting.panel.chair.email]]


@pytest.mark.parametrize("closed", ["cancelled", "held", "approved"])
def test_no_notice_for_a_meeting_that_is_not_scheduled(send, mailoutbox, closed):
    meeting = PanelMeetingFactory(date=days(5))
    if closed == "approved":
        meeting.minutes.status = MinutesStatus.APPROVED
        meeting.minutes.save()
    else:
        meeting.status = MeetingStatus.CANCELLED if closed == "cancelled" else MeetingStatus.HELD
        meeting.save()
    with pytest.raises(ValidationError):
        send(meeting)
    assert mailoutbox == []
    meeting.refresh_from_db()
    assert meeting.notice_sent_at is None


# The daily sweep -------------------------------------------------------------------------------


def test_meetings_within_the_notice_days_get_their_notice_once(settings, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    settings.PANEL_NOTICE_DAYS = 7
    today = datetime.date(2027, 3, 1)
    due = [PanelMeetingFactory(date=today), PanelMeetingFactory(date=datetime.date(2027, 3, 8))]
    too_early = PanelMeetingFactory(date=datetime.date(2027, 3, 9))
    PanelMeetingFactory(date=datetime.date(2027, 2, 28))  # already past
    PanelMeetingFactory(date=datetime.date(2027, 3, 5), status=MeetingStatus.CANCELLED)
    already = PanelMeetingFactory(date=datetime.date(2027, 3, 4), notice_sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notices_send_due(today=today) == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted(m.panel.chair.email for m in due)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notices_send_due(today=today) == 0
    assert len(mailoutbox) == 2
    assert already.panel.chair.email not in {message.to[0] for message in mailoutbox}

    # The next day, the next meeting comes within the notice period.
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notices_send_due(today=datetime.date(2027, 3, 2)) == 1
    assert mailoutbox[-1].to == [too_early.panel.chair.email]


def test_the_notice_task_is_scheduled_daily_and_runs(settings, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    from prevent_hub.core.scheduler import scheduled
    from prevent_hub.panels.tasks import meeting_notice_send_task, meeting_notices_send_due_task

    jobs = {job.name: job for job in scheduled()}
    assert jobs["prevent_hub.panels.tasks.meeting_notices_send_due_task"].every == datetime.timedelta(days=1)
    settings.PANEL_NOTICE_DAYS = 7
    PanelMeetingFactory(date=days(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notices_send_due_task.enqueue().return_value == 1
    meeting = PanelMeetingFactory(date=days(30))
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_notice_send_task.enqueue(meeting.pk).return_value == 1
    assert len(mailoutbox) == 2


# Reminders to action owners ----------------------------------------------------------------------


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return plan_action_reminders_send(now=at(day))

    return run


@pytest.fixture
def owner():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Alex Fictional-Owner",
                       email="alex.owner@example.test")


def _action(case, owner, due_date, **fields):
    return PlanAction.objects.create(case=case, description="Fictional: visit the family about mentoring",
                                     owner=owner, due_date=due_date, created_by=owner,
                                     created_at=timezone.now(), **fields)


DUE = datetime.date(2027, 3, 10)


def test_an_owner_is_told_once_on_the_due_day_and_once_when_overdue(owner, remind, mailoutbox):
    case = _named(case_in(CaseStatus.SUPPORT), "Fictionalperson")
    action = _action(case, owner, DUE)

    assert remind(DUE - datetime.timedelta(days=1)) == 0
    assert remind(DUE) == 1
    assert remind(DUE) == 0
    assert len(mailoutbox) == 1
    due_today = mailoutbox[0]
    assert due_today.to == ["alex.owner@example.test"]
    assert due_today.subject == f"Due today: an action on Channel case {case.reference}"
    assert "is due today (10 March 2027)" in due_today.body

    assert remind(DUE + datetime.timedelta(days=1)) == 1
    assert remind(DUE + datetime.timedelta(days=2)) == 0
    assert remind(DUE + datetime.timedelta(days=30)) == 0
    assert len(mailoutbox) == 2
    overdue = mailoutbox[1]
    assert overdue.subject == f"Overdue: an action on Channel case {case.reference}"
    assert "It was due on 10 March 2027." in overdue.body

    for message in mailoutbox:
        text = message.subject + message.body
        assert case.reference in text
        for private in ("Fictionalperson", "Fictionalsurname", "visit the family", case.referral.reference):
            assert private not in text
    action.refresh_from_db()
    assert action.due_reminder_sent_at == at(DUE)
    assert action.overdue_reminder_sent_at == at(DUE + datetime.timedelta(days=1))
    summaries = list(ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.EMAIL)
                     .values_list("summary", flat=True))
    assert summaries == ["Reminder sent to Alex Fictional-Owner: action due today",
                         "Reminder sent to Alex Fictional-Owner: action overdue (was due 10 March 2027)"]


def test_an_action_already_overdue_gets_only_the_overdue_reminder(owner, remind, mailoutbox):
    _action(case_in(CaseStatus.SUPPORT), owner, DUE)
    assert remind(DUE + datetime.timedelta(days=5)) == 1
    assert remind(DUE + datetime.timedelta(days=6)) == 0
    assert [message.subject.split(":")[0] for message in mailoutbox] == ["Overdue"]


def test_done_actions_closed_cases_and_deactivated_owners_get_no_reminders(owner, remind, mailoutbox):
    _action(case_in(CaseStatus.SUPPORT), owner, DUE, done_on=DUE - datetime.timedelta(days=2))
    _action(case_in(CaseStatus.CLOSED), owner, DUE)
    former = UserFactory(roles=[Role.PREVENT_COORDINATOR], is_active=False)
    _action(case_in(CaseStatus.SUPPORT), former, DUE)
    _action(case_in(CaseStatus.SUPPORT), owner, DUE + datetime.timedelta(days=1))  # not yet due
    assert remind(DUE) == 0
    assert remind(DUE + datetime.timedelta(days=1)) == 1  # only the last one, due that day
    assert [message.subject.split(":")[0] for message in mailoutbox] == ["Due today"]


def test_an_action_done_after_its_due_reminder_gets_no_overdue_one(owner, remind, mailoutbox):
    action = _action(case_in(CaseStatus.SUPPORT), owner, DUE)
    assert remind(DUE) == 1
    PlanAction.objects.filter(pk=action.pk).update(done_on=DUE)
    assert remind(DUE + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_each_owner_is_told_about_their_own_actions(owner, remind, mailoutbox):
    other = UserFactory(roles=[Role.PANEL_MEMBER], email="other.owner@example.test")
    case = case_in(CaseStatus.SUPPORT)
    _action(case, owner, DUE)
    _action(case, other, DUE)
    _action(case, owner, DUE)
    assert remind(DUE) == 3
    assert sorted(message.to[0] for message in mailoutbox) == [
        "alex.owner@example.test", "alex.owner@example.test", "other.owner@example.test"]


def test_actions_the_panel_sets_get_reminders_too(owner, remind, mailoutbox):
    from prevent_hub.panels.decisions import PanelActionInput
    from prevent_hub.panels.models import ItemDecision
    from prevent_hub.panels.tests.factories import police_present

    from .helpers import decide

    meeting = PanelMeetingFactory(date=days(0))
    police_present(meeting)
    item = item_add(meeting, case_in(CaseStatus.SUPPORT))
    action = PanelActionInput(description="Fictional: revise the plan", owner=owner, due_date=days(3))
    decide(item, ItemDecision.REVISE_PLAN, actions=[action])
    mailoutbox.clear()
    assert remind(days(3)) == 1
    assert mailoutbox[0].to == ["alex.owner@example.test"]
    assert item.case.reference in mailoutbox[0].subject
