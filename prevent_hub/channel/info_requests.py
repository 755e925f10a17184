"""Information sharing requests: what the case team asks partner
organisations during screening, of whom, by when, and the answer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.working_days import add_working_days

from .chronology import chronology_record
from .models import ChannelCase, ChronologyKind, InformationRequest

# How long a partner is usually given to answer.
DEFAULT_WORKING_DAYS = 10


def default_due_date(today: datetime.date | None = None) -> datetime.date:
    return add_working_days(today or timezone.localdate(), DEFAULT_WORKING_DAYS)


def information_request_add(*, case: ChannelCase, organisation=None, organisation_name: str = "",
                            contact: str = "", question: str, due_date: datetime.date,
                            acting_user) -> InformationRequest:
    """Record a request sent to a partner organisation (one from the list, or
    one named in words)."""
    organisation_name = (organisation_name or "").strip() or (organisation.name if organisation else "")
    question = (question or "").strip()
    today = timezone.localdate()
    errors = {}
    if not organisation_name:
        errors["organisation_name"] = "Select the organisation or enter its name"
    if not question:
        errors["question"] = "Enter what is asked"
    if due_date is None:
        errors["due_date"] = "Enter the date the answer is due"
    elif due_date < today:
        errors["due_date"] = "The date the answer is due must be today or in the future"
    if errors:
        raise ValidationError(errors, code="information_request_incomplete")
    with transaction.atomic():
        request = InformationRequest.objects.create(
            case=case, organisation=organisation, organisation_name=organisation_name[:200],
            contact=(contact or "").strip(), question=question, requested_on=today, due_date=due_date,
            requested_by=acting_user,
        )
        audit_event_record(
            action=AuditAction.CREATE, obj=request,
            changed_fields=["organisation", "organisation_name", "contact", "question", "due_date"],
            details={"case": case.reference}, actor=acting_user,
        )
        chronology_record(
            case=case, person_id=case.person_id, kind=ChronologyKind.INFORMATION_REQUEST, obj=request,
            summary=f"Information requested from {organisation_name}, due {govuk_date(due_date)}",
            recorded_by=acting_user,
        )
    return request


def information_request_answer(*, request: InformationRequest, answer: str, response: str = "",
                               decline_reason: str = "", answered_on: datetime.date,
                               acting_user) -> InformationRequest:
    """Record the organisation's response, or that it declined and why. An
    answer, once recorded, is not changed (a later correction is a note)."""
    response = (response or "").strip()
    decline_reason = (decline_reason or "").strip()
    errors = {}
    if answer not in InformationRequest.Answer.values:
        errors["answer"] = "Select whether the organisation responded or declined"
    elif answer == InformationRequest.Answer.RESPONDED and not response:
        errors["response"] = "Enter the response"
    elif answer == InformationRequest.Answer.DECLINED and not decline_reason:
        errors["decline_reason"] = "Enter the reason the organisation gave for declining"
    if answered_on is None:
        errors["answered_on"] = "Enter the date of the answer"
    elif answered_on > timezone.localdate():
        errors["answered_on"] = "The date of the answer must be today or in the past"
    if errors:
        raise ValidationError(errors, code="answer_incomplete")
    with transaction.atomic():
        locked = InformationRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
        if locked.answer:
            raise ValidationError("The answer to this request has already been recorded",
                                  code="already_answered")
        if answered_on < locked.requested_on:
            raise ValidationError({"answered_on": "The date of the answer must be on or after the date "
                                                  "of the request"}, code="answer_before_request")
        locked.answer = answer
        locked.response = response if answer == InformationRequest.Answer.RESPONDED else ""
        locked.decline_reason = decline_reason if answer == InformationRequest.Answer.DECLINED else ""
        locked.answered_on = answered_on
        locked.answer_recorded_by = acting_user
        fields = ["answer", "response", "decline_reason", "answered_on", "answer_recorded_by"]
        locked.save(update_fields=fields)
        audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=fields,
                           details={"case": locked.case.reference, "answer": answer}, actor=acting_user)
        verb = "responded" if answer == InformationRequest.Answer.RESPONDED else "declined"
        chronology_record(
            case=locked.case, person_id=locked.case.person_id, kind=ChronologyKind.INFORMATION_REQUEST,
            obj=locked, summary=f"{locked.organisation_name} {verb} to the information request",
            recorded_by=acting_user,
        )
    return locked


def overdue(today: datetime.date) -> Q:
    """The one rule for an overdue information request: unanswered past its due
    date. Counts filter on it and pages read it as an annotation
    (core.overdue.with_overdue), so the two cannot disagree."""
    return Q(answer="", due_date__lt=today)
