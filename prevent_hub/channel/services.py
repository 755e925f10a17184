"""Every change to a Channel case. Opening one is the first: it happens when
the police gateway decides a referral should proceed to Channel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record, audit_events_record_many

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
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
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


# Cases imported from the council's earlier records ----------------------------------

# How recently a case must have exited for its post-exit reviews (at 6 and 12
# months) still to be ahead: an older exit is imported closed.
POST_EXIT_REVIEWS_MONTHS = 12
IMPORTED_NOTE = "Recorded in the council's earlier records (imported)."
IMPORTED_GIVER_NAME = "Not recorded: see the earlier records"


def imported_case_status(*, first_discussed_on, adopted_on, exit_date, consent: str, today) -> CaseStatus:
    """Where an imported case stands, from what the earlier records say:
    never discussed at panel (screening), discussed and not adopted, adopted
    (and consent given or refused/withdrawn), exited (post-exit reviews still
    ahead) or closed (exited long enough ago that they are behind it). Each is
    a status the lifecycle reaches; the case goes on from it as any other."""
    from prevent_hub.core.dates import add_months

    if exit_date is not None:
        if exit_date > add_months(today, -POST_EXIT_REVIEWS_MONTHS):
            return CaseStatus.EXITED
        return CaseStatus.CLOSED
    if adopted_on is not None:
        if consent == "given":
            return CaseStatus.CONSENT_GIVEN
        if consent in ("refused", "withdrawn"):
            return CaseStatus.CONSENT_REFUSED
        return CaseStatus.ADOPTED
    if first_discussed_on is not None:
        return CaseStatus.NOT_ADOPTED
    return CaseStatus.SCREENING


def cases_import_many(*, cases: list[dict], acting_user, details: dict | None = None) -> list[ChannelCase]:
    """Open the Channel cases of imported referrals (legacy_import), already
    checked: each dict holds `referral` (decided "proceed to Channel", its
    person recorded), `first_discussed_on`, `adopted_on`, `exit_date` (dates
    or None) and `consent` ("given", "refused", "withdrawn", "not_sought" or
    ""). The status is `imported_case_status`'s; consent given, refused or
    withdrawn is recorded as asked when the case was adopted, by the previous
    system; the retention date is the policy's for how the case ended. One
    timeline entry and one audit event per case and consent, in the caller's
    transaction. `acting_user` is named as having opened the case and
    recorded the consent (the earlier records do not say who did)."""
    now = timezone.now()
    today = timezone.localdate(now)
    made, kept = [], {}
    for row in cases:
        referral = row["referral"]
        status = imported_case_status(first_discussed_on=row["first_discussed_on"],
                                      adopted_on=row["adopted_on"], exit_date=row["exit_date"],
                                      consent=row.get("consent") or "", today=today)
        case = ChannelCase(
            person_id=referral.person_id, referral=referral, status=status, opened_at=referral.received_at,
            opened_by=acting_user, first_discussed_on=row["first_discussed_on"], adopted_on=row["adopted_on"],
            exit_date=row["exit_date"], reference=f"PENDING-{referral.pk}")
        if row["exit_date"] is not None:
            case.exit_reasons = IMPORTED_NOTE
        if status == CaseStatus.CLOSED:
            case.closed_at = now
            case.closure_reason = ClosureReason.OTHER
            case.closure_details = ("Exited in the council's earlier records and imported closed: its "
                                    "post-exit reviews are recorded there.")
        ended_on = row["exit_date"] or row["adopted_on"] or row["first_discussed_on"] or today
        case.status_changed_at = now
        # The same ending on the same day is kept until the same day: asked once.
        key = (status, case.closure_reason, case.exit_date, ended_on)
        if key not in kept:
            kept[key] = case_retention(case, ended_on)
        case.retain_until, case.retention_policy = kept[key]
        made.append(case)
    with transaction.atomic():
        made = ChannelCase.objects.bulk_create(made, batch_size=1000)
        for case in made:
            case.reference = case_reference_for(case)
        ChannelCase.objects.bulk_update(made, ["reference"], batch_size=1000)
        consents = []
        for case, row in zip(made, cases, strict=True):
            answer = row.get("consent") or ""
            if answer not in ("given", "refused", "withdrawn"):
                continue
            age = row["referral"].age_at_referral
            consents.append(Consent(
                case=case, giver=ConsentGiver.PARENT_OR_GUARDIAN if age is not None and age < 18
                else ConsentGiver.PERSON, giver_name=IMPORTED_GIVER_NAME, asked_by=acting_user,
                method=ConsentMethod.PREVIOUS_SYSTEM, asked_on=case.adopted_on,
                answer=ConsentAnswer.REFUSED if answer == "refused" else ConsentAnswer.GIVEN,
                answered_on=case.adopted_on, notes=IMPORTED_NOTE,
                withdrawn_on=(case.exit_date or case.adopted_on) if answer == "withdrawn" else None,
                withdrawal_recorded_by=acting_user if answer == "withdrawn" else None,
                recorded_by=acting_user, recorded_at=now))
        consents = Consent.objects.bulk_create(consents, batch_size=1000)
        ChronologyEntry.objects.bulk_create([
            ChronologyEntry(case=case, person_id=case.person_id, occurred_at=case.opened_at,
                            kind=ChronologyKind.DECISION, recorded_by=acting_user,
                            object_type=ChannelCase._meta.label_lower, object_id=str(case.pk),
                            summary=f"Case {case.reference} imported from the council's earlier records "
                                    f"({CaseStatus(case.status).label.lower()})")
            for case in made], batch_size=1000)
        audit_events_record_many(
            [{"action": AuditAction.CREATE, "obj": case,
              "changed_fields": ["person", "referral", "status", "opened_at", "opened_by"]
              + [field for field in ("first_discussed_on", "adopted_on", "exit_date", "closure_reason",
                                     "retain_until") if getattr(case, field)],
              "details": {**(details or {}), "reference": case.reference, "imported": True}}
             for case in made]
            + [{"action": AuditAction.CREATE, "obj": consent,
                "changed_fields": ["method", "asked_on", "answer", "answered_on"]
                + (["withdrawn_on"] if consent.withdrawn_on else []),
                "details": {**(details or {}), "case": consent.case.reference, "imported": True}}
               for consent in consents], actor=acting_user)
    return made


def imported_referrals_on_timelines(*, referrals: list, acting_user) -> int:
    """Each imported referral on its person's timeline, as linking a referral
    to a person puts it there (channel.receivers), dated when it was
    received. One INSERT per batch."""
    from prevent_hub.core.formatting import govuk_date

    return len(ChronologyEntry.objects.bulk_create([
        ChronologyEntry(person_id=referral.person_id, occurred_at=referral.received_at,
                        kind=ChronologyKind.REFERRAL, recorded_by=acting_user,
                        object_type=referral._meta.label_lower, object_id=str(referral.pk),
                        summary=f"Referral {referral.reference} received {govuk_date(referral.received_at)} "
                                "imported from the council's earlier records")
        for referral in referrals if referral.person_id], batch_size=1000))
