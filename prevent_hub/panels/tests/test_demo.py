"""The panels demo: a meeting today whose agenda came from the demo cases,
ready for a decision, and the demo panel member sees what is on it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from prevent_hub.access import Action, can
from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.channel.consent import age_on
from prevent_hub.channel.models import CaseStatus, CaseTransition, ChannelCase, ChronologyEntry
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.panels.decisions import police_present_for
from prevent_hub.panels.models import DecisionMethod, ItemDecision, MeetingStatus, PanelMeeting
from prevent_hub.people.models import Person


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_todays_meeting_has_an_agenda_from_the_cases_and_police_present(demo):
    meeting = PanelMeeting.objects.get(date=timezone.localdate())
    items = list(meeting.items.select_related("case"))
    assert meeting.status == MeetingStatus.SCHEDULED
    assert any(item.case.status == CaseStatus.AWAITING_PANEL for item in items)
    assert all(police_present_for(item) for item in items)
    member = User.objects.get(email=f"panel@{DEMO_DOMAIN}")
    assert all(can(member, Action.CASE_VIEW, item.case) for item in items)


def test_a_past_meeting_shows_decisions_each_way_and_approved_minutes(demo):
    meeting = PanelMeeting.objects.get(date__lt=timezone.localdate())
    assert meeting.status == MeetingStatus.HELD and meeting.minutes.is_approved
    assert WorkingCalendar.load().is_working_day(meeting.date)
    assert meeting.attendance.filter(apologies=False).count() == 4
    # A member's apologies, and the colleague who came in their place.
    away = meeting.attendance.get(apologies=True)
    assert meeting.attendance.get(deputy_for=away).name == "Robin Example-Deputy (demo)"
    assert meeting.attendance.filter(organisation_type="police", police_area=meeting.panel.area).exists()
    items = {item.decision_method: item for item in meeting.items.select_related("case")}
    assert set(items) == set(DecisionMethod.values)
    majority = items[DecisionMethod.MAJORITY]
    assert (majority.decision, majority.votes_for, majority.votes_against) == (ItemDecision.ADOPT, 4, 1)
    assert majority.case.status == CaseStatus.ADOPTED and majority.case.adopted_on == meeting.date
    assert "Majority vote (4 for, 1 against)" in majority.minute
    assert items[DecisionMethod.CONSENSUS].case.status == CaseStatus.NOT_ADOPTED
    reviewed = items[DecisionMethod.CHAIR].case
    assert reviewed.reviews.filter(completed_on=meeting.date).exists()
    assert reviewed.next_review_date > timezone.localdate()
    assert items[DecisionMethod.CHAIR].actions.count() == 1
    # Each decision is on its case's timeline on the day of the meeting.
    for item in items.values():
        entry = ChronologyEntry.objects.get(object_type="panels.agendaitem", object_id=str(item.pk))
        assert timezone.localtime(entry.occurred_at).date() == meeting.date
    for item in (majority, items[DecisionMethod.CONSENSUS]):
        move = CaseTransition.objects.filter(case=item.case).latest("occurred_at", "pk")
        assert timezone.localtime(move.occurred_at).date() == meeting.date


def test_demo_people_come_from_the_communities_a_county_serves_and_a_child_stays_a_child(demo):
    names = [f"{person.given_name} {person.family_name}" for person in Person.objects.all()]
    assert sum(any(ord(letter) > 127 for letter in name) for name in names) >= 4
    today = timezone.localdate()
    children = [person for person in Person.objects.exclude(date_of_birth=None)
                if age_on(person.date_of_birth, today) < 18]
    assert children
    assert any(case.person in children for case in ChannelCase.objects.filter(status=CaseStatus.SUPPORT)
               .select_related("person"))
