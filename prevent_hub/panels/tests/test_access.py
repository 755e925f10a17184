"""Who sees which cases and meetings through panel agendas: standing
members see the cases on their meetings' agendas, people invited for one
item see that item's case, for a while after the meeting and no longer."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.access import Action, can, scope
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import CaseStatus, ChannelCase
from prevent_hub.channel.tests.factories import ChannelCaseFactory, team_member_add
from prevent_hub.panels.models import Attendance, ItemInvitee, PanelMeeting
from prevent_hub.panels.services import meeting_cancel, panel_member_remove
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, member_add

from .helpers import days

pytestmark = pytest.mark.django_db

ACCESS_DAYS = 14


@pytest.fixture(autouse=True)
def access_days(settings):
    settings.PANEL_CASE_ACCESS_DAYS = ACCESS_DAYS


@pytest.fixture
def meeting():
    return PanelMeetingFactory(date=days(5))


@pytest.fixture
def member(meeting):
    user = UserFactory(roles=[Role.PANEL_MEMBER])
    member_add(meeting.panel, user)
    return user


def _invite(item, user):
    return ItemInvitee.objects.create(item=item, user=user, name=user.full_name,
                                      organisation_name="Fictional Organisation", email=user.email,
                                      invited_at=timezone.now(), invited_by=item.meeting.panel.chair)


def _cases_seen(user):
    return set(scope(user, ChannelCase.objects.all()))


def _meetings_seen(user):
    return set(scope(user, PanelMeeting.objects.all()))


def _fresh(user):
    """The same account, with nothing cached (roles are read once per request)."""
    return type(user).objects.get(pk=user.pk)


# Cases ---------------------------------------------------------------------------------


def test_a_standing_member_sees_the_cases_on_their_meetings_agendas_and_no_others(meeting, member):
    on_agenda = [item_add(meeting, ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)).case
                 for _ in range(2)]
    not_on_any = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    other_panel = item_add(PanelMeetingFactory(date=days(5)), ChannelCaseFactory()).case

    assert _cases_seen(member) == set(on_agenda)
    for case in on_agenda:
        assert can(member, Action.CASE_VIEW, case)
        assert can(member, Action.CASE_CHRONOLOGY, case)
        # Seeing is not working on the case: that still needs the case team.
        assert not can(member, Action.CASE_NOTE_ADD, case)
        assert not can(member, Action.VAF_ASSESS, case)
    for case in (not_on_any, other_panel):
        assert not can(member, Action.CASE_VIEW, case)
        assert not can(member, Action.CASE_CHRONOLOGY, case)


def test_agenda_access_adds_to_the_cases_whose_team_they_are_on(meeting, member):
    on_agenda = item_add(meeting, ChannelCaseFactory()).case
    on_team = ChannelCaseFactory()
    team_member_add(on_team, member)
    assert _cases_seen(member) == {on_agenda, on_team}


def test_a_per_item_invitee_sees_only_that_items_case(meeting):
    first = item_add(meeting, ChannelCaseFactory())
    second = item_add(meeting, ChannelCaseFactory())
    invitee = UserFactory(roles=[Role.PANEL_MEMBER])
    _invite(second, invitee)
    assert _cases_seen(invitee) == {second.case}
    assert can(invitee, Action.CASE_VIEW, second.case)
    assert not can(invitee, Action.CASE_VIEW, first.case)
    assert _meetings_seen(invitee) == {meeting}
    assert can(invitee, Action.PANEL_VIEW, meeting)


@pytest.mark.parametrize(("days_ago", "sees"), [(0, True), (ACCESS_DAYS, True), (ACCESS_DAYS + 1, False)])
def test_access_lasts_until_panel_case_access_days_after_the_meeting(days_ago, sees):
    meeting = PanelMeetingFactory(date=days(-days_ago))
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    member_add(meeting.panel, member)
    invitee = UserFactory(roles=[Role.PANEL_MEMBER])
    first, second = item_add(meeting, ChannelCaseFactory()), item_add(meeting, ChannelCaseFactory())
    _invite(second, invitee)
    assert _cases_seen(member) == ({first.case, second.case} if sees else set())
    assert _cases_seen(invitee) == ({second.case} if sees else set())
    assert can(member, Action.CASE_VIEW, first.case) is sees
    assert can(invitee, Action.CASE_VIEW, second.case) is sees


def test_the_access_window_follows_the_setting(settings):
    meeting = PanelMeetingFactory(date=days(-20))
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    member_add(meeting.panel, member)
    case = item_add(meeting, ChannelCaseFactory()).case
    assert not can(member, Action.CASE_VIEW, case)
    settings.PANEL_CASE_ACCESS_DAYS = 20
    assert can(member, Action.CASE_VIEW, case)
    assert _cases_seen(member) == {case}


def test_access_ends_when_the_meeting_is_cancelled(meeting, member):
    first = item_add(meeting, ChannelCaseFactory())
    invitee = UserFactory(roles=[Role.PANEL_MEMBER])
    _invite(first, invitee)
    assert can(member, Action.CASE_VIEW, first.case) and can(invitee, Action.CASE_VIEW, first.case)
    meeting_cancel(meeting=meeting, reasons="Fictional: the room flooded.", acting_user=meeting.panel.chair)
    for user in (member, invitee):
        assert _cases_seen(user) == set()
        assert not can(user, Action.CASE_VIEW, first.case)


def test_access_ends_when_removed_from_the_panel(meeting, member):
    case = item_add(meeting, ChannelCaseFactory()).case
    membership = meeting.panel.members.get(user=member)
    panel_member_remove(member=membership, acting_user=meeting.panel.chair)
    assert _cases_seen(member) == set()
    assert not can(member, Action.CASE_VIEW, case)
    assert _meetings_seen(member) == set()
    assert not can(member, Action.PANEL_VIEW, meeting)


def test_removal_from_one_panel_leaves_another_panels_agenda(meeting, member):
    other = PanelMeetingFactory(date=days(2))
    member_add(other.panel, member)
    here = item_add(meeting, ChannelCaseFactory()).case
    there = item_add(other, ChannelCaseFactory()).case
    panel_member_remove(member=meeting.panel.members.get(user=member), acting_user=meeting.panel.chair)
    assert _cases_seen(member) == {there}
    assert not can(member, Action.CASE_VIEW, here)


def test_intervention_providers_gain_nothing_from_agendas(meeting):
    provider = UserFactory(roles=[Role.INTERVENTION_PROVIDER])
    member_add(meeting.panel, provider)
    first = item_add(meeting, ChannelCaseFactory())
    _invite(first, provider)
    Attendance.objects.create(meeting=meeting, user=provider, name=provider.full_name,
                              organisation_name="Fictional Mentors",
                              organisation_type="intervention_provider",
                              recorded_at=timezone.now(), recorded_by=meeting.panel.chair)
    assert _cases_seen(provider) == set()
    assert not can(provider, Action.CASE_VIEW, first.case)
    assert not can(provider, Action.CASE_CHRONOLOGY, first.case)
    assert _meetings_seen(provider) == set()
    assert not can(provider, Action.PANEL_VIEW, meeting)
    # What they had before, they keep: the cases whose team they are on.
    on_team = ChannelCaseFactory()
    team_member_add(on_team, provider)
    assert _cases_seen(_fresh(provider)) == {on_team}


def test_without_a_role_an_agenda_gives_nothing(meeting):
    nobody = UserFactory(roles=[])
    member_add(meeting.panel, nobody)
    first = item_add(meeting, ChannelCaseFactory())
    _invite(first, nobody)
    assert _cases_seen(nobody) == set()
    assert _meetings_seen(nobody) == set()


# Meetings ------------------------------------------------------------------------------------


def test_police_and_panel_members_see_only_the_meetings_they_are_invited_to(meeting, member):
    police = UserFactory(roles=[Role.POLICE_PRACTITIONER])
    member_add(meeting.panel, police)
    earlier = PanelMeetingFactory(panel=meeting.panel, date=days(-30))
    elsewhere = PanelMeetingFactory(date=days(5))
    invited_elsewhere = PanelMeetingFactory(date=days(9))
    attended_elsewhere = PanelMeetingFactory(date=days(-3))
    _invite(item_add(invited_elsewhere, ChannelCaseFactory()), member)
    Attendance.objects.create(meeting=attended_elsewhere, user=police, name=police.full_name,
                              organisation_name="Fictional Shire Constabulary", organisation_type="police",
                              police_area=attended_elsewhere.panel.area, recorded_at=timezone.now(),
                              recorded_by=attended_elsewhere.panel.chair)

    assert _meetings_seen(member) == {meeting, earlier, invited_elsewhere}
    assert _meetings_seen(police) == {meeting, earlier, attended_elsewhere}
    assert can(member, Action.PANEL_VIEW, meeting)
    assert not can(member, Action.PANEL_VIEW, elsewhere)
    assert not can(police, Action.PANEL_VIEW, elsewhere)
    # Police see every case (their role), whatever the agendas.
    case = ChannelCaseFactory()
    assert can(police, Action.CASE_VIEW, case)


def test_each_meeting_is_listed_once_however_many_ways_they_are_invited(meeting, member):
    _invite(item_add(meeting, ChannelCaseFactory()), member)
    _invite(item_add(meeting, ChannelCaseFactory()), member)
    assert list(scope(member, PanelMeeting.objects.all())) == [meeting]


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
def test_coordinators_and_chairs_see_every_meeting(meeting, role):
    others = {PanelMeetingFactory(date=days(-100)), PanelMeetingFactory(date=days(40))}
    user = UserFactory(roles=[role])
    assert _meetings_seen(user) == {meeting, *others}
    assert all(can(user, Action.PANEL_VIEW, each) for each in (meeting, *others))


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR, Role.INTERVENTION_PROVIDER])
def test_other_roles_see_no_meetings(meeting, role):
    assert _meetings_seen(UserFactory(roles=[role])) == set()


def test_access_is_counted_from_the_local_date(meeting, member):
    """The window is in whole days: a meeting PANEL_CASE_ACCESS_DAYS ago
    still counts today, whatever the hour."""
    from prevent_hub.access.scopes import agenda_case_ids

    past = PanelMeetingFactory(panel=meeting.panel, date=days(-ACCESS_DAYS))
    case = item_add(past, ChannelCaseFactory()).case
    ids = set(agenda_case_ids(member).values_list("case_id", flat=True))
    assert case.pk in ids
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert case.pk not in set(agenda_case_ids(member, today=tomorrow).values_list("case_id", flat=True))
