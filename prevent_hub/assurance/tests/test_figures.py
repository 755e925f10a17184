"""Each figure of the assurance summary, counted from records made through
the apps' own services and factories: what is counted, in which quarter,
and where the year begins and ends (31 March is the last day of a year,
1 April the first of the next, in London time)."""

import datetime

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.assurance import selectors
from prevent_hub.channel import services as channel_services
from prevent_hub.channel.models import CaseStatus, ClosureReason
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.complaints import services as complaint_services
from prevent_hub.complaints.models import Scope
from prevent_hub.complaints.tests.factories import complaint_received
from prevent_hub.complaints.tests.factories import officer as complaints_officer
from prevent_hub.panels import services as panel_services
from prevent_hub.panels.models import MeetingStatus, PanelMeeting
from prevent_hub.panels.tests.factories import (
    PanelFactory,
    PanelMeetingFactory,
    item_add,
    member_add,
    outside_decision,
)
from prevent_hub.referrals.models import GatewayOutcome, ReferralKind, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.training import services as training_services
from prevent_hub.training.models import Learner
from prevent_hub.training.selectors import compliance_totals
from prevent_hub.training.tests.factories import administrator, completed, course, learner
from prevent_hub.venues import services as venue_services
from prevent_hub.venues.tests.factories import booking_submitted, decided, venue_with_room
from prevent_hub.venues.tests.factories import officer as venue_officer

from .helpers import CURRENT, PAST, READ_ON, D, at, london

pytestmark = pytest.mark.django_db


def section(year, key, *, today=READ_ON):
    found = selectors.summary(year, today=today)
    return {figure.key: figure for figure in getattr(found, key).figures}


def quarters(figure) -> tuple[int, ...]:
    return figure.quarters


# Training: the standing as at a day -----------------------------------------------------------


def test_training_standing_as_at_the_end_of_a_past_year_reads_the_completions_up_to_that_day():
    """31 March 2026, with 60 days "due soon": due soon runs to 30 May 2026."""
    admin = administrator()
    school = OrganisationFactory(name="Fictional Academy (demo)")
    with at(D(2025, 5, 1)):
        overdue = learner(acting_user=admin, organisation=school)
        in_date = learner(acting_user=admin, organisation=school)
        due_soon = learner(acting_user=admin, organisation=school)
        never = learner(acting_user=admin, organisation=school)
        trained_after = learner(acting_user=admin, organisation=school)
        gone = learner(acting_user=admin, organisation=school)
        lead_ok = learner(acting_user=admin, organisation=school, is_safeguarding_lead=True)
        lead_flagged = learner(acting_user=admin, organisation=school, is_prevent_lead=True)
    with at(READ_ON):
        completed(overdue, "prevent-awareness", D(2024, 1, 10), acting_user=admin)  # ran out 10 Jan 2026
        completed(in_date, "prevent-awareness", D(2025, 6, 1), acting_user=admin)
        completed(due_soon, "prevent-awareness", D(2024, 4, 20), acting_user=admin)  # runs out 20 Apr 2026
        completed(trained_after, "prevent-awareness", D(2026, 4, 5), acting_user=admin)
        completed(gone, "prevent-awareness", D(2025, 6, 1), acting_user=admin)
        training_services.learner_left(learner=gone, left_on=D(2026, 1, 1), acting_user=admin)
        completed(lead_ok, "prevent-awareness", D(2025, 5, 1), acting_user=admin)
        completed(lead_ok, "prevent-referrals", D(2025, 5, 2), acting_user=admin)
        completed(lead_flagged, "prevent-awareness", D(2025, 5, 1), acting_user=admin)
        # Added after the year ended: one with nothing done (not yet a
        # learner then), one with last year's certificate imported late.
        learner(acting_user=admin, organisation=school)
        backfilled = learner(acting_user=admin, organisation=school)
        completed(backfilled, "prevent-awareness", D(2025, 7, 1), acting_user=admin)
        # A workshop does not count towards being in date.
        completed(never, "local-workshop", D(2025, 9, 1), acting_user=admin)

    figures = section(PAST, "training")
    assert {key: figures[key].year for key in ("learners", "in_date", "due_soon", "overdue", "never_trained",
                                               "leads_flagged")} == {
        "learners": 8, "in_date": 4, "due_soon": 1, "overdue": 1, "never_trained": 2, "leads_flagged": 1}
    assert figures["in_date"].quarters is None
    assert "31 March 2026" in figures["in_date"].definition
    assert selectors.summary(PAST, today=READ_ON).training.as_at == D(2026, 3, 31)

    # The current year reads today: the learner trained in April 2026 is in
    # date now, the one due soon ran out in April, the late one is a
    # learner, the one who left is not.
    now = section(CURRENT, "training")
    assert {key: now[key].year for key in ("learners", "in_date", "never_trained", "overdue")} == {
        "learners": 9, "in_date": 5, "never_trained": 2, "overdue": 2}


