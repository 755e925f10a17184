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

from prevent_hub.accounts.models import OrganisationType
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel import reviews as channel_reviews
from prevent_hub.channel import services as channel_services
from prevent_hub.channel.chronology import chronology_record
from prevent_hub.channel.consent import consent_seek_again
from prevent_hub.channel.models import CaseStatus, ChronologyKind
from prevent_hub.channel.support import plan_action_add
from prevent_hub.core.formatting import govuk_date

from .models import AgendaItem, Attendance, DecisionMethod, ItemAction, ItemDecision
from .services import meeting_lock, meeting_refuse_if_closed

D = ItemDecision

# What the panel can decide about a case, by where the case is.
DECISIONS_BY_STATUS: dict[str, list[ItemDecision]] = {
    CaseStatus.AWAITING_PANEL: [D.ADOPT, D.NOT_ADOPT, D.MORE_INFORMATION, D.NOTED],
    CaseStatus.SUPPORT: [D.CONTINUE_SUPPORT, D.REVISE_PLAN, D.EXIT, D.NOTED],
    CaseStatus.CONSENT_REFUSED: [D.SEEK_CONSENT_AGAIN, D.REASSESS, D.NOTED],
    CaseStatus.EXITED: [D.POST_EXIT_REVIEW, D.NOTED],
}


def decisions_for(item: AgendaItem) -> list[ItemDecision]:
    choices = DECISIONS_BY_STATUS.get(item.case.status, [D.NOTED])
    if D.POST_EXIT_REVIEW in choices and item.review_id is None:
        choices = [choice for choice in choices if choice != D.POST_EXIT_REVIEW]
    return choices


def area_for(item: AgendaItem) -> str:
    """The person's area: the case's, or (none recorded) the panel's."""
    return item.case.area or item.meeting.panel.area


def police_present_for(item: AgendaItem) -> bool:
    """Whether a police representative for the person's area is recorded
    as present at the meeting (or for this item)."""
    return Attendance.objects.filter(
        Q(item__isnull=True) | Q(item=item), meeting_id=item.meeting_id,
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


def _change_case(item, meeting, decision, reasons, fields, acting_user):
    """Call the Channel case service for `decision`. Their ValidationErrors
    name the same fields as the decision form."""
    case, held_on = item.case, meeting.date
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
    elif decision == D.CONTINUE_SUPPORT:
        channel_reviews.review_record(case=case, held_on=held_on, outcome=f"Continue support. {reasons}",
                                      acting_user=acting_user)
    elif decision == D.REVISE_PLAN:
        channel_reviews.review_record(case=case, held_on=held_on,
                                      outcome=f"Revise the support plan. {reasons}", acting_user=acting_user)
    elif decision == D.EXIT:
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
        channel_reviews.post_exit_review_record(review=item.review, completed_on=held_on, outcome=reasons,
                                                acting_user=acting_user)


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
    method or reasons are missing, or the case service refuses it.
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
        if not reasons:
            errors["reasons"] = "Enter the panel's reasons for the decision"
        elif len(reasons) > 5000:
            errors["reasons"] = "The reasons must be 5,000 characters or fewer"
        if decision == D.REVISE_PLAN and not actions:
            errors["actions"] = "Add an action saying who revises the support plan, and by when"
        for number, action in enumerate(actions, start=1):
            if not (action.description or "").strip() or action.owner is None or action.due_date is None:
                errors["actions"] = f"Action {number}: enter what is to be done, who does it and by when"
            elif action.due_date < meeting.date:
                errors["actions"] = f"Action {number}: the due date must be on or after the meeting"
        if errors:
            raise ValidationError(errors, code="decision_incomplete")

        _change_case(item, meeting, decision, reasons, fields, acting_user)
        for action in actions:
            plan_action = plan_action_add(case=item.case, description=action.description, owner=action.owner,
                                          due_date=action.due_date, acting_user=acting_user)
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
            details={"meeting": meeting.pk, "case": item.case.reference, "decision": decision},
            actor=acting_user)
        chronology_record(
            case=item.case, person_id=item.case.person_id, kind=ChronologyKind.DECISION, obj=item,
            recorded_by=acting_user,
            summary=(f"{meeting.panel.name} on {govuk_date(meeting.date)}: {ItemDecision(decision).label} "
                     f"({DecisionMethod(method).label.lower()})"))
    return item

