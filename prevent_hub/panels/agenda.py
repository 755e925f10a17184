"""A meeting's agenda: built from the cases that need the panel, then
arranged by the chair.

A case needs the panel when it is awaiting an adoption decision, when a review
is due, when consent was refused and its re-assessment is due, or when a
post-exit review is due (reviews and re-assessments falling due up to
PANEL_AGENDA_LOOKAHEAD_DAYS after the meeting count too). Only cases of the
panel's area, or with no area recorded, are brought in, and never a case
already waiting on another scheduled meeting's agenda. Each of those is one
indexed query, whatever the number of open cases.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel.chronology import chronology_record, chronology_record_many
from prevent_hub.channel.models import (
    CaseStatus,
    ChannelCase,
    ChronologyKind,
    Review,
    ReviewKind,
)
from prevent_hub.core.formatting import govuk_date

from .models import AgendaItem, AgendaReason, MeetingStatus, OutsideMeetingDecision, PanelMeeting
from .services import meeting_lock, meeting_refuse_if_closed

# Order on a built agenda: decisions first, then the reviews.
REASON_ORDER = [AgendaReason.AWAITING_DECISION, AgendaReason.REASSESSMENT_DUE, AgendaReason.REVIEW_DUE,
                AgendaReason.POST_EXIT_REVIEW_DUE, AgendaReason.OUTSIDE_MEETING_REVIEW,
                AgendaReason.ADDED_BY_CHAIR]


def _waiting_elsewhere(meeting: PanelMeeting):
    """Cases with an undecided item on another scheduled meeting."""
    return (AgendaItem.objects.filter(meeting__status=MeetingStatus.SCHEDULED, decision="")
            .exclude(meeting=meeting).values("case_id"))


def outside_decisions_to_review(*, panel):
    """Decisions taken outside a meeting of `panel` that no meeting has yet
    reviewed or has on its agenda (a cancelled meeting's agenda does not count)."""
    on_agendas = (AgendaItem.objects.exclude(meeting__status=MeetingStatus.CANCELLED)
                  .filter(outside_decision__isnull=False).values("outside_decision_id"))
    return (OutsideMeetingDecision.objects.filter(panel=panel).exclude(pk__in=on_agendas)
            .order_by("decided_on", "pk"))


def agenda_candidates(*, meeting: PanelMeeting) -> list[tuple[int, int, str, int | None, int | None]]:
    """(case id, person id, reason, review id, outside decision id) for each
    case that needs this meeting, in agenda order, leaving out cases already
    on its agenda."""
    horizon = meeting.date + datetime.timedelta(days=settings.PANEL_AGENDA_LOOKAHEAD_DAYS)
    on_agenda = AgendaItem.objects.filter(meeting=meeting).values("case_id")
    cases = (ChannelCase.objects.filter(Q(area__isnull=True) | Q(area=meeting.panel.area_id))
             .exclude(pk__in=on_agenda).exclude(pk__in=_waiting_elsewhere(meeting)))
    found: dict[int, tuple[int, int, str, int | None, int | None]] = {}

    def add(rows, reason):
        for case_id, person_id, *review in rows:
            found.setdefault(case_id, (case_id, person_id, reason, review[0] if review else None, None))

    add(cases.filter(status=CaseStatus.AWAITING_PANEL).order_by("status_changed_at", "pk")
        .values_list("pk", "person_id"), AgendaReason.AWAITING_DECISION)
    add(cases.filter(status=CaseStatus.CONSENT_REFUSED, reassessment_date__lte=horizon)
        .order_by("reassessment_date", "pk").values_list("pk", "person_id"), AgendaReason.REASSESSMENT_DUE)
    add(cases.filter(status=CaseStatus.SUPPORT, next_review_date__lte=horizon)
        .order_by("next_review_date", "pk").values_list("pk", "person_id"), AgendaReason.REVIEW_DUE)
    # Filtered on the review's own case columns, so it stays on the review_due index.
    post_exit = (Review.objects.filter(kind=ReviewKind.POST_EXIT, completed_on__isnull=True,
                                       due_date__lte=horizon, case__status=CaseStatus.EXITED)
                 .filter(Q(case__area__isnull=True) | Q(case__area=meeting.panel.area_id))
                 .exclude(case_id__in=on_agenda).exclude(case_id__in=_waiting_elsewhere(meeting))
                 .order_by("due_date", "pk").values_list("case_id", "case__person_id", "pk"))
    add(post_exit, AgendaReason.POST_EXIT_REVIEW_DUE)
    # A decision taken outside a meeting comes to the panel's next meeting,
    # whatever the case's area; its case is discussed once, for the review.
    for outside_id, case_id, person_id in (outside_decisions_to_review(panel=meeting.panel)
                                           .exclude(case_id__in=on_agenda)
                                           .values_list("pk", "case_id", "case__person_id")):
        if case_id in found:
            found[case_id] = (*found[case_id][:4], outside_id)
        else:
            found[case_id] = (case_id, person_id, AgendaReason.OUTSIDE_MEETING_REVIEW, None, outside_id)
    return list(found.values())


def _next_position(meeting) -> int:
    return (AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0) + 1


def _on_agenda_summary(meeting) -> str:
    return f"Put on the agenda of the {meeting.panel.name} meeting on {govuk_date(meeting.date)}"


def agenda_build(*, meeting: PanelMeeting, acting_user) -> list[AgendaItem]:
    """Add every case that needs this meeting to its agenda, after any items
    already there. Each case's timeline says so; one audit event on the
    meeting names every item and case added.
    Returns the items added (none if nothing more needs the panel)."""
    with transaction.atomic():
        locked = meeting_lock(meeting)
        meeting_refuse_if_closed(locked)
        candidates = agenda_candidates(meeting=locked)
        now = timezone.now()
        start = _next_position(locked)
        items = AgendaItem.objects.bulk_create([
            AgendaItem(meeting=locked, case_id=case_id, position=start + offset, reason=reason,
                       review_id=review_id, outside_decision_id=outside_id, added_at=now,
                       added_by=acting_user)
            for offset, (case_id, _person, reason, review_id, outside_id) in enumerate(candidates)
        ])
        summary = _on_agenda_summary(locked)
        chronology_record_many(
            cases=[(case_id, person_id) for case_id, person_id, *_rest in candidates],
            kind=ChronologyKind.DECISION, summary=summary, obj=locked, recorded_by=acting_user,
            occurred_at=now)
        locked.agenda_built_at = now
        locked.save(update_fields=["agenda_built_at"])
        # One event for the build, naming every item and case: a chained audit
        # write per item was half the build's time on PostgreSQL (docs/benchmarks.md).
        if items:
            audit_event_record(action=AuditAction.UPDATE, obj=locked,
                               changed_fields=["agenda_built_at", "items"],
                               details={"built": True, "items": [item.pk for item in items],
                                        "cases": [item.case_id for item in items]},
                               actor=acting_user)
    return items


def agenda_item_add(*, meeting: PanelMeeting, case: ChannelCase, acting_user) -> AgendaItem:
    """The chair puts a case on the agenda that did not come in on its own."""
    if case is None:
        raise ValidationError({"case": "Enter the reference of an open Channel case"})
    with transaction.atomic():
        locked = meeting_lock(meeting)
        meeting_refuse_if_closed(locked)
        if case.status == CaseStatus.CLOSED:
            raise ValidationError({"case": f"Case {case.reference} is closed"})
        if AgendaItem.objects.filter(meeting=locked, case=case).exists():
            raise ValidationError({"case": f"Case {case.reference} is already on this agenda"})
        # A case the chair adds is on the agenda for what it needs, if it
        # needs the panel (so a review decided there is recorded), and
        # otherwise simply added.
        needs = {candidate[0]: candidate for candidate in agenda_candidates(meeting=locked)}
        _case, _person, reason, review_id, outside_id = needs.get(
            case.pk, (case.pk, case.person_id, AgendaReason.ADDED_BY_CHAIR, None, None))
        if reason == AgendaReason.ADDED_BY_CHAIR and case.status == CaseStatus.EXITED:
            review_id = (Review.objects.filter(case=case, kind=ReviewKind.POST_EXIT,
                                               completed_on__isnull=True)
                         .order_by("due_date").values_list("pk", flat=True).first())
        item = AgendaItem.objects.create(
            meeting=locked, case=case, position=_next_position(locked), reason=reason, review_id=review_id,
            outside_decision_id=outside_id, added_at=timezone.now(), added_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=item, changed_fields=["case", "reason", "position"],
                           details={"meeting": locked.pk, "case": case.pk}, actor=acting_user)
        chronology_record(
            case=case, person_id=case.person_id, occurred_at=item.added_at, kind=ChronologyKind.DECISION,
            summary=_on_agenda_summary(locked), obj=locked, recorded_by=acting_user)
    return item


def _renumber(meeting):
    for position, item in enumerate(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"),
                                    start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


def agenda_item_remove(*, item: AgendaItem, acting_user) -> None:
    """Take an undecided item off the agenda; the rest close up."""
    with transaction.atomic():
        locked = meeting_lock(item.meeting)
        meeting_refuse_if_closed(locked)
        item = AgendaItem.objects.select_for_update().select_related("case").get(pk=item.pk)
        if item.decision:
            raise ValidationError("A decision has been recorded on this item, so it stays on the agenda",
                                  code="decided")
        audit_event_record(action=AuditAction.DELETE, obj=item, changed_fields=["case", "position"],
                           details={"meeting": locked.pk, "case": item.case_id}, actor=acting_user)
        chronology_record(
            case=item.case, person_id=item.case.person_id, kind=ChronologyKind.DECISION,
            recorded_by=acting_user, obj=locked,
            summary=f"Taken off the agenda of the {locked.panel.name} meeting on {govuk_date(locked.date)}")
        item.delete()
        _renumber(locked)


def agenda_item_move(*, item: AgendaItem, direction: str, acting_user) -> AgendaItem:
    """Move an item one place up or down the agenda."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Choose up or down"})
    with transaction.atomic():
        locked = meeting_lock(item.meeting)
        meeting_refuse_if_closed(locked)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        neighbours = AgendaItem.objects.filter(meeting=locked)
        neighbour = (neighbours.filter(position__lt=item.position).order_by("-position").first()
                     if direction == "up" else
                     neighbours.filter(position__gt=item.position).order_by("position").first())
        if neighbour is None:
            return item
        item.position, neighbour.position = neighbour.position, item.position
        AgendaItem.objects.filter(pk=item.pk).update(position=item.position)
        AgendaItem.objects.filter(pk=neighbour.pk).update(position=neighbour.position)
        audit_event_record(action=AuditAction.UPDATE, obj=item, changed_fields=["position"],
                           details={"meeting": locked.pk, "direction": direction}, actor=acting_user)
    return item
