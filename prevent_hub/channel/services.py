"""Every change to a Channel case. Opening one is the first: it happens when
the police gateway decides a referral should proceed to Channel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from . import lifecycle
from .chronology import chronology_record
from .models import (
    Area,
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    ChronologyKind,
    ClosureReason,
    NotAdoptedOutcome,
)
from .retention import case_retention


def case_reference_for(case: ChannelCase) -> str:
    """CH-<year opened>-<number>: numbered from the row's own id, as referral
    references are, so issuing one never waits for another case."""
    return f"CH-{timezone.localtime(case.opened_at):%Y}-{case.pk:06d}"


def case_open_from_referral(*, referral, acting_user) -> ChannelCase:
    """Open the Channel case for `referral` (whose person has been identified).

    Runs in the caller's transaction (the gateway outcome's), so the outcome
    and the case are recorded together or not at all.
    """
    if referral.person_id is None:
        raise ValidationError(
            {"person": "Identify the person before opening a Channel case"}, code="person_needed")
    if ChannelCase.objects.filter(referral=referral).exists():
        raise ValidationError(
            {"referral": "A Channel case is already open for this referral"}, code="case_exists")
    with transaction.atomic():
        case = ChannelCase(
            person_id=referral.person_id,
            referral=referral,
            status=CaseStatus.SCREENING,
            opened_at=timezone.now(),
            opened_by=acting_user,
        )
        # Unique placeholder until the row has the id the reference is made from.
        case.reference = f"PENDING-{referral.pk}"
        case.save()
        case.reference = case_reference_for(case)
        case.save(update_fields=["reference"])
        audit_event_record(
            action=AuditAction.CREATE, obj=case,
            changed_fields=["person", "referral", "status", "opened_at", "opened_by"],
            details={"reference": case.reference, "referral": referral.reference},
            actor=acting_user,
        )
        chronology_record(
            case=case, person_id=case.person_id, kind=ChronologyKind.DECISION, obj=referral,
            summary=f"Gateway outcome: proceed to Channel. Case {case.reference} opened "
                    f"from referral {referral.reference}",
            recorded_by=acting_user,
        )
    return case


RESTRICTED = ("Processing of this person’s records is restricted at their request, so the case cannot "
              "change until the restriction is lifted")


def case_transition(*, case: ChannelCase, to_status: CaseStatus, reasons: str, acting_user,
                    changes: dict | None = None, summary: str = "") -> ChannelCase:
    """Move `case` to `to_status`, if the lifecycle allows it, with `changes`
    (other case fields set in the same move). Records who, when and why
    (CaseTransition), a timeline entry and an audit event, in one transaction.

    Raises ValidationError (on "status") for a move the lifecycle forbids, and
    (on "reasons") for closing without reasons. Services for particular
    decisions (adopt, consent, exit, close...) check their own rules and then
    call this; nothing else changes a case's status.
    """
    changes = dict(changes or {})
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().select_related("person").get(pk=case.pk)
        if locked.person.restricted_at is not None:
            raise ValidationError({"status": RESTRICTED}, code="restricted")
        if not lifecycle.is_allowed(locked.status, to_status):
            raise ValidationError({"status": lifecycle.refusal_message(locked.status, to_status)},
                                  code="transition_not_allowed")
        reasons = (reasons or "").strip()
        if to_status == CaseStatus.CLOSED and not reasons:
            raise ValidationError({"reasons": "Enter the reasons for closing the case"},
                                  code="reasons_needed")
        now = timezone.now()
        from_status = locked.status
        locked.status = to_status
        locked.status_changed_at = now
        if to_status == CaseStatus.CLOSED:
            changes.setdefault("closed_at", now)
            changes.setdefault("closure_details", reasons)
        changes = {**_schedule_cleared(locked, to_status, acting_user), **changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.retain_until, locked.retention_policy = case_retention(locked, timezone.localdate(now))
        locked.full_clean(exclude=["referral", "person", "opened_by", "retention_policy"])
        locked.save()
        transition = CaseTransition.objects.create(
            case=locked, from_status=from_status, to_status=to_status, occurred_at=now,
            by=acting_user, reasons=reasons,
        )
        chronology_record(
            case=locked, person_id=locked.person_id, kind=ChronologyKind.STATUS, obj=transition,
            summary=summary or f"{CaseStatus(from_status).label} → {CaseStatus(to_status).label}",
            recorded_by=acting_user, occurred_at=now,
        )
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked,
            changed_fields=["status", "status_changed_at", *changes, "retain_until"],
            details={"from": str(from_status), "to": str(to_status)},
            actor=acting_user,
        )
    case.refresh_from_db()
    return case


def _schedule_cleared(case: ChannelCase, to_status: str, acting_user) -> dict:
    """What a move to `to_status` leaves no longer due, so nothing stays on
    a dashboard, task list or agenda once it cannot happen: scheduled panel
    reviews only while support is under way (once consent is refused or
    withdrawn, the re-assessment date the panel set is what is due), and a
    re-assessment date only while consent is refused. Unheld reviews are
    deleted (audited); returns the case fields to clear. Closing keeps the
    record as it stood (a transfer bundle says what was due next); nothing
    about a closed case is counted as due anywhere."""
    from .models import Review, ReviewKind

    if to_status == CaseStatus.CLOSED:
        return {}
    cleared = {}
    if to_status != CaseStatus.SUPPORT:
        unheld = Review.objects.filter(case=case, kind=ReviewKind.PANEL_REVIEW, completed_on__isnull=True)
        for review in unheld:
            audit_event_record(action=AuditAction.DELETE, obj=review, changed_fields=["due_date"],
                               details={"case": case.reference, "why": f"case now {to_status}"},
                               actor=acting_user)
            review.delete()
        if case.next_review_date is not None:
            cleared["next_review_date"] = None
    if to_status != CaseStatus.CONSENT_REFUSED and case.reassessment_date is not None:
        cleared["reassessment_date"] = None
    return cleared


# Lifecycle decisions ------------------------------------------------------------------
#
# One service per decision the panel or coordinator takes. Each checks its own
# rules (what the law and guidance require the decision to record), then moves
# the case through `case_transition`, in one transaction. DECISIONS lists them
# so the case page can offer the steps the lifecycle allows from where the case
# is; decisions about consent, support, exit and transfer live with those parts.

def _required_reasons(reasons: str, message: str = "Enter the reasons for the decision") -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": message}, code="reasons_needed")
    return reasons


def case_discussed_record(*, case: ChannelCase, discussed_on) -> None:
    """Note that a panel discussed the case on `discussed_on`, keeping the
    earliest such day (the statistics count a case discussed once). Called by
    the panel services inside the transaction that records the decision,
    whose audit event covers it."""
    ChannelCase.objects.filter(pk=case.pk).filter(
        Q(first_discussed_on__isnull=True) | Q(first_discussed_on__gt=discussed_on)
    ).update(first_discussed_on=discussed_on)


def case_send_to_panel(*, case: ChannelCase, reasons: str, acting_user) -> ChannelCase:
    """Screening is done: the case waits for the panel's decision."""
    reasons = _required_reasons(reasons, "Enter why the case is ready for the panel")
    with transaction.atomic():
        return case_transition(case=case, to_status=CaseStatus.AWAITING_PANEL, reasons=reasons,
                               acting_user=acting_user, summary="Sent to the Channel panel")


