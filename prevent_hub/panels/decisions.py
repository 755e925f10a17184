"""The panel's decision on an agenda item.

Each decision changes the case through the Channel case service that owns
the rule (adoption, not adopting, exit, reviews, consent...), in the same
transaction as the item's record, so there is one place for each rule and a
refused change leaves nothing half-recorded. Before any of that, the law's
condition: a police representative for the person's area must be recorded as
present.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel import reviews as channel_reviews
from prevent_hub.channel import services as channel_services
from prevent_hub.channel.chronology import chronology_record
from prevent_hub.channel.consent import consent_seek_again
from prevent_hub.channel.models import Area, CaseStatus, ChannelCase, ChronologyKind, Review, ReviewKind
from prevent_hub.channel.support import plan_action_add
from prevent_hub.core.formatting import govuk_date

from .models import (
    AgendaItem,
    AgendaReason,
    Attendance,
    DecisionMethod,
    ItemAction,
    ItemDecision,
    OutsideMeetingDecision,
    OutsideMeetingKind,
)
from .services import meeting_lock, meeting_refuse_if_closed

D = ItemDecision

# What the panel can decide about a case, by where the case is.
DECISIONS_BY_STATUS: dict[str, list[ItemDecision]] = {
    CaseStatus.AWAITING_PANEL: [D.ADOPT, D.NOT_ADOPT, D.MORE_INFORMATION, D.NOTED],
    CaseStatus.SUPPORT: [D.CONTINUE_SUPPORT, D.REVISE_PLAN, D.EXIT, D.NOTED],
    CaseStatus.CONSENT_REFUSED: [D.SEEK_CONSENT_AGAIN, D.REASSESS, D.NOTED],
    CaseStatus.EXITED: [D.POST_EXIT_REVIEW, D.NOTED],
}
# An item brought in because a review or re-assessment is due is decided
# with what the review found: "no change" would leave it due, so the
# dashboard would still show it after the meeting.
REVIEW_REASONS = frozenset({AgendaReason.REVIEW_DUE, AgendaReason.REASSESSMENT_DUE,
                            AgendaReason.POST_EXIT_REVIEW_DUE})
# Outside a meeting only a decision that cannot wait: nothing that only notes,
# asks for more or needs the panel's actions.
NOT_OUTSIDE_MEETINGS = frozenset({D.NOTED, D.MORE_INFORMATION, D.REVISE_PLAN})


def decisions_for_case(case, *, review=None) -> list[ItemDecision]:
    choices = DECISIONS_BY_STATUS.get(case.status, [D.NOTED])
    if D.POST_EXIT_REVIEW in choices and review is None:
        choices = [choice for choice in choices if choice != D.POST_EXIT_REVIEW]
    return choices


def decisions_for(item: AgendaItem) -> list[ItemDecision]:
    choices = decisions_for_case(item.case, review=item.review)
    if item.reason in REVIEW_REASONS and len(choices) > 1:
        choices = [choice for choice in choices if choice != D.NOTED]
    return choices


def decisions_outside_meetings(case) -> list[ItemDecision]:
    review = post_exit_review_next(case)
    return [choice for choice in decisions_for_case(case, review=review)
            if choice not in NOT_OUTSIDE_MEETINGS]


def post_exit_review_next(case):
    if case.status != CaseStatus.EXITED:
        return None
    return (Review.objects.filter(case=case, kind=ReviewKind.POST_EXIT, completed_on__isnull=True)
            .order_by("due_date", "pk").first())


def area_for(item: AgendaItem) -> Area:
    """The person's area: the case's, or (none recorded) the panel's."""
    return item.case.area or item.meeting.panel.area


def police_present_for(item: AgendaItem) -> bool:
    """Whether a police representative for the person's area is recorded
    as present at the meeting (or for this item). Apologies do not count."""
    return Attendance.objects.filter(
        Q(item__isnull=True) | Q(item=item), meeting_id=item.meeting_id, apologies=False,
        organisation_type=OrganisationType.POLICE, police_area=area_for(item),
    ).exists()


