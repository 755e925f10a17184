"""Consent to Channel support, as the law requires it.

Channel support is voluntary. A person aged 18 or over gives (or refuses)
consent themselves; for a person under 18 a parent or guardian does: a child
cannot consent for themselves. Age is worked out from the person's date of
birth on the day consent was asked; when the date of birth is not known the
recorder must say which age group the person is in and how that was
confirmed. Nothing is guessed.

Each consent request is a `Consent` row; its answer and any later withdrawal
are recorded on the same row. The most recently recorded request is the one
that counts. Refusal and withdrawal need a re-assessment date; withdrawal
stops support. Every change is audited and goes on the case's timeline
(without special-category detail), and status changes go through
`services.case_transition`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.formatting import govuk_date

from .chronology import chronology_record
from .models import (
    CaseStatus,
    ChannelCase,
    ChronologyKind,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
)
from .services import case_transition

ADULT_AGE = 18


class AgeGroup(models.TextChoices):
    ADULT = "adult", "The person is 18 or over"
    CHILD = "child", "The person is under 18"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    WITHDRAWN = "withdrawn", "Consent withdrawn"
    SOUGHT = "sought", "Consent being sought"
    NOT_ASKED = "not asked", "Consent not asked for yet"


# Where a consent request may be recorded from, and where recording it moves the case.
MOVES_TO_SOUGHT = frozenset({CaseStatus.ADOPTED, CaseStatus.CONSENT_REFUSED})
MAY_ASK = MOVES_TO_SOUGHT | {CaseStatus.CONSENT_SOUGHT}
MAY_WITHDRAW = frozenset({CaseStatus.CONSENT_GIVEN, CaseStatus.SUPPORT})


# Reading ---------------------------------------------------------------------------


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year
    older on 1 March in other years)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_group_on(person, day: datetime.date) -> AgeGroup | None:
    """The person's age group on `day`, or None if their date of birth is not known."""
    if person.date_of_birth is None:
        return None
    return AgeGroup.ADULT if age_on(person.date_of_birth, day) >= ADULT_AGE else AgeGroup.CHILD