def case_return_to_screening(*, case: ChannelCase, reasons: str, acting_user) -> ChannelCase:
    """The panel wants more information before deciding."""
    reasons = _required_reasons(reasons, "Enter what more information the panel needs")
    with transaction.atomic():
        return case_transition(case=case, to_status=CaseStatus.SCREENING, reasons=reasons,
                               acting_user=acting_user,
                               summary="Returned to screening for more information")


def case_not_adopted(*, case: ChannelCase, outcome: str, signposted_to: str = "",
                     health_social_care_considered: bool | None, health_social_care_notes: str,
                     reasons: str, acting_user) -> ChannelCase:
    """The panel decides not to adopt the case. The law says the panel must
    consider referring the person to health or social care services: that it
    did, and where or why not, are recorded with the outcome."""
    errors = {}
    if outcome not in NotAdoptedOutcome.values:
        errors["outcome"] = "Select the outcome"
    signposted_to = (signposted_to or "").strip()
    if outcome == NotAdoptedOutcome.SIGNPOSTED and not signposted_to:
        errors["signposted_to"] = "Enter the service the person was signposted to"
    if health_social_care_considered is not True:
        errors["health_social_care_considered"] = (
            "The panel must consider referring the person to health or social care services: "
            "confirm it did")
    health_social_care_notes = (health_social_care_notes or "").strip()
    if not health_social_care_notes:
        errors["health_social_care_notes"] = (
            "Enter where the person was referred for health or social care, or why they were not")
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the panel's reasons for not adopting the case"
    if errors:
        raise ValidationError(errors, code="not_adopted_incomplete")
    with transaction.atomic():
        return case_transition(
            case=case, to_status=CaseStatus.NOT_ADOPTED, reasons=reasons.strip(), acting_user=acting_user,
            changes={
                "not_adopted_outcome": outcome,
                "not_adopted_signposted_to": signposted_to if outcome == NotAdoptedOutcome.SIGNPOSTED
                else "",
                "health_social_care_considered": True,
                "health_social_care_notes": health_social_care_notes,
            },
            summary=f"Not adopted by the panel: {NotAdoptedOutcome(outcome).label.lower()}",
        )


