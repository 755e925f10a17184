"""Minutes: written from the record, edited until the chair approves them,
then locked. Corrections after approval are addenda.

Each item's minute is written when its decision is recorded (what was
decided, how, why, and the actions), so nobody retypes the meeting. The
minutes of a meeting are the attendance, the general notes and the items'
minutes; who sees which item follows the same access rules as the cases.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel.models import NotAdoptedOutcome
from prevent_hub.core.formatting import govuk_date

from .models import (
    AgendaItem,
    DecisionMethod,
    ItemDecision,
    MeetingStatus,
    Minutes,
    MinutesAddendum,
    MinutesStatus,
)
from .services import meeting_lock

MAX_MINUTE = 20000


def method_text(item: AgendaItem) -> str:
    if any(count is not None for count in (item.votes_for, item.votes_against, item.abstentions)):
        counts = f"{item.votes_for or 0} for, {item.votes_against or 0} against"
        if item.abstentions:
            counts += f", {item.abstentions} abstaining"
        return f"{DecisionMethod(item.decision_method).label} ({counts})"
    return DecisionMethod(item.decision_method).label if item.decision_method else ""


def item_minute_text(item: AgendaItem, *, fields: dict | None = None) -> str:
    """The minute of a decided item, from its record."""
    lines = [f"Decision: {ItemDecision(item.decision).label}.", f"How decided: {method_text(item)}.",
             f"Reasons: {item.reasons}"]
    if item.outside_decision_id:
        outside = item.outside_decision
        lines.insert(0, f"Review of the decision taken outside a meeting on {govuk_date(outside.decided_on)} "
                        f"({outside.get_kind_display().lower()}, {outside.chair.full_name}): "
                        f"{ItemDecision(outside.decision).label}.")
    lines += decision_effect_lines(item.decision, item.case)
    actions = list(item.actions.select_related("action__owner"))
    if actions:
        lines.append("Actions:")
        lines += [f"- {link.action.description} — {link.action.owner.full_name}, due "
                  f"{govuk_date(link.action.due_date)}" for link in actions]
    return "\n".join(lines)[:MAX_MINUTE]


def decision_effect_lines(decision: str, case) -> list[str]:
    """What a decision did to the case, in the minute's words."""
    lines = []
    if decision == ItemDecision.NOT_ADOPT:
        outcome = NotAdoptedOutcome(case.not_adopted_outcome).label if case.not_adopted_outcome else ""
        lines.append(f"Outcome: {outcome}" + (f" ({case.not_adopted_signposted_to})"
                                              if case.not_adopted_signposted_to else "") + ".")
        lines.append("Referral to health or social care considered: yes. "
                     f"{case.health_social_care_notes}")
    if decision == ItemDecision.REASSESS and case.reassessment_date:
        lines.append(f"The panel will re-assess the case on {govuk_date(case.reassessment_date)}.")
    if decision == ItemDecision.EXIT and case.exit_date:
        lines.append(f"Exit date: {govuk_date(case.exit_date)}. Post-exit reviews are due 6 and 12 months "
                     "after.")
    if decision in (ItemDecision.CONTINUE_SUPPORT, ItemDecision.REVISE_PLAN, ItemDecision.REASSESS) \
            and case.next_review_date:
        lines.append(f"Next review due {govuk_date(case.next_review_date)}.")
    return lines


def _draft(meeting) -> Minutes:
    minutes = meeting.minutes
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("The minutes are approved and locked. Add an addendum to correct them",
                              code="minutes_locked")
    return minutes


def _clean(text, field, limit=MAX_MINUTE, *, required_message=""):
    text = (text or "").strip()
    if required_message and not text:
        raise ValidationError({field: required_message})
    if len(text) > limit:
        raise ValidationError({field: f"The text must be {limit:,} characters or fewer"})
    return text