def consent_latest(case: ChannelCase) -> Consent | None:
    """The request that counts: the most recently recorded one. Uses
    `case.consents` if it was prefetched (for lists), else one query."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "consents" in cache:
        consents = list(cache["consents"])
        return max(consents, key=lambda consent: consent.pk) if consents else None
    return case.consents.order_by("-pk").first()


def consent_status_of(consent: Consent | None) -> str:
    if consent is None:
        return ConsentStatus.NOT_ASKED.value
    if consent.withdrawn_on is not None:
        return ConsentStatus.WITHDRAWN.value
    if consent.answer == ConsentAnswer.GIVEN:
        return ConsentStatus.GIVEN.value
    if consent.answer == ConsentAnswer.REFUSED:
        return ConsentStatus.REFUSED.value
    return ConsentStatus.SOUGHT.value


def consent_status(case: ChannelCase) -> str:
    """"given", "refused", "withdrawn", "sought" or "not asked": the state of
    the case's latest consent request, and "sought" whenever the case is in
    "consent being sought" (even before the request itself is recorded)."""
    if case.status == CaseStatus.CONSENT_SOUGHT:
        return ConsentStatus.SOUGHT.value
    return consent_status_of(consent_latest(case))


def consent_is_given(case: ChannelCase) -> bool:
    """Whether consent to support is given and not withdrawn (what support needs)."""
    return consent_status(case) == ConsentStatus.GIVEN


def consents_for_case(case: ChannelCase):
    """Every consent request on the case, oldest first, with who asked."""
    return case.consents.select_related("asked_by", "recorded_by", "withdrawal_recorded_by").order_by("pk")


# Writing ---------------------------------------------------------------------------


def _giver_phrase(giver: str) -> str:
    return "the person" if giver == ConsentGiver.PERSON else "a parent or guardian"


def _not_in_future(errors, field, value, today, what):
    if value is not None and value > today:
        errors[field] = f"{what} must be today or in the past"


def _reassessment_error(reassessment_date, today):
    if reassessment_date is None:
        return "Enter the date the panel will re-assess the case"
    if reassessment_date <= today:
        return "The re-assessment date must be in the future"
    return None


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def consent_request_record(
    *, case: ChannelCase, giver: str, asked_by, method: str, asked_on: datetime.date,
    acting_user, giver_name: str = "", giver_relationship: str = "", answer: str = "",
    answered_on: datetime.date | None = None, reassessment_date: datetime.date | None = None,
    capacity_notes: str = "", child_views: str = "", notes: str = "", confirmed_age_group: str = "",
    age_confirmed_by: str = "", today: datetime.date | None = None,
) -> Consent:
    """Record that consent was asked for (and, if it is known, the answer).

    The law decides who may be asked: 18 or over (on the day asked) the
    person, under 18 a parent or guardian. Recording a request for an adopted
    case, or one whose consent was refused (asking again at re-assessment),
    moves it to "consent being sought".
    """
    today = today or timezone.localdate()
    giver_name = (giver_name or "").strip()
    giver_relationship = (giver_relationship or "").strip()
    age_confirmed_by = (age_confirmed_by or "").strip()
    notes = (notes or "").strip()
    errors = {}
    if giver not in ConsentGiver.values:
        errors["giver"] = "Select who was asked for consent"
    if method not in ConsentMethod.values:
        errors["method"] = "Select how consent was asked for"
    if asked_on is None:
        errors["asked_on"] = "Enter the date consent was asked for"
    _not_in_future(errors, "asked_on", asked_on, today, "The date consent was asked for")
    if asked_by is None:
        errors["asked_by"] = "Select who asked for consent"

    group = age_group_on(case.person, asked_on) if asked_on else None
    if case.person.date_of_birth is None:
        if confirmed_age_group not in AgeGroup.values:
            errors["confirmed_age_group"] = (
                "The person's date of birth is not known. Select whether they are 18 or over or under 18")
        else:
            group = AgeGroup(confirmed_age_group)
        if not age_confirmed_by:
            errors["age_confirmed_by"] = "Enter who or what confirmed the person's age"
    if group == AgeGroup.ADULT and giver == ConsentGiver.PARENT_OR_GUARDIAN:
        errors["giver"] = (
            f"The person is 18 or over{_on(asked_on, case)}, so they must give consent themselves. "
            "A parent or guardian cannot consent for them")
    if group == AgeGroup.CHILD and giver == ConsentGiver.PERSON:
        errors["giver"] = (
            f"The person is under 18{_on(asked_on, case)}. A child cannot consent to Channel support "
            "themselves: ask a parent or guardian")
    if giver == ConsentGiver.PARENT_OR_GUARDIAN:
        if not giver_name:
            errors["giver_name"] = "Enter the name of the parent or guardian who was asked"
        if not giver_relationship:
            errors["giver_relationship"] = "Enter their relationship to the person, for example mother"
    if group == AgeGroup.ADULT and (child_views or "").strip():
        errors["child_views"] = ("The child's own views are for a person under 18. Put anything else "
                                 "in the notes")
    if answer and answer not in ConsentAnswer.values:
        errors["answer"] = "Select the answer"
    if answer:
        if answered_on is None:
            errors["answered_on"] = "Enter the date of the answer"
        else:
            _not_in_future(errors, "answered_on", answered_on, today, "The date of the answer")
            if asked_on and answered_on < asked_on and "answered_on" not in errors:
                errors["answered_on"] = ("The date of the answer must be on or after the date consent "
                                         "was asked")
        if answer == ConsentAnswer.REFUSED:
            problem = _reassessment_error(reassessment_date, today)
            if problem:
                errors["reassessment_date"] = problem
    _raise(errors)

    if case.person.date_of_birth is None:
        confirmation = (f"Age group confirmed by the recorder (date of birth not known): "
                        f"{'18 or over' if group == AgeGroup.ADULT else 'under 18'}. "
                        f"Confirmed by: {age_confirmed_by}.")
        notes = f"{confirmation}\n\n{notes}" if notes else confirmation
    if giver == ConsentGiver.PERSON:
        giver_name = giver_name or case.person.full_name
        giver_relationship = ""

    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if locked.status not in MAY_ASK:
            raise ValidationError(cannot_ask_message(locked.status), code="wrong_status")
        if locked.status in MOVES_TO_SOUGHT:
            case_transition(
                case=locked, to_status=CaseStatus.CONSENT_SOUGHT, acting_user=acting_user,
                reasons="Consent request recorded", changes={"reassessment_date": None},
            )
        consent = Consent.objects.create(
            case=locked, giver=giver, giver_name=giver_name[:150],
            giver_relationship=giver_relationship[:100],
            asked_by=asked_by, method=method, asked_on=asked_on,
            capacity_notes=(capacity_notes or "").strip(), child_views=(child_views or "").strip(),
            notes=notes, recorded_by=acting_user, recorded_at=timezone.now(),
        )
        audit_event_record(
            action=AuditAction.CREATE, obj=consent,
            changed_fields=[name for name in ("giver", "giver_name", "giver_relationship", "asked_by",
                                              "method", "asked_on", "capacity_notes", "child_views",
                                              "notes") if getattr(consent, name) not in ("", None)],
            details={"case": locked.reference}, actor=acting_user,
        )
        chronology_record(
            case=locked, person_id=locked.person_id, kind=ChronologyKind.CONSENT, obj=consent,
            summary=f"Consent asked of {_giver_phrase(giver)} ({ConsentMethod(method).label.lower()}) "
                    f"on {govuk_date(asked_on)}",
            recorded_by=acting_user,
        )
        if answer:
            _answer(consent=consent, case=locked, answer=answer, answered_on=answered_on,
                    reassessment_date=reassessment_date, acting_user=acting_user)
    return consent


def _on(asked_on, case):
    return f" on {govuk_date(asked_on)}" if asked_on and case.person.date_of_birth else ""


def cannot_ask_message(status):
    if status in MAY_WITHDRAW:
        return ("Consent has been given and not withdrawn. If the person (or their parent or guardian) has "
                "withdrawn it, record the withdrawal first")
    label = CaseStatus(status).label.lower()
    return (f"Consent cannot be asked for while the case is ‘{label}’. It is asked for once the panel "
            "has adopted the case")


def consent_answer_record(
    *, consent: Consent, answer: str, answered_on: datetime.date | None, acting_user,
    reassessment_date: datetime.date | None = None, today: datetime.date | None = None,
) -> Consent:
    """Record the answer to the latest consent request. Given: the case
    moves to "consent given". Refused: to "consent refused", with the date
    the panel will re-assess (required, in the future)."""
    today = today or timezone.localdate()
    errors = {}
    if answer not in ConsentAnswer.values:
        errors["answer"] = "Select the answer"
    if answered_on is None:
        errors["answered_on"] = "Enter the date of the answer"
    else:
        _not_in_future(errors, "answered_on", answered_on, today, "The date of the answer")
        if answered_on < consent.asked_on and "answered_on" not in errors:
            errors["answered_on"] = (f"The date of the answer must be on or after "
                                     f"{govuk_date(consent.asked_on)}, when consent was asked")
    if answer == ConsentAnswer.REFUSED:
        problem = _reassessment_error(reassessment_date, today)
        if problem:
            errors["reassessment_date"] = problem
    _raise(errors)
    with transaction.atomic():
        case = ChannelCase.objects.select_for_update().get(pk=consent.case_id)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        _answer(consent=consent, case=case, answer=answer, answered_on=answered_on,
                reassessment_date=reassessment_date, acting_user=acting_user)
    return consent


def _answer(*, consent, case, answer, answered_on, reassessment_date, acting_user):
    if consent.answer:
        raise ValidationError("An answer has already been recorded for this request", code="answered")
    if Consent.objects.filter(case_id=case.pk, pk__gt=consent.pk).exists():
        raise ValidationError("A later consent request has been recorded. Record the answer on that one",
                              code="superseded")
    if case.status != CaseStatus.CONSENT_SOUGHT:
        raise ValidationError(
            f"An answer can only be recorded while consent is being sought. The case is "
            f"‘{case.get_status_display().lower()}’", code="wrong_status")
    consent.answer = answer
    consent.answered_on = answered_on
    consent.save(update_fields=["answer", "answered_on"])
    audit_event_record(action=AuditAction.UPDATE, obj=consent, changed_fields=["answer", "answered_on"],
                       details={"case": case.reference, "answer": answer}, actor=acting_user)
    who = _giver_phrase(consent.giver)
    if answer == ConsentAnswer.GIVEN:
        summary = f"Consent given by {who} on {govuk_date(answered_on)}"
        to_status, changes = CaseStatus.CONSENT_GIVEN, {"reassessment_date": None}
    else:
        summary = (f"Consent refused by {who} on {govuk_date(answered_on)}. Re-assessment on "
                   f"{govuk_date(reassessment_date)}")
        to_status, changes = CaseStatus.CONSENT_REFUSED, {"reassessment_date": reassessment_date}
    chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.CONSENT, obj=consent,
                      summary=summary, recorded_by=acting_user)
    case_transition(case=case, to_status=to_status, acting_user=acting_user, reasons=summary,
                    changes=changes)


def consent_withdraw(
    *, consent: Consent, withdrawn_on: datetime.date | None, reassessment_date: datetime.date | None,
    acting_user, notes: str = "", today: datetime.date | None = None,
) -> Consent:
    """Record that consent given earlier has been withdrawn. Support stops:
    the case moves to "consent refused or withdrawn", with the date the panel
    will re-assess (required, in the future)."""
    today = today or timezone.localdate()
    errors = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = "Enter the date consent was withdrawn"
    else:
        _not_in_future(errors, "withdrawn_on", withdrawn_on, today, "The date consent was withdrawn")
        if consent.answered_on and withdrawn_on < consent.answered_on and "withdrawn_on" not in errors:
            errors["withdrawn_on"] = (f"The date consent was withdrawn must be on or after "
                                      f"{govuk_date(consent.answered_on)}, when it was given")
    problem = _reassessment_error(reassessment_date, today)
    if problem:
        errors["reassessment_date"] = problem
    _raise(errors)
    with transaction.atomic():
        case = ChannelCase.objects.select_for_update().get(pk=consent.case_id)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.answer != ConsentAnswer.GIVEN or consent.withdrawn_on is not None:
            raise ValidationError("Only consent that was given and not withdrawn can be withdrawn",
                                  code="not_given")
        if Consent.objects.filter(case_id=case.pk, pk__gt=consent.pk).exists():
            raise ValidationError("A later consent request has been recorded: this one no longer counts",
                                  code="superseded")
        if case.status not in MAY_WITHDRAW:
            raise ValidationError(
                f"Consent can only be withdrawn while it is given or support is under way. The case is "
                f"‘{case.get_status_display().lower()}’", code="wrong_status")
        was_in_support = case.status == CaseStatus.SUPPORT
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_notes = (notes or "").strip()
        consent.withdrawal_recorded_by = acting_user
        consent.save(update_fields=["withdrawn_on", "withdrawal_notes", "withdrawal_recorded_by"])
        audit_event_record(
            action=AuditAction.UPDATE, obj=consent,
            changed_fields=["withdrawn_on", "withdrawal_recorded_by",
                            *(["withdrawal_notes"] if consent.withdrawal_notes else [])],
            details={"case": case.reference}, actor=acting_user,
        )
        summary = (f"Consent withdrawn on {govuk_date(withdrawn_on)}"
                   f"{': support stopped' if was_in_support else ''}. Re-assessment on "
                   f"{govuk_date(reassessment_date)}")
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.CONSENT, obj=consent,
                          summary=summary, recorded_by=acting_user)
        case_transition(case=case, to_status=CaseStatus.CONSENT_REFUSED, acting_user=acting_user,
                        reasons=summary, changes={"reassessment_date": reassessment_date})
    return consent


def consent_seek_again(*, case: ChannelCase, reasons: str, acting_user) -> ChannelCase:
    """At re-assessment, the panel decides to ask for consent again: the case
    moves from "consent refused or withdrawn" back to "consent being sought"."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "Enter why consent is being sought again"})
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.CONSENT_REFUSED:
            raise ValidationError(
                f"Consent is sought again only after it was refused or withdrawn. The case is "
                f"‘{locked.get_status_display().lower()}’", code="wrong_status")
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.CONSENT,
                          summary="Re-assessment: consent to be sought again", recorded_by=acting_user)
        case_transition(case=locked, to_status=CaseStatus.CONSENT_SOUGHT, acting_user=acting_user,
                        reasons=reasons, changes={"reassessment_date": None})
    case.refresh_from_db()
    return case