def case_adopt(*, case: ChannelCase, adopted_on, reasons: str, acting_user) -> ChannelCase:
    """The panel adopts the case."""
    errors = {}
    if adopted_on is None:
        errors["adopted_on"] = "Enter the date the panel adopted the case"
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = "The date the panel adopted the case must be today or in the past"
    elif adopted_on < timezone.localtime(case.opened_at).date():
        errors["adopted_on"] = "The date the panel adopted the case must be on or after the case was opened"
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the panel's reasons for adopting the case"
    if errors:
        raise ValidationError(errors, code="adoption_incomplete")
    with transaction.atomic():
        return case_transition(case=case, to_status=CaseStatus.ADOPTED, reasons=reasons.strip(),
                               acting_user=acting_user, changes={"adopted_on": adopted_on},
                               summary="Adopted by the Channel panel")


def case_seek_consent(*, case: ChannelCase, reasons: str, acting_user) -> ChannelCase:
    """Start asking for consent (after adoption, or again after a refusal at
    the re-assessment date). The request and its answer are recorded on the
    consent page."""
    reasons = _required_reasons(reasons, "Enter how and by whom consent will be sought")
    with transaction.atomic():
        return case_transition(case=case, to_status=CaseStatus.CONSENT_SOUGHT, reasons=reasons,
                               acting_user=acting_user, summary="Consent being sought")


# Cases with support planned or under way close only for a reason given in words
# (or on transfer); a case not adopted closes as not adopted.
ACTIVE_STATUSES = frozenset({CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL, CaseStatus.ADOPTED,
                             CaseStatus.CONSENT_SOUGHT, CaseStatus.CONSENT_GIVEN, CaseStatus.SUPPORT})


def closure_reasons_allowed(status: str) -> list[ClosureReason]:
    """The closure reasons that fit a case in `status`."""
    if status == CaseStatus.NOT_ADOPTED:
        return [ClosureReason.NOT_ADOPTED]
    if status == CaseStatus.CONSENT_REFUSED:
        return [ClosureReason.CONSENT_REFUSED, ClosureReason.TRANSFERRED, ClosureReason.OTHER]
    if status == CaseStatus.EXITED:
        return [ClosureReason.POST_EXIT_REVIEWS_DONE, ClosureReason.TRANSFERRED, ClosureReason.OTHER]
    if status in ACTIVE_STATUSES:
        return [ClosureReason.TRANSFERRED, ClosureReason.OTHER]
    return []