def police_absent_message(item: AgendaItem) -> str:
    return (f"Record a police representative for {area_for(item)} as present before recording a decision: "
            "the law requires one when the panel discusses a person from that area")


@dataclass
class PanelActionInput:
    description: str
    owner: object
    due_date: datetime.date | None
    # The answer to "X is not on the case team. Add them?": without a yes, an
    # action is not given to someone who would not see the case.
    add_owner_to_team: bool = False


def _method_errors(method, votes_for, votes_against, abstentions) -> dict:
    errors = {}
    if method not in DecisionMethod.values:
        errors["decision_method"] = "Select how the panel reached the decision"
    elif method == DecisionMethod.MAJORITY:
        if votes_for is None:
            errors["votes_for"] = "Enter how many voted for"
        if votes_against is None:
            errors["votes_against"] = "Enter how many voted against"
        if votes_for is not None and votes_against is not None and votes_for <= votes_against:
            errors["votes_for"] = ("A majority needs more votes for than against. Without a majority, the "
                                   "chair decides: select ‘the chair's decision’")
    for field, value in (("votes_for", votes_for), ("votes_against", votes_against),
                         ("abstentions", abstentions)):
        if value is not None and not 0 <= value <= 100:
            errors[field] = "Enter a number of votes from 0 to 100"
    return errors


def _change_case(*, case, held_on, decision, reasons, fields, review, review_due, acting_user):
    """Call the Channel case service for `decision`, taken on `held_on`.
    Their ValidationErrors name the same fields as the decision form.
    `review_due`: the case was brought to the panel for its review, which
    this decision records whatever it decides."""
    channel_services.case_discussed_record(case=case, discussed_on=held_on)
    if decision == D.ADOPT:
        channel_services.case_adopt(case=case, adopted_on=held_on, reasons=reasons, acting_user=acting_user)
    elif decision == D.NOT_ADOPT:
        channel_services.case_not_adopted(
            case=case, outcome=fields.get("outcome", ""), signposted_to=fields.get("signposted_to", ""),
            health_social_care_considered=fields.get("health_social_care_considered"),
            health_social_care_notes=fields.get("health_social_care_notes", ""), reasons=reasons,
            acting_user=acting_user)
    elif decision == D.MORE_INFORMATION:
        channel_services.case_return_to_screening(case=case, reasons=reasons, acting_user=acting_user)
    elif decision in (D.CONTINUE_SUPPORT, D.REVISE_PLAN):
        channel_reviews.review_record(case=case, held_on=held_on,
                                      outcome=f"{ItemDecision(decision).label}. {reasons}",
                                      acting_user=acting_user)
    elif decision == D.EXIT:
        if review_due:
            channel_reviews.review_record(case=case, held_on=held_on, outcome=f"Exit Channel. {reasons}",
                                          acting_user=acting_user)
        channel_reviews.case_exit(case=case, exit_date=held_on, reasons=reasons, acting_user=acting_user)
    elif decision == D.SEEK_CONSENT_AGAIN:
        channel_reviews.review_record(case=case, held_on=held_on,
                                      outcome=f"Re-assessment: seek consent again. {reasons}",
                                      acting_user=acting_user)
        consent_seek_again(case=case, reasons=reasons, acting_user=acting_user)
    elif decision == D.REASSESS:
        channel_reviews.reassessment_review_record(
            case=case, held_on=held_on, reassess_on=fields.get("reassess_on"), outcome=reasons,
            acting_user=acting_user)
    elif decision == D.POST_EXIT_REVIEW:
        channel_reviews.post_exit_review_record(review=review, completed_on=held_on, outcome=reasons,
                                                acting_user=acting_user)


def _reasons_errors(reasons: str) -> dict:
    if not reasons:
        return {"reasons": "Enter the panel's reasons for the decision"}
    if len(reasons) > 5000:
        return {"reasons": "The reasons must be 5,000 characters or fewer"}
    return {}


