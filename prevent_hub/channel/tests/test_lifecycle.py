"""The case lifecycle: every move the table allows succeeds, every other is
refused with a clear message and changes nothing; each decision service
records what the law needs."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import lifecycle, services
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    ClosureReason,
    NotAdoptedOutcome,
    Review,
    ReviewKind,
)

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(CaseStatus.values, CaseStatus.values))
ALLOWED = [(a, b) for a, b in PAIRS if lifecycle.is_allowed(a, b)]
REFUSED = [(a, b) for a, b in PAIRS if not lifecycle.is_allowed(a, b)]


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Casey Coordinator")


def _snapshot(case):
    return (ChannelCase.objects.get(pk=case.pk).status, CaseTransition.objects.count(),
            ChronologyEntry.objects.count())


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_move_succeeds_and_records_who_when_and_why(coordinator, from_status, to_status):
    case = ChannelCaseFactory(status=from_status)
    services.case_transition(case=case, to_status=to_status, reasons="Fictional reasons",
                             acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == to_status
    move = CaseTransition.objects.get(case=case)
    assert (move.from_status, move.to_status, move.by, move.reasons) == (
        from_status, to_status, coordinator, "Fictional reasons")
    assert ChronologyEntry.objects.filter(case=case, kind="status").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="channel.channelcase",
                                     object_id=str(case.pk)).exists()


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_move_is_refused_and_changes_nothing(coordinator, from_status, to_status):
    case = ChannelCaseFactory(status=from_status)
    before = _snapshot(case)
    with pytest.raises(ValidationError) as raised:
        services.case_transition(case=case, to_status=to_status, reasons="Fictional reasons",
                                 acting_user=coordinator)
    assert raised.value.message_dict["status"] == [lifecycle.refusal_message(from_status, to_status)]
    assert _snapshot(case) == before


def test_the_refusal_says_where_the_case_can_go():
    message = lifecycle.refusal_message(CaseStatus.SCREENING, CaseStatus.SUPPORT)
    assert "‘screening and information gathering’ cannot move to ‘support under way’" in message
    assert "‘awaiting panel decision’" in message


# Decision services --------------------------------------------------------------------


def test_send_to_panel_and_back(coordinator):
    case = ChannelCaseFactory()
    services.case_send_to_panel(case=case, reasons="Screening complete", acting_user=coordinator)
    assert case.status == CaseStatus.AWAITING_PANEL
    services.case_return_to_screening(case=case, reasons="Panel needs school records",
                                      acting_user=coordinator)
    assert case.status == CaseStatus.SCREENING
    moves = list(CaseTransition.objects.filter(case=case).values_list("to_status", "reasons"))
    assert moves == [(CaseStatus.AWAITING_PANEL, "Screening complete"),
                     (CaseStatus.SCREENING, "Panel needs school records")]


@pytest.mark.parametrize("service", [services.case_send_to_panel, services.case_seek_consent])
def test_decisions_need_reasons(coordinator, service):
    case = ChannelCaseFactory(status=CaseStatus.SCREENING if service is services.case_send_to_panel
                              else CaseStatus.ADOPTED)
    with pytest.raises(ValidationError) as raised:
        service(case=case, reasons="  ", acting_user=coordinator)
    assert "reasons" in raised.value.message_dict
    assert not CaseTransition.objects.exists()


def test_adoption_records_the_date(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    today = timezone.localdate()
    services.case_adopt(case=case, adopted_on=today, reasons="Panel agreed", acting_user=coordinator)
    case.refresh_from_db()
    assert (case.status, case.adopted_on) == (CaseStatus.ADOPTED, today)


def test_adoption_cannot_be_in_the_future_or_skip_the_panel(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    with pytest.raises(ValidationError) as raised:
        services.case_adopt(case=case, adopted_on=timezone.localdate() + datetime.timedelta(days=1),
                            reasons="Panel agreed", acting_user=coordinator)
    assert "adopted_on" in raised.value.message_dict
    screening = ChannelCaseFactory(status=CaseStatus.SCREENING)
    with pytest.raises(ValidationError) as raised:
        services.case_adopt(case=screening, adopted_on=timezone.localdate(), reasons="Panel agreed",
                            acting_user=coordinator)
    assert raised.value.message_dict["status"] == [
        lifecycle.refusal_message(CaseStatus.SCREENING, CaseStatus.ADOPTED)]
    screening.refresh_from_db()
    assert screening.adopted_on is None


def test_not_adopted_requires_the_health_and_social_care_consideration(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    with pytest.raises(ValidationError) as raised:
        services.case_not_adopted(case=case, outcome=NotAdoptedOutcome.NO_FURTHER_ACTION,
                                  health_social_care_considered=False, health_social_care_notes="",
                                  reasons="Fictional", acting_user=coordinator)
    assert set(raised.value.message_dict) == {"health_social_care_considered", "health_social_care_notes"}
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


def test_not_adopted_signposted_needs_the_service(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    with pytest.raises(ValidationError) as raised:
        services.case_not_adopted(case=case, outcome=NotAdoptedOutcome.SIGNPOSTED,
                                  health_social_care_considered=True,
                                  health_social_care_notes="Referred to early help", reasons="Fictional",
                                  acting_user=coordinator)
    assert list(raised.value.message_dict) == ["signposted_to"]


def test_not_adopted_records_the_outcome(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    services.case_not_adopted(case=case, outcome=NotAdoptedOutcome.SIGNPOSTED,
                              signposted_to="Fictional youth service", health_social_care_considered=True,
                              health_social_care_notes="Referred to early help (fictional)",
                              reasons="Needs are not about radicalisation", acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ADOPTED
    assert case.not_adopted_outcome == NotAdoptedOutcome.SIGNPOSTED
    assert case.not_adopted_signposted_to == "Fictional youth service"
    assert case.health_social_care_considered is True
    assert case.health_social_care_notes == "Referred to early help (fictional)"


def test_seeking_consent_follows_adoption_or_a_refusal(coordinator):
    for status in (CaseStatus.ADOPTED, CaseStatus.CONSENT_REFUSED):
        case = ChannelCaseFactory(status=status)
        services.case_seek_consent(case=case, reasons="Coordinator to visit", acting_user=coordinator)
        assert case.status == CaseStatus.CONSENT_SOUGHT


# Closing ---------------------------------------------------------------------------------


def test_closing_always_needs_reasons(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.SCREENING)
    with pytest.raises(ValidationError) as raised:
        services.case_close(case=case, reason=ClosureReason.OTHER, details=" ", acting_user=coordinator)
    assert raised.value.message_dict == {"details": ["Enter the reasons for closing the case"]}
    with pytest.raises(ValidationError):
        services.case_transition(case=case, to_status=CaseStatus.CLOSED, reasons="", acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING


@pytest.mark.parametrize("status", [CaseStatus.SUPPORT, CaseStatus.CONSENT_SOUGHT, CaseStatus.ADOPTED])
def test_a_case_under_support_or_awaiting_consent_closes_only_for_other_or_transfer(coordinator, status):
    case = ChannelCaseFactory(status=status)
    with pytest.raises(ValidationError) as raised:
        services.case_close(case=case, reason=ClosureReason.NOT_ADOPTED, details="Fictional",
                            acting_user=coordinator)
    assert "can only close for these reasons" in raised.value.message_dict["reason"][0]
    services.case_close(case=case, reason=ClosureReason.OTHER, details="Person has died (fictional)",
                        acting_user=coordinator)
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closure_details) == (
        CaseStatus.CLOSED, ClosureReason.OTHER, "Person has died (fictional)")
    assert case.closed_at is not None


def test_a_not_adopted_case_closes_as_not_adopted(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.NOT_ADOPTED)
    assert services.closure_reasons_allowed(case.status) == [ClosureReason.NOT_ADOPTED]
    with pytest.raises(ValidationError):
        services.case_close(case=case, reason=ClosureReason.OTHER, details="Fictional",
                            acting_user=coordinator)
    services.case_close(case=case, reason=ClosureReason.NOT_ADOPTED, details="Panel decision recorded",
                        acting_user=coordinator)
    assert case.status == CaseStatus.CLOSED


def test_closing_after_exit_as_reviews_done_needs_both_reviews(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.EXITED)
    today = timezone.localdate()
    Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=6, due_date=today,
                          completed_on=today)
    twelve = Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=12,
                                   due_date=today)
    with pytest.raises(ValidationError) as raised:
        services.case_close(case=case, reason=ClosureReason.POST_EXIT_REVIEWS_DONE, details="Done",
                            acting_user=coordinator)
    assert "both post-exit reviews" in raised.value.message_dict["reason"][0]
    Review.objects.filter(pk=twelve.pk).update(completed_on=today)
    services.case_close(case=case, reason=ClosureReason.POST_EXIT_REVIEWS_DONE, details="Done",
                        acting_user=coordinator)
    assert case.status == CaseStatus.CLOSED


def test_a_closed_case_cannot_close_again(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as raised:
        services.case_close(case=case, reason=ClosureReason.OTHER, details="Again", acting_user=coordinator)
    assert raised.value.message_dict["status"] == [
        lifecycle.refusal_message(CaseStatus.CLOSED, CaseStatus.CLOSED)]


def test_the_registry_offers_only_allowed_decisions():
    offered = {status: [d.slug for d in services.decisions_offered(SimpleNamespace(status=status))]
               for status in (CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL, CaseStatus.CLOSED)}
    assert offered[CaseStatus.SCREENING] == ["send-to-panel", "close"]
    # Adoption is decided only at a panel meeting (panels.decisions).
    assert offered[CaseStatus.AWAITING_PANEL] == ["return-to-screening", "close"]
    assert offered[CaseStatus.CLOSED] == []
    for decision in services.DECISIONS.values():
        for status in CaseStatus.values:
            if decision.offered_from(status):
                assert lifecycle.is_allowed(status, decision.to_status)