def case_close(*, case: ChannelCase, reason: str, details: str, acting_user) -> ChannelCase:
    """Close the case, for a reason that fits where it is, with the reasons in
    words. Closing after exit as "post-exit reviews completed" needs both
    post-exit reviews done."""
    from .models import Review, ReviewKind

    errors = {}
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError({"status": lifecycle.refusal_message(locked.status, CaseStatus.CLOSED)},
                                  code="transition_not_allowed")
        allowed = closure_reasons_allowed(locked.status)
        if reason not in ClosureReason.values:
            errors["reason"] = "Select why the case is closing"
        elif reason not in allowed:
            labels = ", ".join(f"‘{choice.label.lower()}’" for choice in allowed)
            errors["reason"] = (f"A case that is ‘{locked.get_status_display().lower()}’ can only close "
                                f"for these reasons: {labels}")
        elif reason == ClosureReason.POST_EXIT_REVIEWS_DONE:
            done = set(Review.objects.filter(case=locked, kind=ReviewKind.POST_EXIT,
                                             completed_on__isnull=False)
                       .values_list("months_after_exit", flat=True))
            if not {6, 12} <= done:
                errors["reason"] = ("Record both post-exit reviews (6 and 12 months after exit) before "
                                    "closing the case for this reason")
        if not (details or "").strip():
            errors["details"] = "Enter the reasons for closing the case"
        if errors:
            raise ValidationError(errors, code="closure_incomplete")
        return case_transition(
            case=case, to_status=CaseStatus.CLOSED, reasons=details.strip(), acting_user=acting_user,
            changes={"closure_reason": reason, "closure_details": details.strip()},
            summary=f"Case closed: {ClosureReason(reason).label.lower()}",
        )


class Decision:
    """A decision the case page can offer: its slug (in the URL), the status it
    moves the case to, what the button says, and the service."""

    def __init__(self, slug, to_status, label, service, *, from_statuses=None, warning=False):
        self.slug, self.to_status, self.label, self.service = slug, to_status, label, service
        self.from_statuses = from_statuses
        self.warning = warning

    def offered_from(self, status) -> bool:
        if self.from_statuses is not None and status not in self.from_statuses:
            return False
        return lifecycle.is_allowed(status, self.to_status)


DECISIONS: dict[str, Decision] = {
    decision.slug: decision for decision in [
        Decision("send-to-panel", CaseStatus.AWAITING_PANEL, "Send to the panel", case_send_to_panel),
        Decision("return-to-screening", CaseStatus.SCREENING, "Return to screening",
                 case_return_to_screening),
        Decision("seek-consent", CaseStatus.CONSENT_SOUGHT, "Start seeking consent", case_seek_consent),
        Decision("close", CaseStatus.CLOSED, "Close the case", case_close, warning=True),
    ]
}


def decisions_offered(case: ChannelCase) -> list[Decision]:
    """The decisions (of those above) the lifecycle allows from where `case` is."""
    return [decision for decision in DECISIONS.values() if decision.offered_from(case.status)]


# The case team -----------------------------------------------------------------------

# The role a user must hold to be on a case team in each case role.
TEAM_ROLE_NEEDS = {
    CaseRole.COORDINATOR: Role.PREVENT_COORDINATOR,
    CaseRole.CHAIR: Role.CHANNEL_CHAIR,
    CaseRole.POLICE: Role.POLICE_PRACTITIONER,
    CaseRole.MEMBER: Role.PANEL_MEMBER,
    CaseRole.INTERVENTION_PROVIDER: Role.INTERVENTION_PROVIDER,
}