def test_the_current_years_standing_is_the_compliance_pages_count():
    admin = administrator()
    with at(D(2026, 2, 1)):
        for number, day in enumerate((D(2024, 1, 1), D(2024, 3, 1), D(2025, 12, 1), None)):
            person = learner(acting_user=admin, is_safeguarding_lead=number == 0)
            if day:
                completed(person, "prevent-awareness", day, acting_user=admin)
        training_services.learner_left(learner=person, left_on=D(2026, 1, 31), acting_user=admin)
    today = D(2026, 2, 1)
    with at(today):
        figures = section(2025, "training", today=today)
        totals = compliance_totals(Learner.objects.all(), today=today)
        # Worked out again from the completions, as for a past year's end.
        from_completions = selectors.training_standing(today)
    assert totals.learners == 3
    assert from_completions == {key: figures[key].year for key in from_completions}
    assert {key: figures[key].year for key in ("learners", "in_date", "due_soon", "overdue", "never_trained",
                                               "leads_flagged")} == {
        "learners": totals.learners, "in_date": totals.in_date, "due_soon": totals.due_soon,
        "overdue": totals.overdue, "never_trained": totals.never_trained,
        "leads_flagged": totals.leads_flagged}


def test_completions_in_the_year_by_course_and_quarter_from_1_april_to_31_march():
    admin = administrator()
    with at(READ_ON):
        first, second = learner(acting_user=admin), learner(acting_user=admin)
        completed(first, "prevent-awareness", D(2025, 3, 31), acting_user=admin)  # the year before
        completed(second, "prevent-awareness", D(2025, 4, 1), acting_user=admin)  # Q1
        completed(second, "prevent-referrals", D(2025, 10, 1), acting_user=admin)  # Q3
        completed(first, "channel-awareness", D(2026, 3, 31), acting_user=admin)  # Q4
        completed(first, "prevent-refresher", D(2026, 4, 1), acting_user=admin)  # the year after
    figures = section(PAST, "training")
    awareness, referrals = course("prevent-awareness"), course("prevent-referrals")
    channel, refresher = course("channel-awareness"), course("prevent-refresher")
    assert quarters(figures["completions"]) == (1, 0, 1, 1)
    assert figures["completions"].year == 3
    assert quarters(figures[f"course_{awareness.pk}"]) == (1, 0, 0, 0)
    assert quarters(figures[f"course_{referrals.pk}"]) == (0, 0, 1, 0)
    assert quarters(figures[f"course_{channel.pk}"]) == (0, 0, 0, 1)
    assert figures[f"course_{refresher.pk}"].year == 0
    assert figures[f"course_{refresher.pk}"].label == refresher.name
    assert figures["learners_trained"].year == 2


# Referrals and the gateway -------------------------------------------------------------------


