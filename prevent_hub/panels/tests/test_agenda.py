"""Building a meeting's agenda from the cases that need the panel, and the
chair arranging it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import CaseStatus, ChronologyEntry, ChronologyKind
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_reviews import case_in, post_exit_review
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.agenda import agenda_build, agenda_item_add, agenda_item_move, agenda_item_remove
from prevent_hub.panels.models import AgendaItem, AgendaReason, ItemDecision, MeetingStatus, MinutesStatus
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add

from .helpers import days

pytestmark = pytest.mark.django_db

LOOKAHEAD = 14


@pytest.fixture(autouse=True)
def lookahead(settings):
    settings.PANEL_AGENDA_LOOKAHEAD_DAYS = LOOKAHEAD


@pytest.fixture
def meeting():
    return PanelMeetingFactory(date=days(7))


@pytest.fixture
def chair(meeting):
    return meeting.panel.chair


def _horizon(meeting, extra=0):
    return meeting.date + datetime.timedelta(days=LOOKAHEAD + extra)


def _agenda(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list(
        "position", "case_id", "reason"))


def _waiting_since(case, days_ago):
    case.status_changed_at = timezone.now() - datetime.timedelta(days=days_ago)
    case.save(update_fields=["status_changed_at"])
    return case


# What comes in ---------------------------------------------------------------------


def test_the_agenda_brings_in_exactly_the_cases_that_need_the_panel(meeting, chair):
    awaiting = _waiting_since(case_in(CaseStatus.AWAITING_PANEL), 3)
    of_this_area = _waiting_since(case_in(CaseStatus.AWAITING_PANEL, area=meeting.panel.area), 1)
    review_due = case_in(CaseStatus.SUPPORT, next_review_date=_horizon(meeting))
    review_overdue = case_in(CaseStatus.SUPPORT, next_review_date=days(-10))
    reassessment_due = case_in(CaseStatus.CONSENT_REFUSED, reassessment_date=meeting.date)
    exited = case_in(CaseStatus.EXITED)
    due_review = post_exit_review(exited, 6, due_date=_horizon(meeting))
    post_exit_review(exited, 12, due_date=_horizon(meeting, 200))

    # None of these need this meeting.
    case_in(CaseStatus.SUPPORT, next_review_date=_horizon(meeting, 1))
    case_in(CaseStatus.SUPPORT)  # no review date
    case_in(CaseStatus.CONSENT_REFUSED, reassessment_date=_horizon(meeting, 1))
    case_in(CaseStatus.SCREENING)
    case_in(CaseStatus.ADOPTED)
    case_in(CaseStatus.CONSENT_SOUGHT)
    case_in(CaseStatus.NOT_ADOPTED)
    case_in(CaseStatus.CLOSED, next_review_date=days(-1), reassessment_date=days(-1))
    case_in(CaseStatus.AWAITING_PANEL, area=area_named("Fictional Other Area"))
    case_in(CaseStatus.SUPPORT, area=area_named("Fictional Other Area"), next_review_date=days(-1))
    exited_later = case_in(CaseStatus.EXITED)
    post_exit_review(exited_later, 6, due_date=_horizon(meeting, 1))
    exited_done = case_in(CaseStatus.EXITED)
    post_exit_review(exited_done, 6, due_date=days(-5), completed_on=days(-6))
    closed_after_exit = case_in(CaseStatus.CLOSED)
    post_exit_review(closed_after_exit, 6, due_date=days(-5))

    items = agenda_build(meeting=meeting, acting_user=chair)

    assert len(items) == 6
    assert _agenda(meeting) == [
        (1, awaiting.pk, AgendaReason.AWAITING_DECISION),
        (2, of_this_area.pk, AgendaReason.AWAITING_DECISION),
        (3, reassessment_due.pk, AgendaReason.REASSESSMENT_DUE),
        (4, review_overdue.pk, AgendaReason.REVIEW_DUE),
        (5, review_due.pk, AgendaReason.REVIEW_DUE),
        (6, exited.pk, AgendaReason.POST_EXIT_REVIEW_DUE),
    ]
    post_exit_item = AgendaItem.objects.get(meeting=meeting, case=exited)
    assert post_exit_item.review == due_review
    assert AgendaItem.objects.filter(meeting=meeting, review__isnull=False).count() == 1
    meeting.refresh_from_db()
    assert meeting.agenda_built_at is not None


def test_the_earliest_outstanding_post_exit_review_is_the_one_on_the_agenda(meeting, chair):
    exited = case_in(CaseStatus.EXITED)
    twelve = post_exit_review(exited, 12, due_date=days(1))
    post_exit_review(exited, 6, due_date=days(2))
    agenda_build(meeting=meeting, acting_user=chair)
    assert AgendaItem.objects.get(meeting=meeting).review == twelve


def test_building_again_adds_nothing_already_on_the_agenda(meeting, chair):
    case_in(CaseStatus.AWAITING_PANEL)
    assert len(agenda_build(meeting=meeting, acting_user=chair)) == 1
    assert agenda_build(meeting=meeting, acting_user=chair) == []
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    # A case that needs the panel later goes after what is there.
    later = case_in(CaseStatus.AWAITING_PANEL)
    added = agenda_build(meeting=meeting, acting_user=chair)
    assert [(item.case_id, item.position) for item in added] == [(later.pk, 2)]


def test_a_case_waiting_on_another_scheduled_meeting_is_left_out(meeting, chair):
    waiting = case_in(CaseStatus.AWAITING_PANEL)
    other = PanelMeetingFactory(date=days(3))
    item_add(other, waiting, reason=AgendaReason.AWAITING_DECISION)
    assert agenda_build(meeting=meeting, acting_user=chair) == []


def test_a_case_from_a_cancelled_meeting_or_decided_elsewhere_comes_back(meeting, chair):
    from_cancelled = case_in(CaseStatus.AWAITING_PANEL)
    cancelled = PanelMeetingFactory(date=days(1), status=MeetingStatus.CANCELLED)
    item_add(cancelled, from_cancelled)
    noted = case_in(CaseStatus.AWAITING_PANEL)
    earlier = PanelMeetingFactory(date=days(-20))
    AgendaItem.objects.filter(pk=item_add(earlier, noted).pk).update(decision=ItemDecision.NOTED)
    built = {item.case_id for item in agenda_build(meeting=meeting, acting_user=chair)}
    assert built == {from_cancelled.pk, noted.pk}


def test_each_case_brought_in_has_it_on_its_timeline_and_the_build_is_audited(meeting, chair):
    first = case_in(CaseStatus.AWAITING_PANEL)
    second = case_in(CaseStatus.SUPPORT, next_review_date=days(1))
    items = agenda_build(meeting=meeting, acting_user=chair)

    summary = f"Put on the agenda of the {meeting.panel.name} meeting on {govuk_date(meeting.date)}"
    for case in (first, second):
        entry = ChronologyEntry.objects.get(case=case, kind=ChronologyKind.DECISION)
        assert entry.summary == summary
        assert (entry.person_id, entry.recorded_by) == (case.person_id, chair)
        assert (entry.object_type, entry.object_id) == ("panels.panelmeeting", str(meeting.pk))
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="panels.panelmeeting",
                                   object_id=str(meeting.pk))
    assert event.details["built"] is True and event.actor == chair
    assert sorted(event.details["items"]) == sorted(item.pk for item in items)
    assert sorted(event.details["cases"]) == sorted([first.pk, second.pk])


def test_an_empty_build_writes_no_timeline(meeting, chair):
    assert agenda_build(meeting=meeting, acting_user=chair) == []
    assert not ChronologyEntry.objects.exists()
    assert not AuditEvent.objects.filter(object_type__startswith="panels.").exists()


def test_no_agenda_is_built_for_a_cancelled_meeting(meeting, chair):
    case_in(CaseStatus.AWAITING_PANEL)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError) as error:
        agenda_build(meeting=meeting, acting_user=chair)
    assert error.value.code == "cancelled"
    assert not AgendaItem.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_no_agenda_is_built_once_the_minutes_are_approved(meeting, chair):
    case_in(CaseStatus.AWAITING_PANEL)
    meeting.minutes.status = MinutesStatus.APPROVED
    meeting.minutes.save()
    with pytest.raises(ValidationError) as error:
        agenda_build(meeting=meeting, acting_user=chair)
    assert error.value.code == "approved"
    assert not AgendaItem.objects.exists()


# The chair arranging the agenda ----------------------------------------------------------


def test_the_chair_can_add_a_case_that_did_not_come_in(meeting, chair):
    first = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    adopted = case_in(CaseStatus.ADOPTED)
    item = agenda_item_add(meeting=meeting, case=adopted, acting_user=chair)
    assert (item.position, item.reason, item.review) == (2, AgendaReason.ADDED_BY_CHAIR, None)
    assert first.position == 1
    assert ChronologyEntry.objects.filter(case=adopted, summary__startswith="Put on the agenda").exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="panels.agendaitem",
                                     object_id=str(item.pk)).exists()


def test_an_exited_case_added_by_the_chair_is_for_its_next_post_exit_review(meeting, chair):
    exited = case_in(CaseStatus.EXITED)
    post_exit_review(exited, 12, due_date=days(300))
    six = post_exit_review(exited, 6, due_date=days(100))
    item = agenda_item_add(meeting=meeting, case=exited, acting_user=chair)
    assert item.review == six


def test_a_closed_case_cannot_be_added(meeting, chair):
    closed = case_in(CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as error:
        agenda_item_add(meeting=meeting, case=closed, acting_user=chair)
    assert f"Case {closed.reference} is closed" in error.value.message_dict["case"]
    assert not AgendaItem.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_a_case_cannot_be_added_twice(meeting, chair):
    case = case_in(CaseStatus.AWAITING_PANEL)
    agenda_item_add(meeting=meeting, case=case, acting_user=chair)
    with pytest.raises(ValidationError) as error:
        agenda_item_add(meeting=meeting, case=case, acting_user=chair)
    assert "already on this agenda" in error.value.message_dict["case"][0]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_adding_needs_a_case_and_an_open_meeting(meeting, chair):
    with pytest.raises(ValidationError) as error:
        agenda_item_add(meeting=meeting, case=None, acting_user=chair)
    assert "case" in error.value.message_dict
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, case=case_in(CaseStatus.AWAITING_PANEL), acting_user=chair)


def test_removing_an_item_closes_up_the_agenda(meeting, chair):
    cases = [case_in(CaseStatus.AWAITING_PANEL) for _ in range(3)]
    items = [item_add(meeting, case) for case in cases]
    agenda_item_remove(item=items[1], acting_user=chair)
    assert _agenda(meeting) == [(1, cases[0].pk, AgendaReason.ADDED_BY_CHAIR),
                                (2, cases[2].pk, AgendaReason.ADDED_BY_CHAIR)]
    entry = ChronologyEntry.objects.get(case=cases[1])
    assert entry.summary.startswith(f"Taken off the agenda of the {meeting.panel.name} meeting")
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="panels.agendaitem",
                                     object_id=str(items[1].pk)).exists()
    # Off this agenda, the case can come back on the next build.
    assert [item.case_id for item in agenda_build(meeting=meeting, acting_user=chair)] == [cases[1].pk]


def test_a_decided_item_stays_on_the_agenda(meeting, chair):
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    AgendaItem.objects.filter(pk=item.pk).update(decision=ItemDecision.NOTED)
    with pytest.raises(ValidationError) as error:
        agenda_item_remove(item=item, acting_user=chair)
    assert error.value.code == "decided"
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not ChronologyEntry.objects.exists()


def test_items_move_up_and_down(meeting, chair):
    cases = [case_in(CaseStatus.AWAITING_PANEL) for _ in range(3)]
    first, second, third = (item_add(meeting, case) for case in cases)

    agenda_item_move(item=third, direction="up", acting_user=chair)
    assert [case_id for _, case_id, _ in _agenda(meeting)] == [cases[0].pk, cases[2].pk, cases[1].pk]
    agenda_item_move(item=first, direction="down", acting_user=chair)
    assert [case_id for _, case_id, _ in _agenda(meeting)] == [cases[2].pk, cases[0].pk, cases[1].pk]
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="panels.agendaitem",
                                     changed_fields=["position"]).count() == 2

    # At either end there is nowhere to go: nothing changes.
    agenda_item_move(item=third, direction="up", acting_user=chair)
    agenda_item_move(item=second, direction="down", acting_user=chair)
    assert [case_id for _, case_id, _ in _agenda(meeting)] == [cases[2].pk, cases[0].pk, cases[1].pk]
    assert [position for position, _, _ in _agenda(meeting)] == [1, 2, 3]

    with pytest.raises(ValidationError):
        agenda_item_move(item=first, direction="sideways", acting_user=chair)


def test_the_agenda_of_approved_minutes_cannot_be_rearranged(meeting, chair):
    first = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    meeting.minutes.status = MinutesStatus.APPROVED
    meeting.minutes.save()
    with pytest.raises(ValidationError):
        agenda_item_move(item=first, direction="down", acting_user=chair)
    with pytest.raises(ValidationError):
        agenda_item_remove(item=first, acting_user=chair)
    first.refresh_from_db()
    assert first.position == 1