def case_team_add(*, case: ChannelCase, user, role: str, acting_user) -> CaseTeamMember:
    """Put `user` on the case's team in `role` (which their account's roles
    must allow). Panel members and intervention providers see the case from
    now on."""
    errors = {}
    if role not in CaseRole.values:
        errors["role"] = "Select the person's role in the case"
    if user is None:
        errors["user"] = "Select the person to add"
    elif role in CaseRole.values and not (user.is_active and user.has_role(TEAM_ROLE_NEEDS[role])):
        errors["user"] = (f"{user.full_name} does not have the "
                          f"‘{TEAM_ROLE_NEEDS[role].label.lower()}’ role, so cannot be on the team as "
                          f"‘{CaseRole(role).label.lower()}’")
    if errors:
        raise ValidationError(errors, code="team_member_invalid")
    with transaction.atomic():
        ChannelCase.objects.select_for_update().only("pk").get(pk=case.pk)
        if CaseTeamMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
            raise ValidationError({"user": f"{user.full_name} is already on the case team"},
                                  code="already_on_team")
        member = CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                               added_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=member, changed_fields=["case", "user", "role"],
                           details={"case": case.reference, "user": user.pk, "role": role},
                           actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.DECISION, obj=member,
                          summary=f"{user.full_name} added to the case team "
                                  f"({CaseRole(role).label.lower()})",
                          recorded_by=acting_user, occurred_at=member.added_at)
    return member


def case_team_remove(*, member: CaseTeamMember, acting_user) -> CaseTeamMember:
    """Take a member off the team. They lose access to the case at once; the
    membership row stays, as the record of who was on the team and when."""
    with transaction.atomic():
        locked = CaseTeamMember.objects.select_for_update().select_related("case", "user").get(pk=member.pk)
        if locked.removed_at is not None:
            return locked
        locked.removed_at = timezone.now()
        locked.removed_by = acting_user
        locked.save(update_fields=["removed_at", "removed_by"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=["removed_at", "removed_by"],
                           details={"case": locked.case.reference, "user": locked.user_id},
                           actor=acting_user)
        chronology_record(case=locked.case, person_id=locked.case.person_id, kind=ChronologyKind.DECISION,
                          obj=locked, summary=f"{locked.user.full_name} removed from the case team",
                          recorded_by=acting_user, occurred_at=locked.removed_at)
    return locked


# The person's area -------------------------------------------------------------------


def case_area_set(*, case: ChannelCase, area: Area | None, acting_user) -> ChannelCase:
    """Record the area the person lives in (an area a panel serves, or None
    for the area of whichever panel discusses the case). The police
    representative a panel decision needs is the one for this area."""
    if area is not None and not area.is_active:
        raise ValidationError({"area": "Select one of the areas the panels serve"}, code="unknown_area")
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if locked.area_id == (area.pk if area else None):
            return locked
        locked.area = area
        locked.save(update_fields=["area"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=["area"],
                           details={"reference": locked.reference}, actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.DECISION,
                          summary=f"Area recorded: {area.name}" if area else "Area cleared",
                          recorded_by=acting_user)
    case.refresh_from_db()
    return case


def cases_person_move(*, from_person_id: int, to_person_id: int, case_ids=None, entry_ids=None,
                      acting_user) -> dict[str, list[int]]:
    """Move Channel cases and timeline entries from one person record to
    another, when a coordinator merges two records of one person or undoes
    that (people.services). With no ids, everything of `from_person_id`
    moves; with ids, only those still on it (so undoing a merge takes back
    exactly what the merge brought). Returns the ids moved. Runs in the
    caller's transaction, which writes the audit event for the whole merge;
    each case moved gets its own."""
    with transaction.atomic():
        cases = ChannelCase.objects.select_for_update().filter(person_id=from_person_id)
        entries = ChronologyEntry.objects.filter(person_id=from_person_id)
        if case_ids is not None:
            cases = cases.filter(pk__in=case_ids)
        if entry_ids is not None:
            entries = entries.filter(pk__in=entry_ids)
        moved_cases = sorted(cases.values_list("pk", flat=True))
        moved_entries = sorted(entries.values_list("pk", flat=True))
        ChannelCase.objects.filter(pk__in=moved_cases).update(person_id=to_person_id)
        ChronologyEntry.objects.filter(pk__in=moved_entries).update(person_id=to_person_id)
        for case in ChannelCase.objects.filter(pk__in=moved_cases):
            audit_event_record(action=AuditAction.UPDATE, obj=case, changed_fields=["person"],
                               details={"from_person": from_person_id, "to_person": to_person_id},
                               actor=acting_user)
    return {"cases": moved_cases, "chronology": moved_entries}