def test_referrals_received_by_the_london_day_and_gateway_outcomes_by_their_decision_date():
    # 31 March 2026 is in British Summer Time: 23:30 in London is 22:30 UTC.
    ReferralFactory(received_at=london(D(2025, 3, 31), 23, 59))  # the year before
    ReferralFactory(received_at=london(D(2025, 4, 1), 0, 1))  # Q1
    ReferralFactory(received_at=london(D(2025, 11, 5), 9), kind=ReferralKind.PUBLIC)  # Q3
    ReferralFactory(received_at=london(D(2026, 3, 31), 23, 30), kind=ReferralKind.PARTNER_API,  # Q4
                    status=ReferralStatus.DECIDED, gateway_outcome=GatewayOutcome.SIGNPOSTED,
                    gateway_decided_on=D(2026, 4, 1))  # decided the next year
    ReferralFactory(received_at=london(D(2026, 4, 1), 0, 30))  # the year after
    ReferralFactory(received_at=london(D(2025, 2, 1), 10), status=ReferralStatus.DECIDED,
                    gateway_outcome=GatewayOutcome.NO_FURTHER_ACTION, gateway_decided_on=D(2025, 4, 1))
    ReferralFactory(received_at=london(D(2025, 6, 1), 10), status=ReferralStatus.DECIDED,
                    gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL, gateway_decided_on=D(2026, 3, 31))

    figures = section(PAST, "referrals")
    assert quarters(figures["received"]) == (2, 0, 1, 1)
    assert figures["received"].year == 4
    assert figures[f"kind_{ReferralKind.PRACTITIONER}"].year == 2
    assert quarters(figures[f"kind_{ReferralKind.PUBLIC}"]) == (0, 0, 1, 0)
    assert quarters(figures[f"kind_{ReferralKind.PARTNER_API}"]) == (0, 0, 0, 1)
    assert quarters(figures["gateway"]) == (1, 0, 0, 1)
    assert figures[f"gateway_{GatewayOutcome.NO_FURTHER_ACTION}"].quarters == (1, 0, 0, 0)
    assert figures[f"gateway_{GatewayOutcome.PROCEED_TO_CHANNEL}"].quarters == (0, 0, 0, 1)
    assert figures[f"gateway_{GatewayOutcome.SIGNPOSTED}"].year == 0
    assert section(CURRENT, "referrals")[f"gateway_{GatewayOutcome.SIGNPOSTED}"].year == 1


# Channel cases ---------------------------------------------------------------------------------


def test_channel_cases_opened_adopted_not_adopted_exited_and_closed_by_reason():
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    with at(D(2025, 4, 1), 9):
        adopted = ChannelCaseFactory()
        not_adopted = ChannelCaseFactory()
        for case in (adopted, not_adopted):
            channel_services.case_send_to_panel(case=case, reasons="Fictional: screening done",
                                                acting_user=coordinator)
    with at(D(2025, 5, 20)):
        channel_services.case_adopt(case=adopted, adopted_on=D(2025, 5, 19), reasons="Fictional reasons",
                                    acting_user=coordinator)
    with at(D(2026, 3, 31), 23, 45):
        channel_services.case_not_adopted(
            case=not_adopted, outcome="signposted", signposted_to="Fictional early help",
            health_social_care_considered=True, health_social_care_notes="Fictional: referred to early help",
            reasons="Fictional reasons", acting_user=coordinator)
    with at(D(2026, 4, 1), 0, 15):
        channel_services.case_close(case=not_adopted, reason=ClosureReason.NOT_ADOPTED,
                                    details="Fictional: closed after the decision", acting_user=coordinator)
    with at(D(2025, 12, 1)):
        closed = ChannelCaseFactory(opened_at=london(D(2025, 3, 31), 15))
        channel_services.case_close(case=closed, reason=ClosureReason.OTHER,
                                    details="Fictional: the person moved away", acting_user=coordinator)
    ChannelCaseFactory(opened_at=london(D(2025, 9, 1), 10), status=CaseStatus.EXITED,
                       adopted_on=D(2025, 9, 2), exit_date=D(2026, 2, 1))

    figures = section(PAST, "channel")
    assert quarters(figures["opened"]) == (2, 1, 0, 0)
    assert quarters(figures["adopted"]) == (1, 1, 0, 0)
    assert quarters(figures["not_adopted"]) == (0, 0, 0, 1)
    assert quarters(figures["exited"]) == (0, 0, 0, 1)
    assert quarters(figures["closed"]) == (0, 0, 1, 0)
    assert figures[f"closed_{ClosureReason.OTHER}"].year == 1
    assert figures[f"closed_{ClosureReason.NOT_ADOPTED}"].year == 0
    assert section(CURRENT, "channel")[f"closed_{ClosureReason.NOT_ADOPTED}"].year == 1


