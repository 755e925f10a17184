"""Demo panel and meetings. Every name is invented.

Runs after the Channel demo (INSTALLED_APPS order): a panel for Shireford
chaired by the demo chair, with the demo police officer, panel member and
coordinator as standing members, and three meetings:

- one held two weeks ago, to learn from: attendance, a decision reached each
  way (a majority vote with its counts, consensus, and the chair's decision
  when the vote was split), the case adopted there, an action for the
  mentor, and minutes the chair has approved;
- one today, whose agenda is built from the demo cases that need the panel,
  with the police and chair recorded as present so decisions can be tried at
  once;
- one next month.

Everything goes through the panels services, as a chair's clicks would; only
the times are then set back to the day of the past meeting (demo only).
"""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as
from prevent_hub.channel.demo import ADOPTED_AT_PANEL, NOT_ADOPTED_AT_PANEL, REVIEWED_AT_PANEL
from prevent_hub.channel.models import (
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    NotAdoptedOutcome,
)
from prevent_hub.core.working_days import WorkingCalendar, start_of_day

from . import agenda, minutes, services
from .decisions import PanelActionInput, item_decide
from .models import AgendaItem, DecisionMethod, ItemDecision, Minutes

PLACE = "Committee Room 2, Shireford County Hall (demo)"


def _user(local):
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _case(given, family):
    return ChannelCase.objects.get(person__given_name=given, person__family_name=family)


def _working_day_on_or_before(day):
    calendar = WorkingCalendar.load()
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _past_meeting(panel, chair, today):
    held_on = _working_day_on_or_before(today - datetime.timedelta(days=14))
    meeting = services.meeting_schedule(panel=panel, date=held_on, start_time=datetime.time(10, 0),
                                        location=PLACE, acting_user=chair)
    adopted, not_adopted, reviewed = (_case(*names) for names in (ADOPTED_AT_PANEL, NOT_ADOPTED_AT_PANEL,
                                                                   REVIEWED_AT_PANEL))
    items = [agenda.agenda_item_add(meeting=meeting, case=case, acting_user=chair)
             for case in (adopted, not_adopted, reviewed)]
    for local in ("chair", "police", "coordinator"):
        services.attendance_record(meeting=meeting, user=_user(local), acting_user=chair)
    # A standing member sent apologies and a colleague came in their place.
    member = _user("panel")
    away = services.attendance_record(meeting=meeting, user=member, apologies=True, acting_user=chair)
    services.attendance_record(
        meeting=meeting, name="Robin Example-Deputy (demo)", organisation=member.organisation,
        deputy_for=away, acting_user=chair)
    first_transition = (CaseTransition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_entry = (ChronologyEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    item_decide(
        item=items[0], decision=ItemDecision.ADOPT, decision_method=DecisionMethod.MAJORITY,
        votes_for=4, votes_against=1, acting_user=chair,
        reasons="Fictional demo reasons: the assessment shows a growing interest in an extremist "
                "online group and a wish to belong; most members agreed Channel support could help. "
                "One member preferred early help first.")
    item_decide(
        item=items[1], decision=ItemDecision.NOT_ADOPT, decision_method=DecisionMethod.CONSENSUS,
        acting_user=chair, outcome=NotAdoptedOutcome.SIGNPOSTED,
        signposted_to="Shireford community mental health team (demo)", health_social_care_considered=True,
        health_social_care_notes="Fictional demo notes: referral to the community mental health team "
                                 "agreed with the GP.",
        reasons="Fictional demo reasons: the panel found the concern is about mental health rather than "
                "radicalisation.")
    item_decide(
        item=items[2], decision=ItemDecision.CONTINUE_SUPPORT, decision_method=DecisionMethod.CHAIR,
        votes_for=2, votes_against=2, acting_user=chair,
        reasons="Fictional demo reasons: members were split on whether to add a second provider; the "
                "chair decided mentoring carries on as planned and the panel looks again next month.",
        actions=[PanelActionInput(description="Ask the school how the young person is settling (fictional)",
                                  owner=_user("mentor"), due_date=held_on + datetime.timedelta(days=21))])

    minutes.minutes_notes_save(
        meeting=meeting, acting_user=chair,
        general_notes=f"Fictional demo minutes. The chair welcomed members. Apologies from "
                      f"{member.full_name}; Robin Example-Deputy attended in their place. No other business.")
    minutes.minutes_approve(meeting=meeting, acting_user=chair)

    # Demo only: the meeting happened on its day, so its records say so.
    during = start_of_day(held_on) + datetime.timedelta(hours=11)
    AgendaItem.objects.filter(meeting=meeting).update(decided_at=during)
    CaseTransition.objects.filter(pk__gte=first_transition).update(occurred_at=during)
    ChronologyEntry.objects.filter(pk__gte=first_entry).update(occurred_at=during)
    ChannelCase.objects.filter(pk__in=[adopted.pk, not_adopted.pk]).update(status_changed_at=during)
    Minutes.objects.filter(meeting=meeting).update(
        approved_at=during + datetime.timedelta(days=1), updated_at=during + datetime.timedelta(days=1))
    return meeting


def load():
    chair = _user("chair")
    with acting_as(chair):
        panel = services.panel_create(name="Shireford Channel Panel", area="Shireford", chair=chair,
                                      acting_user=chair)
        for local in ("police", "panel", "coordinator"):
            services.panel_member_add(panel=panel, user=_user(local), acting_user=chair)
        today = timezone.localdate()
        _past_meeting(panel, chair, today)
        meeting = services.meeting_schedule(
            panel=panel, date=today, start_time=datetime.time(10, 0), location=PLACE,
            online_link="https://meet.shireford.example/channel-panel-demo", acting_user=chair)
        agenda.agenda_build(meeting=meeting, acting_user=chair)
        for local in ("chair", "police"):
            services.attendance_record(meeting=meeting, user=_user(local), acting_user=chair)
        services.meeting_schedule(
            panel=panel, date=today + datetime.timedelta(days=28), start_time=datetime.time(14, 0),
            location=PLACE, acting_user=chair)