def minutes_notes_save(*, meeting, general_notes: str, acting_user) -> Minutes:
    """Save the minutes' general notes (introductions, apologies, other business)."""
    general_notes = _clean(general_notes, "general_notes")
    with transaction.atomic():
        locked = meeting_lock(meeting)
        minutes = _draft(locked)
        minutes.general_notes = general_notes
        minutes.updated_at, minutes.updated_by = timezone.now(), acting_user
        minutes.save(update_fields=["general_notes", "updated_at", "updated_by"])
        audit_event_record(action=AuditAction.UPDATE, obj=minutes, changed_fields=["general_notes"],
                           details={"meeting": locked.pk}, actor=acting_user)
    return minutes


def item_minute_save(*, item: AgendaItem, minute: str, acting_user) -> AgendaItem:
    """Edit an item's minute, while the minutes are a draft."""
    minute = _clean(minute, "minute", required_message="Enter the minute for this item")
    with transaction.atomic():
        locked = meeting_lock(item.meeting)
        minutes = _draft(locked)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if not item.decision:
            raise ValidationError("Record the panel's decision first: the minute is written from it",
                                  code="undecided")
        item.minute = minute
        item.save(update_fields=["minute"])
        minutes.updated_at, minutes.updated_by = timezone.now(), acting_user
        minutes.save(update_fields=["updated_at", "updated_by"])
        audit_event_record(action=AuditAction.UPDATE, obj=item, changed_fields=["minute"],
                           details={"meeting": locked.pk, "case": item.case_id}, actor=acting_user)
    return item


def undecided_message(positions: list[int]) -> str:
    """Why minutes cannot be approved yet, naming the items by their number on
    the agenda: "… Not yet decided: items 1, 2 and 4"."""
    numbers = [str(position) for position in positions]
    listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    return ("Record a decision on every item first (or take it off the agenda). "
            f"Not yet decided: item{'s' if len(numbers) > 1 else ''} {listed}")


def minutes_approve(*, meeting, acting_user) -> Minutes:
    """The chair approves the minutes: they are locked from now on, and the
    meeting is recorded as held. Needs a decision on every item and the
    attendance recorded."""
    with transaction.atomic():
        locked = meeting_lock(meeting)
        minutes = _draft(locked)
        if locked.status == MeetingStatus.CANCELLED:
            raise ValidationError("This meeting was cancelled: it has no minutes to approve",
                                  code="cancelled")
        undecided = list(locked.items.filter(decision="").values_list("position", flat=True))
        if undecided:
            raise ValidationError(undecided_message(undecided), code="undecided")
        if locked.date > timezone.localdate():
            raise ValidationError("The minutes can be approved once the meeting has been held",
                                  code="not_yet_held")
        if not locked.attendance.exists():
            raise ValidationError("Record who attended before approving the minutes", code="no_attendance")
        now = timezone.now()
        minutes.status, minutes.approved_at, minutes.approved_by = MinutesStatus.APPROVED, now, acting_user
        minutes.updated_at, minutes.updated_by = now, acting_user
        minutes.save()
        locked.status = MeetingStatus.HELD
        locked.save(update_fields=["status"])
        audit_event_record(action=AuditAction.UPDATE, obj=minutes,
                           changed_fields=["status", "approved_at", "approved_by"],
                           details={"meeting": locked.pk}, actor=acting_user)
    return minutes


def minutes_addendum_add(*, meeting, text: str, item: AgendaItem | None = None,
                         acting_user) -> MinutesAddendum:
    """A correction to approved minutes, about the meeting or one item."""
    text = _clean(text, "text", 10000, required_message="Enter the correction")
    with transaction.atomic():
        locked = meeting_lock(meeting)
        minutes = locked.minutes
        if minutes.status != MinutesStatus.APPROVED:
            raise ValidationError("The minutes are still a draft: edit them instead of adding an addendum",
                                  code="still_draft")
        if item is not None and item.meeting_id != locked.pk:
            raise ValidationError({"item": "Select an item of this meeting"})
        addendum = MinutesAddendum.objects.create(minutes=minutes, item=item, text=text,
                                                  written_by=acting_user, written_at=timezone.now())
        audit_event_record(action=AuditAction.CREATE, obj=addendum, changed_fields=["text", "item"],
                           details={"meeting": locked.pk, "item": item.pk if item else None},
                           actor=acting_user)
    return addendum