# Panel meetings and attendance ------------------------------------------------------------------


def _held(meeting):
    # What minutes_approve leaves: the meeting recorded as held.
    PanelMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)


def test_panel_meetings_held_cases_discussed_and_attendance_present_against_expected():
    with at(D(2025, 4, 1), 9):
        panel = PanelFactory()
        chair = panel.chair
        members = [UserFactory(roles=[Role.PANEL_MEMBER]) for _ in range(3)]
        for member in members:
            member_add(panel, member)
        lonely = PanelFactory()  # no standing members
    with at(D(2025, 6, 1)):
        leaver = panel.members.get(user=members[2])
        panel_services.panel_member_remove(member=leaver, acting_user=chair)

    with at(D(2025, 5, 10)):
        first = PanelMeetingFactory(panel=panel, date=D(2025, 5, 10))
        item = item_add(first, ChannelCaseFactory())
        item_add(first, ChannelCaseFactory())
        panel_services.item_invitee_add(item=item, name="Jo Example-Social-Worker",
                                        organisation_name="Fictional Children's Services", acting_user=chair)
        police = OrganisationFactory(name="Fictional Constabulary (demo)", type=OrganisationType.POLICE)
        panel_services.attendance_record(meeting=first, user=chair, acting_user=chair)
        panel_services.attendance_record(meeting=first, user=members[0], acting_user=chair)
        apology = panel_services.attendance_record(meeting=first, user=members[1], apologies=True,
                                                   acting_user=chair)
        panel_services.attendance_record(meeting=first, name="Sam Example-Deputy", organisation=police,
                                         deputy_for=apology, acting_user=chair)
        panel_services.attendance_record(meeting=first, name="Jo Example-Social-Worker", item=item,
                                         organisation_name="Fictional Children's Services",
                                         organisation_type=OrganisationType.LOCAL_AUTHORITY,
                                         acting_user=chair)
        _held(first)
    with at(D(2026, 3, 31)):
        # After the third member left: the chair and two members expected.
        second = PanelMeetingFactory(panel=panel, date=D(2026, 3, 31))
        item_add(second, ChannelCaseFactory())
        panel_services.attendance_record(meeting=second, user=chair, acting_user=chair)
        _held(second)
        alone = PanelMeetingFactory(panel=lonely, date=D(2026, 1, 15))
        item_add(alone, ChannelCaseFactory())
        panel_services.attendance_record(meeting=alone, user=lonely.chair, acting_user=lonely.chair)
        _held(alone)
        unapproved = PanelMeetingFactory(panel=panel, date=D(2026, 2, 1))
        item_add(unapproved, ChannelCaseFactory())
        cancelled = PanelMeetingFactory(panel=panel, date=D(2025, 8, 1))
        panel_services.meeting_cancel(meeting=cancelled, reasons="Fictional: not quorate", acting_user=chair)
        PanelMeetingFactory(panel=panel, date=D(2026, 4, 1))  # the next year
        outside_decision(ChannelCaseFactory(), panel=panel)

    figures = section(PAST, "panels")
    assert quarters(figures["held"]) == (1, 0, 0, 2)
    assert figures["awaiting_minutes"].year == 1
    assert figures["cancelled"].quarters == (0, 1, 0, 0)
    assert quarters(figures["items"]) == (2, 0, 0, 2)
    # First meeting: chair, three members, one item invitee; second: chair
    # and two members; the lonely panel's: its chair.
    assert quarters(figures["expected"]) == (5, 0, 0, 4)
    assert quarters(figures["present"]) == (4, 0, 0, 2)
    assert figures["deputies"].year == 1
    assert figures["apologies"].year == 1
    assert figures["police"].year == 1
    assert figures["outside"].quarters == (0, 0, 0, 1)


# Complaints ------------------------------------------------------------------------------------