def item_decide(*, item: AgendaItem, decision: str, decision_method: str, reasons: str,
                votes_for: int | None = None, votes_against: int | None = None,
                abstentions: int | None = None, actions: list[PanelActionInput] = (),
                acting_user, **fields) -> AgendaItem:
    """Record the panel's decision on `item` and make it happen to the case.

    `fields` carries what a decision needs beyond the reasons: for not
    adopting, `outcome`, `signposted_to`, `health_social_care_considered`
    and `health_social_care_notes`; for re-assessing, `reassess_on`.
    Raises ValidationError (nothing recorded) if a police representative for
    the person's area is not present, the decision does not fit the case, the
    method or reasons are missing, or the case service refuses it. Deciding an
    item that reviews a decision taken outside a meeting records that review.
    """
    reasons = (reasons or "").strip()
    with transaction.atomic():
        meeting = meeting_lock(item.meeting)
        meeting_refuse_if_closed(meeting, "Decisions")
        item = (AgendaItem.objects.select_for_update(of=("self",)).select_related("case", "review")
                .get(pk=item.pk))
        item.meeting = meeting
        if item.decision:
            raise ValidationError("A decision has already been recorded on this item. To correct it, add an "
                                  "addendum to the minutes", code="already_decided")
        if meeting.date > timezone.localdate():
            raise ValidationError("Decisions are recorded on or after the day of the meeting "
                                  f"({govuk_date(meeting.date)})", code="meeting_not_yet")
        if not police_present_for(item):
            raise ValidationError(police_absent_message(item), code="police_not_present")
        errors = {}
        if decision not in [choice.value for choice in decisions_for(item)]:
            errors["decision"] = "Select one of the decisions the panel can make about this case"
        errors.update(_method_errors(decision_method, votes_for, votes_against, abstentions))
        errors.update(_reasons_errors(reasons))
        if decision == D.REVISE_PLAN and not actions:
            errors["actions"] = "Add an action saying who revises the support plan, and by when"
        for number, action in enumerate(actions, start=1):
            if not (action.description or "").strip() or action.owner is None or action.due_date is None:
                errors["actions"] = f"Action {number}: enter what is to be done, who does it and by when"
            elif action.due_date < meeting.date:
                errors["actions"] = f"Action {number}: the due date must be on or after the meeting"
        if errors:
            raise ValidationError(errors, code="decision_incomplete")

        _change_case(case=item.case, held_on=meeting.date, decision=decision, reasons=reasons, fields=fields,
                     review=item.review, review_due=item.reason == AgendaReason.REVIEW_DUE,
                     acting_user=acting_user)
        for action in actions:
            plan_action = plan_action_add(case=item.case, description=action.description, owner=action.owner,
                                          due_date=action.due_date, acting_user=acting_user,
                                          add_owner_to_team=action.add_owner_to_team)
            ItemAction.objects.create(item=item, action=plan_action)

        method = decision_method
        item.decision, item.decision_method, item.reasons = decision, method, reasons
        if any(count is not None for count in (votes_for, votes_against, abstentions)):
            item.votes_for, item.votes_against, item.abstentions = votes_for, votes_against, abstentions
        item.decided_at, item.decided_by = timezone.now(), acting_user
        item.case.refresh_from_db()
        from .minutes import item_minute_text

        item.minute = item_minute_text(item, fields=fields)
        item.save()
        audit_event_record(
            action=AuditAction.UPDATE, obj=item,
            changed_fields=["decision", "decision_method", "votes_for", "votes_against", "abstentions",
                            "reasons", "decided_at", "decided_by", "minute"],
            details={"meeting": meeting.pk, "case": item.case.reference, "decision": decision,
                     **({"outside_decision_reviewed": item.outside_decision_id}
                        if item.outside_decision_id else {})},
            actor=acting_user)
        chronology_record(
            case=item.case, person_id=item.case.person_id, kind=ChronologyKind.DECISION, obj=item,
            recorded_by=acting_user,
            summary=(f"{meeting.panel.name} on {govuk_date(meeting.date)}: {ItemDecision(decision).label} "
                     f"({DecisionMethod(method).label.lower()})"))
    return item


