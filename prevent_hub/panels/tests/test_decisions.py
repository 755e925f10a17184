"""The panel's decision on an agenda item: the police-presence rule, what
each decision does to the case, how it was reached, and that a refusal
leaves nothing half-recorded."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChronologyEntry,
    NotAdoptedOutcome,
    PlanAction,
    Review,
    ReviewKind,
)
from prevent_hub.channel.reviews import add_months
from prevent_hub.channel.tests.factories import ChannelCaseFactory, area_named
from prevent_hub.channel.tests.factories_reviews import case_in, exit_assessment, post_exit_review
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.decisions import PanelActionInput
from prevent_hub.panels.models import (
    AgendaItem,
    AgendaReason,
    DecisionMethod,
    ItemAction,
    ItemDecision,
    MeetingStatus,
    MinutesStatus,
)
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present

from .helpers import days, decide

pytestmark = pytest.mark.django_db

D = ItemDecision
OTHER_AREA = "Fictional Northshire"


@pytest.fixture
def meeting():
    return PanelMeetingFactory(date=days(-2))


@pytest.fixture
def owner():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Alex Fictional-Owner")


def _item(meeting, status=CaseStatus.AWAITING_PANEL, *, police=True, **fields):
    item = item_add(meeting, case_in(status, **fields))
    if police:
        police_present(meeting)
    return item


def _record_counts():
    return (CaseTransition.objects.count(), ChronologyEntry.objects.count(), AuditEvent.objects.count(),
            Review.objects.count(), PlanAction.objects.count(), ItemAction.objects.count())


def _assert_nothing_recorded(item, before, status):
    item.refresh_from_db()
    item.case.refresh_from_db()
    assert item.case.status == status
    assert (item.decision, item.decision_method, item.reasons, item.minute) == ("", "", "", "")
    assert item.decided_at is None and item.decided_by is None
    assert _record_counts() == before


# A police representative for the person's area ----------------------------------------


def test_no_decision_without_a_police_representative(meeting):
    item = _item(meeting, police=False)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == "police_not_present"
    assert f"police representative for {meeting.panel.area}" in error.value.message
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_police_representing_another_area_do_not_count(meeting):
    item = _item(meeting, police=False)
    police_present(meeting, area=area_named(OTHER_AREA))
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == "police_not_present"
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_a_person_from_another_area_needs_police_for_that_area(meeting):
    item = _item(meeting, police=False, area=area_named(OTHER_AREA))
    police_present(meeting)  # for the panel's own area only
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == "police_not_present"
    assert OTHER_AREA in error.value.message
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)

    police_present(meeting, area=area_named(OTHER_AREA))
    decide(item, D.ADOPT)
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.ADOPTED


def test_police_for_the_persons_area_allow_the_decision(meeting):
    item = _item(meeting, police=False)
    police_present(meeting)
    decided = decide(item, D.ADOPT)
    assert decided.decision == D.ADOPT


def test_police_there_for_another_item_only_do_not_count(meeting):
    item = _item(meeting, police=False)
    other = _item(meeting, police=False)
    police_present(meeting, item=other)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == "police_not_present"
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)

    # For the other item, they do.
    decide(other, D.ADOPT)
    police_present(meeting, item=item)
    decide(item, D.NOTED)


# What each decision does to the case ------------------------------------------------------


def test_adopting_adopts_the_case_on_the_day_of_the_meeting(meeting):
    item = _item(meeting)
    chair = meeting.panel.chair
    decided = decide(item, D.ADOPT, reasons="Fictional: the panel agrees support is needed.")
    case = decided.case
    case.refresh_from_db()
    assert (case.status, case.adopted_on) == (CaseStatus.ADOPTED, meeting.date)
    transition = CaseTransition.objects.get(case=case)
    assert (transition.from_status, transition.to_status, transition.by) == (
        CaseStatus.AWAITING_PANEL, CaseStatus.ADOPTED, chair)
    assert (decided.decision, decided.decision_method, decided.decided_by) == (
        D.ADOPT, DecisionMethod.CONSENSUS, chair)
    assert decided.reasons == "Fictional: the panel agrees support is needed."
    assert decided.decided_at is not None
    summary = (f"{meeting.panel.name} on {govuk_date(meeting.date)}: Adopt as a Channel case "
               "(consensus)")
    assert ChronologyEntry.objects.filter(case=case, summary=summary,
                                          object_type="panels.agendaitem").exists()
    event = AuditEvent.objects.get(object_type="panels.agendaitem", object_id=str(item.pk))
    assert event.details == {"meeting": meeting.pk, "case": case.reference, "decision": D.ADOPT}


def test_not_adopting_records_the_outcome_and_health_and_social_care(meeting):
    item = _item(meeting)
    decide(item, D.NOT_ADOPT, outcome=NotAdoptedOutcome.SIGNPOSTED,
           signposted_to="Fictional Youth Service", health_social_care_considered=True,
           health_social_care_notes="Fictional: referred to the school nurse.")
    case = item.case
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ADOPTED
    assert (case.not_adopted_outcome, case.not_adopted_signposted_to) == (
        NotAdoptedOutcome.SIGNPOSTED, "Fictional Youth Service")
    assert case.health_social_care_considered is True
    assert case.health_social_care_notes == "Fictional: referred to the school nurse."


@pytest.mark.parametrize("considered", [None, False])
def test_not_adopting_needs_health_and_social_care_considered(meeting, considered):
    item = _item(meeting)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.NOT_ADOPT, outcome=NotAdoptedOutcome.NO_FURTHER_ACTION,
               health_social_care_considered=considered, health_social_care_notes="Fictional notes.")
    assert "health_social_care_considered" in error.value.message_dict
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_more_information_returns_the_case_to_screening(meeting):
    item = _item(meeting)
    decide(item, D.MORE_INFORMATION, reasons="Fictional: ask the school what it knows.")
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.SCREENING


def test_continuing_support_records_the_review_and_schedules_the_next(meeting, settings):
    settings.REVIEW_INTERVAL_DAYS = 28
    item = _item(meeting, CaseStatus.SUPPORT, next_review_date=meeting.date)
    due = Review.objects.create(case=item.case, kind=ReviewKind.PANEL_REVIEW, due_date=meeting.date)
    decide(item, D.CONTINUE_SUPPORT, reasons="Fictional: mentoring is going well.")
    case = item.case
    case.refresh_from_db()
    due.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT
    assert due.completed_on == meeting.date
    assert due.outcome == "Continue support. Fictional: mentoring is going well."
    next_date = meeting.date + datetime.timedelta(days=28)
    assert case.next_review_date == next_date
    assert list(case.reviews.filter(completed_on__isnull=True).values_list("due_date", flat=True)) == [
        next_date]


def test_revising_the_plan_needs_an_action(meeting, owner):
    item = _item(meeting, CaseStatus.SUPPORT)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.REVISE_PLAN)
    assert "actions" in error.value.message_dict
    _assert_nothing_recorded(item, before, CaseStatus.SUPPORT)


def test_revising_the_plan_sets_the_panels_actions(meeting, owner):
    item = _item(meeting, CaseStatus.SUPPORT)
    action = PanelActionInput(description="Fictional: rewrite the mentoring part of the plan",
                              owner=owner, due_date=days(14))
    decided = decide(item, D.REVISE_PLAN, actions=[action])
    plan_action = PlanAction.objects.get(case=item.case)
    assert (plan_action.description, plan_action.owner, plan_action.due_date, plan_action.done_on) == (
        "Fictional: rewrite the mentoring part of the plan", owner, days(14), None)
    assert [link.action for link in decided.actions.all()] == [plan_action]
    review = item.case.reviews.get(completed_on__isnull=False)
    assert review.outcome.startswith("Revise the support plan.")


@pytest.mark.parametrize("action", [
    PanelActionInput(description="", owner=None, due_date=None),
    PanelActionInput(description="Fictional", owner=None, due_date=datetime.date(2030, 1, 1)),
])
def test_every_action_needs_what_who_and_when(meeting, action):
    item = _item(meeting, CaseStatus.SUPPORT)
    with pytest.raises(ValidationError) as error:
        decide(item, D.CONTINUE_SUPPORT, actions=[action])
    assert "actions" in error.value.message_dict
    assert not PlanAction.objects.exists()


def test_an_action_is_not_due_before_the_meeting(meeting, owner):
    item = _item(meeting, CaseStatus.SUPPORT)
    day_before = meeting.date - datetime.timedelta(days=1)
    action = PanelActionInput(description="Fictional", owner=owner, due_date=day_before)
    with pytest.raises(ValidationError) as error:
        decide(item, D.CONTINUE_SUPPORT, actions=[action])
    assert "on or after the meeting" in error.value.message_dict["actions"][0]


def test_exit_exits_the_case_and_makes_its_post_exit_reviews(meeting):
    item = _item(meeting, CaseStatus.SUPPORT, next_review_date=days(10))
    Review.objects.create(case=item.case, kind=ReviewKind.PANEL_REVIEW, due_date=days(10))
    exit_assessment(item.case)
    decide(item, D.EXIT, reasons="Fictional: susceptibility significantly reduced.")
    case = item.case
    case.refresh_from_db()
    assert (case.status, case.exit_date, case.next_review_date) == (CaseStatus.EXITED, meeting.date, None)
    assert case.exit_reasons == "Fictional: susceptibility significantly reduced."
    assert list(case.reviews.order_by("months_after_exit").values_list("kind", "months_after_exit",
                                                                       "due_date")) == [
        (ReviewKind.POST_EXIT, 6, add_months(meeting.date, 6)),
        (ReviewKind.POST_EXIT, 12, add_months(meeting.date, 12)),
    ]


def test_seeking_consent_again_moves_the_case_to_consent_sought(meeting):
    item = _item(meeting, CaseStatus.CONSENT_REFUSED, reassessment_date=meeting.date)
    decide(item, D.SEEK_CONSENT_AGAIN, reasons="Fictional: the family may now agree.")
    case = item.case
    case.refresh_from_db()
    assert (case.status, case.reassessment_date) == (CaseStatus.CONSENT_SOUGHT, None)
    review = case.reviews.get(completed_on__isnull=False)
    assert review.completed_on == meeting.date
    assert review.outcome.startswith("Re-assessment: seek consent again.")


def test_reassessing_later_moves_the_reassessment_date(meeting):
    item = _item(meeting, CaseStatus.CONSENT_REFUSED, reassessment_date=meeting.date)
    decide(item, D.REASSESS, reassess_on=days(60), reasons="Fictional: look again after the exams.")
    case = item.case
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_REFUSED
    assert (case.reassessment_date, case.next_review_date) == (days(60), days(60))
    assert case.reviews.get(completed_on__isnull=False).completed_on == meeting.date
    assert list(case.reviews.filter(completed_on__isnull=True).values_list("due_date", flat=True)) == [
        days(60)]


@pytest.mark.parametrize("reassess_on", [None, "meeting day"])
def test_reassessing_needs_a_later_date(meeting, reassess_on):
    item = _item(meeting, CaseStatus.CONSENT_REFUSED, reassessment_date=meeting.date)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.REASSESS, reassess_on=meeting.date if reassess_on else None)
    assert "reassess_on" in error.value.message_dict
    _assert_nothing_recorded(item, before, CaseStatus.CONSENT_REFUSED)
    item.case.refresh_from_db()
    assert item.case.reassessment_date == meeting.date


def test_the_post_exit_review_is_recorded(meeting):
    case = case_in(CaseStatus.EXITED)
    review = post_exit_review(case, 6, due_date=days(3))
    item = item_add(meeting, case, reason=AgendaReason.POST_EXIT_REVIEW_DUE, review=review)
    police_present(meeting)
    decide(item, D.POST_EXIT_REVIEW, reasons="Fictional: no new concerns.")
    review.refresh_from_db()
    assert (review.completed_on, review.outcome, review.recorded_by) == (
        meeting.date, "Fictional: no new concerns.", meeting.panel.chair)
    case.refresh_from_db()
    assert case.status == CaseStatus.EXITED


def test_an_exited_case_with_no_review_on_the_item_cannot_have_one_recorded(meeting):
    item = _item(meeting, CaseStatus.EXITED)
    with pytest.raises(ValidationError) as error:
        decide(item, D.POST_EXIT_REVIEW)
    assert "decision" in error.value.message_dict


def test_noted_leaves_the_case_as_it_was(meeting):
    item = _item(meeting, CaseStatus.ADOPTED)
    decided = decide(item, D.NOTED, reasons="Fictional: update heard.")
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.ADOPTED
    assert not CaseTransition.objects.exists()
    assert decided.decision == D.NOTED
    assert decided.minute.startswith("Decision: Discussed: no change to the case.")


@pytest.mark.parametrize(("status", "decision"), [
    (CaseStatus.AWAITING_PANEL, D.EXIT),
    (CaseStatus.SUPPORT, D.ADOPT),
    (CaseStatus.CONSENT_REFUSED, D.CONTINUE_SUPPORT),
    (CaseStatus.ADOPTED, D.ADOPT),
    (CaseStatus.AWAITING_PANEL, "made-up"),
])
def test_a_decision_that_does_not_fit_the_case_is_refused(meeting, status, decision):
    item = _item(meeting, status)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, decision)
    assert "decision" in error.value.message_dict
    _assert_nothing_recorded(item, before, status)


def test_a_decision_needs_reasons(meeting):
    item = _item(meeting)
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, reasons="   ")
    assert "reasons" in error.value.message_dict


# How the decision was reached ----------------------------------------------------------------


def test_a_majority_needs_the_counts(meeting):
    item = _item(meeting)
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, method=DecisionMethod.MAJORITY)
    assert {"votes_for", "votes_against"} <= set(error.value.message_dict)


@pytest.mark.parametrize(("votes_for", "votes_against"), [(3, 3), (2, 4)])
def test_a_majority_needs_more_for_than_against(meeting, votes_for, votes_against):
    item = _item(meeting)
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, method=DecisionMethod.MAJORITY, votes_for=votes_for,
               votes_against=votes_against)
    assert "the chair's decision" in error.value.message_dict["votes_for"][0]
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.AWAITING_PANEL


def test_a_majority_is_recorded_with_its_counts(meeting):
    item = _item(meeting)
    decided = decide(item, D.ADOPT, method=DecisionMethod.MAJORITY, votes_for=5, votes_against=2,
                     abstentions=1)
    decided.refresh_from_db()
    assert (decided.decision_method, decided.votes_for, decided.votes_against, decided.abstentions) == (
        DecisionMethod.MAJORITY, 5, 2, 1)


def test_the_chair_may_decide_without_a_majority(meeting):
    item = _item(meeting)
    decided = decide(item, D.ADOPT, method=DecisionMethod.CHAIR)
    decided.refresh_from_db()
    assert (decided.decision_method, decided.votes_for, decided.votes_against) == (
        DecisionMethod.CHAIR, None, None)
    assert ChronologyEntry.objects.filter(case=item.case, summary__endswith="(the chair's decision)").exists()


@pytest.mark.parametrize("method", ["", "coin toss"])
def test_the_method_must_be_given(meeting, method):
    item = _item(meeting)
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, method=method)
    assert "decision_method" in error.value.message_dict


def test_vote_counts_must_be_sensible(meeting):
    item = _item(meeting)
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, method=DecisionMethod.MAJORITY, votes_for=500, votes_against=1,
               abstentions=-1)
    assert {"votes_for", "abstentions"} <= set(error.value.message_dict)


# Refusals ------------------------------------------------------------------------------


def test_a_decision_is_recorded_once(meeting):
    item = _item(meeting)
    decide(item, D.ADOPT)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.NOTED)
    assert error.value.code == "already_decided"
    assert "already been recorded" in error.value.message
    item.refresh_from_db()
    assert item.decision == D.ADOPT
    assert _record_counts() == before


def test_no_decision_before_the_day_of_the_meeting():
    meeting = PanelMeetingFactory(date=days(1))
    item = _item(meeting)
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == "meeting_not_yet"
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_a_decision_on_the_day_of_the_meeting_is_allowed():
    meeting = PanelMeetingFactory(date=days(0))
    item = _item(meeting)
    decide(item, D.ADOPT)
    item.refresh_from_db()
    item.case.refresh_from_db()
    assert item.decision == D.ADOPT
    assert item.case.status == CaseStatus.ADOPTED


@pytest.mark.parametrize("closed", ["cancelled", "approved"])
def test_no_decision_at_a_cancelled_meeting_or_after_approval(meeting, closed):
    item = _item(meeting)
    if closed == "cancelled":
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
    else:
        meeting.minutes.status = MinutesStatus.APPROVED
        meeting.minutes.save()
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert error.value.code == closed
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_a_case_service_refusal_leaves_nothing_recorded(meeting, owner):
    # Opened after the meeting's date: it cannot have been adopted then.
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    item = item_add(meeting, case)
    police_present(meeting)
    before = _record_counts()
    action = PanelActionInput(description="Fictional: ask consent", owner=owner, due_date=days(7))
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT, actions=[action])
    assert "adopted_on" in error.value.message_dict
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)


def test_a_refusal_after_the_case_has_changed_rolls_the_change_back(meeting, owner, monkeypatch):
    """The case is adopted, then setting the panel's action fails: the
    adoption is undone with it (one transaction)."""
    from prevent_hub.panels import decisions

    def refuse(**kwargs):
        raise ValidationError({"owner": "Fictional refusal"})

    monkeypatch.setattr(decisions, "plan_action_add", refuse)
    item = _item(meeting)
    before = _record_counts()
    action = PanelActionInput(description="Fictional: ask consent", owner=owner, due_date=days(7))
    with pytest.raises(ValidationError):
        decide(item, D.ADOPT, actions=[action])
    _assert_nothing_recorded(item, before, CaseStatus.AWAITING_PANEL)
    item.case.refresh_from_db()
    assert item.case.adopted_on is None


def test_a_case_that_moved_on_since_the_agenda_was_built_is_refused(meeting):
    item = _item(meeting)
    # Elsewhere, the case went back to screening.
    type(item.case).objects.filter(pk=item.case_id).update(status=CaseStatus.SCREENING,
                                                          status_changed_at=timezone.now())
    before = _record_counts()
    with pytest.raises(ValidationError) as error:
        decide(item, D.ADOPT)
    assert "decision" in error.value.message_dict
    _assert_nothing_recorded(item, before, CaseStatus.SCREENING)
    assert AgendaItem.objects.get(pk=item.pk).decision == ""