def test_complaints_received_answered_and_how_they_ended_by_the_day_received():
    by = complaints_officer()
    with at(D(2025, 4, 1)):
        complaint_received(source="post", received_on=D(2025, 3, 31))  # the year before
        first = complaint_received(source="post", received_on=D(2025, 4, 1))
    with at(D(2026, 3, 31)):
        policy = complaint_received(source="post", received_on=D(2026, 3, 31))
        policy = complaint_services.complaint_triage(complaint=policy, scope=Scope.POLICY, category="other",
                                                     acting_user=by, reasons="Fictional: about policy")
        complaint_services.complaint_signpost(complaint=policy, subject="Your complaint",
                                              body="A fictional letter.", acting_user=by)
    with at(D(2026, 4, 1)):
        complaint_received(source="post", received_on=D(2026, 4, 1))  # the year after

    figures = section(PAST, "complaints")
    assert quarters(figures["received"]) == (1, 0, 0, 1)
    assert figures["signposted"].quarters == (0, 0, 0, 1)
    assert figures["still_open"].quarters == (1, 0, 0, 0)
    assert figures[f"scope_{Scope.POLICY}"].year == 1
    assert figures["scope_none"].year == 1
    assert figures["answered"].year == 1
    assert first.reference


# Venue bookings screened --------------------------------------------------------------------------


def test_venue_bookings_decided_by_decision_escalated_and_appealed_in_the_year():
    venue_officer_user = venue_officer(full_name="Robin Example-Officer")
    lead = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    with at(D(2025, 3, 31)):
        _venue, room = venue_with_room(acting_user=venue_officer_user)
        before = booking_submitted(room, key="before")
        decided(before, "approve", acting_user=venue_officer_user)  # the year before
    with at(D(2025, 4, 1)):
        approved = booking_submitted(room, key="approved", starts_at=datetime.time(14),
                                     ends_at=datetime.time(16))
        decided(approved, "approve", acting_user=venue_officer_user)
        escalated = booking_submitted(room, key="escalated", starts_at=datetime.time(10),
                                      ends_at=datetime.time(12))
        venue_services.booking_escalate(booking=escalated, reason="Fictional: a speaker to look at",
                                        acting_user=venue_officer_user)
    with at(D(2026, 3, 31)):
        refused = decided(escalated, "refuse", acting_user=venue_officer_user).booking
        appeal = venue_services.appeal_lodge(booking=refused, grounds="Fictional grounds")
        venue_services.appeal_decide(appeal=appeal, outcome="dismissed", reasons="Fictional reasons",
                                     acting_user=lead)
    with at(D(2026, 4, 1)):
        decided(booking_submitted(room, key="after", starts_at=datetime.time(13), ends_at=datetime.time(15)),
                "approve_with_conditions",
                acting_user=venue_officer_user, conditions=["Fictional condition"])

    figures = section(PAST, "venues")
    assert quarters(figures["received"]) == (2, 0, 0, 0)
    assert quarters(figures["decided"]) == (1, 0, 0, 1)
    assert figures["decided_approve"].quarters == (1, 0, 0, 0)
    assert figures["decided_refuse"].quarters == (0, 0, 0, 1)
    assert figures["decided_approve_with_conditions"].year == 0
    assert figures["escalated"].quarters == (1, 0, 0, 0)
    assert figures["appeals"].year == 1
    assert figures["appeal_dismissed"].year == 1
    assert section(CURRENT, "venues")["decided_approve_with_conditions"].year == 1


# Empty years and which years there are -------------------------------------------------------------


def test_an_empty_year_is_noughts_everywhere():
    found = selectors.summary(PAST, today=READ_ON)
    for part in found.sections:
        assert part.is_empty, part.key
        assert part.empty_text
        for figure in part.figures:
            assert figure.year == 0
            assert figure.quarters in (None, (0, 0, 0, 0))


def test_the_years_run_from_the_first_thing_recorded_to_the_current_one():
    assert selectors.years_with_data(READ_ON) == [CURRENT]
    ReferralFactory(received_at=london(D(2023, 4, 1), 0, 5))
    assert selectors.years_with_data(READ_ON) == [2026, 2025, 2024, 2023]
    ReferralFactory(received_at=london(D(2023, 3, 31), 23, 55))
    assert selectors.years_with_data(READ_ON)[-1] == 2022