# Decisions outside a meeting ------------------------------------------------------------


def panel_chair_ids(panel) -> set[int]:
    """Who may take a decision for `panel` between meetings: its chair and
    any deputy chairs."""
    return {panel.chair_id, *panel.deputy_chairs.values_list("pk", flat=True)}


def outside_decision_record(*, panel, case, kind: str, decision: str, decided_on, consulted,
                            why_not_at_meeting: str, reasons: str, acting_user,
                            **fields) -> OutsideMeetingDecision:
    """Record a decision the panel's chair took outside a meeting (by written
    procedure, or urgently after consulting members) and make it happen to
    the case, as a meeting's decision would. `acting_user` must chair the
    panel (or be a deputy chair): no one else takes a panel's decision alone.
    `consulted` are the panel members asked, a police practitioner among them
    (the law wants the police heard whenever a person is discussed). The
    panel's next meeting reviews it: its agenda brings it in.
    """
    reasons = (reasons or "").strip()
    why_not_at_meeting = (why_not_at_meeting or "").strip()
    consulted = [user for user in (consulted or []) if user is not None]
    errors = {}
    if panel is None:
        errors["panel"] = "Select the panel the decision is for"
    elif acting_user.pk not in panel_chair_ids(panel):
        errors["panel"] = (f"Only the chair or a deputy chair of {panel.name} can take a decision for it "
                           "outside a meeting")
    if kind not in OutsideMeetingKind.values:
        errors["kind"] = "Select how the decision was taken"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if not consulted:
        errors["consulted"] = "Select the panel members consulted"
    elif not any(user.has_role(Role.POLICE_PRACTITIONER) for user in consulted):
        errors["consulted"] = ("Consult a police representative: the police must be heard whenever the "
                               "panel decides about a person")
    if not why_not_at_meeting:
        errors["why_not_at_meeting"] = "Enter why the decision could not wait for a meeting"
    elif len(why_not_at_meeting) > 2000:
        errors["why_not_at_meeting"] = "Why it could not wait must be 2,000 characters or fewer"
    errors.update(_reasons_errors(reasons))
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        choices = decisions_outside_meetings(locked)
        if decision not in [choice.value for choice in choices]:
            allowed = ", ".join(f"‘{choice.label.lower()}’" for choice in choices) or "none"
            errors["decision"] = (f"Select a decision that fits a case that is "
                                  f"‘{locked.get_status_display().lower()}’. Outside a meeting: {allowed}")
        if errors:
            raise ValidationError(errors, code="decision_incomplete")
        _change_case(case=locked, held_on=decided_on, decision=decision, reasons=reasons, fields=fields,
                     review=post_exit_review_next(locked), review_due=False, acting_user=acting_user)
        locked.refresh_from_db()
        from .minutes import decision_effect_lines

        record = OutsideMeetingDecision.objects.create(
            panel=panel, case=locked, kind=kind, decision=decision, decided_on=decided_on, chair=acting_user,
            why_not_at_meeting=why_not_at_meeting, reasons=reasons, recorded_at=timezone.now(),
            summary="\n".join(decision_effect_lines(decision, locked)))
        record.consulted.set(consulted)
        audit_event_record(
            action=AuditAction.CREATE, obj=record,
            changed_fields=["panel", "case", "kind", "decision", "decided_on", "chair", "consulted",
                            "why_not_at_meeting", "reasons"],
            details={"case": locked.reference, "decision": decision, "consulted": [u.pk for u in consulted]},
            actor=acting_user)
        chronology_record(
            case=locked, person_id=locked.person_id, kind=ChronologyKind.DECISION, obj=record,
            recorded_by=acting_user,
            summary=(f"{panel.name}, outside a meeting on {govuk_date(decided_on)}: "
                     f"{ItemDecision(decision).label} ({OutsideMeetingKind(kind).label.lower()}, "
                     f"{acting_user.full_name}). For review at the next meeting"))
    return record
