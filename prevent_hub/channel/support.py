"""The support plan, its providers and actions, starting support, and
delivery of support sessions.

The plan holds what s.36(5) of the Counter-Terrorism and Security Act 2015
requires: how, when and by whom consent is to be requested, the nature of the
support, who provides it and how and when it is provided. Support cannot
start without consent given and not withdrawn.

Delivery is tracked session by session. A delivered session moves the case's
`last_session_delivered_on` on, so finding support that may have stopped
("petered out": no delivered session, or none since support started, for more
than SUPPORT_STALLED_WEEKS weeks) is one indexed query, not a scan of sessions.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access import Action, can, scope
from prevent_hub.access.policy import CASE_TEAM_ROLES, ROLE_MATRIX
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.demo import demo_loading
from prevent_hub.core.formatting import govuk_date

from . import consent as consent_rules
from .chronology import chronology_record
from .models import (
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    ChannelCase,
    ChronologyKind,
    PlanAction,
    SessionStatus,
    SupportPlan,
    SupportProvider,
    SupportSession,
)
from .notes import note_add
from .selectors import case_is_open
from .services import TEAM_ROLE_NEEDS, case_team_add, case_transition

PLAN_FIELDS = ("consent_how", "consent_when", "consent_by_whom", "nature_of_support",
               "how_and_when_provided")
DEFAULT_REVIEW_INTERVAL_DAYS = 28
# Sessions are recorded while support is under way (and late, once it has ended).
SESSION_STATUSES = frozenset({CaseStatus.SUPPORT, CaseStatus.CONSENT_REFUSED, CaseStatus.EXITED})


def stalled_weeks() -> int:
    return settings.SUPPORT_STALLED_WEEKS


def stalled_cutoff(today: datetime.date) -> datetime.date:
    """Support whose last delivered session (or start) is before this date may have stopped."""
    return today - datetime.timedelta(weeks=stalled_weeks())


# Reading ---------------------------------------------------------------------------


def cases_support_stalled(*, user, today: datetime.date):
    """Cases `user` may see whose support may have stopped: in support, with
    no delivered session for more than SUPPORT_STALLED_WEEKS weeks (counting
    from support starting when none has been delivered since). Oldest first,
    each with `support_quiet_since` (the date nothing has been delivered since)."""
    cutoff = stalled_cutoff(today)
    return (
        scope(user, ChannelCase.objects.all())
        .filter(status=CaseStatus.SUPPORT, support_started_on__lt=cutoff)
        .filter(Q(last_session_delivered_on__isnull=True) | Q(last_session_delivered_on__lt=cutoff))
        .select_related("person")
        .annotate(support_quiet_since=Greatest(
            Coalesce("last_session_delivered_on", "support_started_on"), "support_started_on"))
        .order_by("support_quiet_since", "pk")
    )


def support_quiet_since(case: ChannelCase) -> datetime.date | None:
    """The date of the last delivered session, or of support starting if
    nothing has been delivered since (None if support has not started)."""
    if case.support_started_on is None:
        return None
    if case.last_session_delivered_on and case.last_session_delivered_on > case.support_started_on:
        return case.last_session_delivered_on
    return case.support_started_on


def support_stalled_since(case: ChannelCase, *, today: datetime.date) -> datetime.date | None:
    """If the case's support may have stopped, the date nothing has been
    delivered since; otherwise None. The same rule as cases_support_stalled."""
    if case.status != CaseStatus.SUPPORT:
        return None
    since = support_quiet_since(case)
    if since is None or since >= stalled_cutoff(today):
        return None
    return since


def support_plan_for(case: ChannelCase) -> SupportPlan | None:
    return SupportPlan.objects.filter(case=case).select_related("updated_by").first()


def providers_for(plan: SupportPlan | None):
    if plan is None:
        return SupportProvider.objects.none()
    return plan.providers.select_related("organisation").order_by("pk")


def actions_for(case: ChannelCase, *, owner=None):
    actions = case.plan_actions.select_related("owner", "done_by").order_by("done_on", "due_date", "pk")
    return actions if owner is None else actions.filter(owner=owner)


def sessions_for(case: ChannelCase):
    return (case.sessions.select_related("provider__organisation", "recorded_by")
            .order_by("-held_on", "-pk"))


# Writing ---------------------------------------------------------------------------


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _lock(case):
    return ChannelCase.objects.select_for_update().get(pk=case.pk)


def support_plan_save(*, case: ChannelCase, acting_user, **fields) -> SupportPlan:
    """Write or update the support plan's s.36(5) contents."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not support plan fields: {sorted(unknown)}")
    values = {name: (fields.get(name) or "").strip() for name in PLAN_FIELDS}
    errors = {}
    if not values["nature_of_support"]:
        errors["nature_of_support"] = "Enter the nature of the support"
    if not values["how_and_when_provided"]:
        errors["how_and_when_provided"] = "Enter how and when the support is provided"
    _raise(errors)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError("The case is closed: its support plan cannot change", code="closed")
        plan = SupportPlan.objects.select_for_update().filter(case=locked).first()
        created = plan is None
        if created:
            plan = SupportPlan(case=locked)
            changed = [name for name, value in values.items() if value]
        else:
            changed = [name for name, value in values.items() if getattr(plan, name) != value]
        for name, value in values.items():
            setattr(plan, name, value)
        plan.updated_at = timezone.now()
        plan.updated_by = acting_user
        plan.save()
        audit_event_record(action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=plan,
                           changed_fields=changed, details={"case": locked.reference}, actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.SUPPORT_PLAN,
                          obj=plan, summary="Support plan written" if created else "Support plan updated",
                          recorded_by=acting_user)
    return plan


def support_provider_add(*, case: ChannelCase, organisation, support_type: str, acting_user,
                         home_office_approved: bool = False) -> SupportProvider:
    """Add an organisation that provides support under the plan."""
    support_type = (support_type or "").strip()
    errors = {}
    if organisation is None:
        errors["organisation"] = "Select the organisation providing support"
    if not support_type:
        errors["support_type"] = "Enter the type of support, for example mentoring"
    if (home_office_approved and organisation is not None
            and organisation.type != OrganisationType.INTERVENTION_PROVIDER):
        errors["home_office_approved"] = ("Only an intervention provider organisation can be a Home "
                                          "Office-approved Intervention Provider")
    _raise(errors)
    with transaction.atomic():
        locked = _lock(case)
        plan = SupportPlan.objects.filter(case=locked).first()
        if plan is None:
            raise ValidationError("Write the support plan before adding who provides support",
                                  code="no_plan")
        provider = SupportProvider.objects.create(plan=plan, organisation=organisation,
                                                  support_type=support_type[:200],
                                                  home_office_approved=bool(home_office_approved))
        audit_event_record(action=AuditAction.CREATE, obj=provider,
                           changed_fields=["organisation", "support_type", "home_office_approved"],
                           details={"case": locked.reference}, actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.SUPPORT_PLAN,
                          obj=provider, summary=f"Support provider added: {organisation.name}",
                          recorded_by=acting_user)
    return provider


def support_provider_remove(*, provider: SupportProvider, acting_user) -> None:
    """Take a provider off the plan (not one that sessions were recorded with:
    delivery history is kept)."""
    with transaction.atomic():
        case = ChannelCase.objects.select_for_update().get(support_plan__providers=provider)
        if provider.sessions.exists():
            raise ValidationError("Sessions have been recorded with this provider, so it stays on the plan",
                                  code="has_sessions")
        name = provider.organisation.name
        audit_event_record(action=AuditAction.DELETE, obj=provider,
                           changed_fields=["organisation", "support_type", "home_office_approved"],
                           details={"case": case.reference}, actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.SUPPORT_PLAN,
                          summary=f"Support provider removed: {name}", recorded_by=acting_user)
        provider.delete()


# Who does an action: on the case team ------------------------------------------

# Roles that see every case whatever its team: an owner with one needs no adding.
SEES_EVERY_CASE = tuple(ROLE_MATRIX[Action.CASE_VIEW] - CASE_TEAM_ROLES)
# The team role offered for an owner not on the team, in this order: the roles
# that see a case only through its team first, as that is what they lack.
TEAM_ROLE_PREFERENCE = (CaseRole.INTERVENTION_PROVIDER, CaseRole.MEMBER, CaseRole.POLICE, CaseRole.CHAIR,
                        CaseRole.COORDINATOR)


@dataclass(frozen=True)
class OwnerTeamCheck:
    """Whether an action's owner is on the case team (or sees every case
    anyway) and, if not, the team role their account allows (None: they
    cannot be on the team at all)."""

    owner: object
    on_team: bool
    role: str | None
    sees_every_case: bool = False

    @property
    def needs_adding(self) -> bool:
        """An owner who sees the case only through its team must be on it, or
        the action never reaches them (a panel member on today's agenda loses
        sight of the case soon after the meeting)."""
        return not self.on_team and not self.sees_every_case

    @property
    def role_label(self) -> str:
        return CaseRole(self.role).label.lower() if self.role else ""

    @property
    def question(self) -> str:
        """What to ask the person giving the action (when `needs_adding` and `role`)."""
        return f"{self.owner.full_name} is not on the case team. Add them as {self.role_label}?"

    @property
    def refusal(self) -> str:
        """Why the action cannot be given as things stand ("" if it can)."""
        if not self.needs_adding:
            return ""
        if self.role is None:
            return (f"{self.owner.full_name} cannot be on the case team: their account has none of the roles "
                    "a team member needs. Choose someone else to do it")
        return (f"{self.owner.full_name} is not on the case team, so the action was not added. Choose "
                f"someone on the team, or add them to it as {self.role_label}")


def action_owner_check(*, case: ChannelCase, owner) -> OwnerTeamCheck:
    """Does `owner` need adding to the team of `case` to see an action on it
    (not on the team, and not in a role that sees every case), and as what
    could they be added? For forms to ask before an action is given (support
    plan and panel decisions alike)."""
    on_team = CaseTeamMember.objects.filter(case_id=case.pk, user_id=owner.pk,
                                            removed_at__isnull=True).exists()
    sees_every_case = owner.is_active and owner.has_role(*SEES_EVERY_CASE)
    role = None
    if not on_team and owner.is_active:
        role = next((role for role in TEAM_ROLE_PREFERENCE if owner.has_role(TEAM_ROLE_NEEDS[role])), None)
    return OwnerTeamCheck(owner=owner, on_team=on_team, role=role, sees_every_case=sees_every_case)


def action_owner_team_settle(*, case: ChannelCase, owner, add_owner_to_team: bool,
                             acting_user) -> CaseTeamMember | None:
    """Inside the caller's transaction: make sure `owner` is on the team of
    `case` before an action is given to them. Adds them (case_team_add) if
    `add_owner_to_team`, in the role their account allows; otherwise, or if
    they cannot be on the team at all, raises a ValidationError on "owner"
    saying why, so the caller's whole transaction rolls back."""
    check = action_owner_check(case=case, owner=owner)
    if not check.needs_adding:
        return None
    if check.role is None or not add_owner_to_team:
        raise ValidationError({"owner": check.refusal}, code="owner_not_on_team")
    return case_team_add(case=case, user=owner, role=check.role, acting_user=acting_user)


# Actions ---------------------------------------------------------------------------


def plan_action_add(*, case: ChannelCase, description: str, owner, due_date: datetime.date | None,
                    acting_user, add_owner_to_team: bool | None = None) -> PlanAction:
    """Give `owner` an action on the case, to do by `due_date`; they are
    emailed (after commit) unless they gave it to themselves.

    `add_owner_to_team`: the answer to "X is not on the case team. Add them?"
    (see action_owner_check). True adds them to the team in the same
    transaction; False refuses to give the action to someone not on the team,
    saving nothing. None (a caller that does not ask) leaves the team as it is."""
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Enter what needs to be done"
    if owner is None:
        errors["owner"] = "Select who will do it"
    if due_date is None:
        errors["due_date"] = "Enter the date it is due"
    _raise(errors)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError("The case is closed: actions cannot be added", code="closed")
        if add_owner_to_team is not None:
            action_owner_team_settle(case=locked, owner=owner, add_owner_to_team=add_owner_to_team,
                                     acting_user=acting_user)
        action = PlanAction.objects.create(case=locked, description=description, owner=owner,
                                           due_date=due_date, created_by=acting_user,
                                           created_at=timezone.now())
        audit_event_record(action=AuditAction.CREATE, obj=action,
                           changed_fields=["description", "owner", "due_date"],
                           details={"case": locked.reference}, actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.SUPPORT_PLAN,
                          obj=action,
                          summary=f"Action added for {owner.full_name}, due {govuk_date(due_date)}",
                          recorded_by=acting_user)
        if owner != acting_user and owner.is_active and owner.email:
            _email_on_commit(action, locked, template="given", kind="given")
    return action


def plan_action_may_complete(user, action: PlanAction) -> bool:
    """The action's owner may mark it done, and so may whoever manages the plan."""
    return action.owner_id == user.pk or can(user, Action.SUPPORT_PLAN_MANAGE, action.case)


def plan_action_complete(*, action: PlanAction, done_on: datetime.date | None, note: str = "",
                         acting_user, today: datetime.date | None = None) -> PlanAction:
    """Mark an action done, by its owner or whoever manages the plan. A note,
    if written, is kept as a case note (on the case's timeline). Submitting
    the same again (a double click) changes nothing; a done action cannot be
    marked done again."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    errors = {}
    if done_on is None:
        errors["done_on"] = "Enter the date it was done"
    elif done_on > today:
        errors["done_on"] = "The date it was done must be today or in the past"
    if len(note) > 5000:
        errors["note"] = "The note must be 5,000 characters or fewer"
    _raise(errors)
    with transaction.atomic():
        case = _lock(action.case)
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        if case.status == CaseStatus.CLOSED:
            raise ValidationError("The case is closed: its actions cannot change", code="closed")
        if not plan_action_may_complete(acting_user, action):
            raise PermissionDenied("Only the action's owner or whoever manages the plan may mark it done")
        if action.done_on is not None:
            if action.done_by_id == acting_user.pk and action.done_on == done_on:
                return action  # the same submission again
            who = f" by {action.done_by.full_name}" if action.done_by else ""
            raise ValidationError(f"This action was already marked as done on {govuk_date(action.done_on)}"
                                  f"{who}", code="done")
        if done_on < action.created_at.date():
            raise ValidationError({"done_on": "The date it was done must be on or after the date the action "
                                              f"was added ({govuk_date(action.created_at.date())})"})
        if note:
            action.done_note = note_add(case=case, acting_user=acting_user,
                                        text=f"Action done on {govuk_date(done_on)}: {action.description}"
                                             f"\n\n{note}")
        action.done_on, action.done_by = done_on, acting_user
        action.save(update_fields=["done_on", "done_by", "done_note"])
        audit_event_record(action=AuditAction.UPDATE, obj=action,
                           changed_fields=["done_on", "done_by", *(["done_note"] if note else [])],
                           details={"case": case.reference}, actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.SUPPORT_PLAN, obj=action,
                          summary=(f"Action of {action.owner.full_name} done on {govuk_date(done_on)}"
                                   + (" (see the note)" if note else "")),
                          recorded_by=acting_user)
    return action


def _review_interval_days() -> int:
    return getattr(settings, "REVIEW_INTERVAL_DAYS", DEFAULT_REVIEW_INTERVAL_DAYS)


def support_start(*, case: ChannelCase, started_on: datetime.date | None, acting_user,
                  today: datetime.date | None = None) -> ChannelCase:
    """Record that support has started. Refused unless the latest consent was
    given and has not been withdrawn. Sets the first review date."""
    today = today or timezone.localdate()
    if started_on is None:
        raise ValidationError({"started_on": "Enter the date support started"})
    if started_on > today:
        raise ValidationError({"started_on": "The date support started must be today or in the past"})
    with transaction.atomic():
        locked = _lock(case)
        latest = consent_rules.consent_latest(locked)
        status = consent_rules.consent_status_of(latest)
        if status != consent_rules.ConsentStatus.GIVEN:
            raise ValidationError(
                f"Support cannot start without consent: {_consent_missing(status)}", code="no_consent")
        if latest.answered_on and started_on < latest.answered_on:
            raise ValidationError({"started_on": f"Support cannot start before consent was given on "
                                                 f"{govuk_date(latest.answered_on)}"})
        missing = plan_missing(locked)
        if missing:
            raise ValidationError(
                f"Support cannot start until the support plan says {missing}", code="no_plan")
        summary = f"Support started on {govuk_date(started_on)}"
        case_transition(
            case=locked, to_status=CaseStatus.SUPPORT, acting_user=acting_user, reasons=summary,
            summary=summary,
            changes={"support_started_on": started_on,
                     "next_review_date": started_on + datetime.timedelta(days=_review_interval_days())},
        )
    case.refresh_from_db()
    return case


PLAN_REQUIRED = {
    "consent_how": "how consent is to be requested",
    "consent_when": "when consent is to be requested",
    "consent_by_whom": "by whom consent is to be requested",
    "nature_of_support": "the nature of the support",
    "how_and_when_provided": "how and when it is provided",
}


def plan_missing(case: ChannelCase) -> str:
    """What the plan still lacks of what s.36(5) requires, in words ("" if
    nothing): its five statements and at least one provider."""
    plan = SupportPlan.objects.filter(case=case).first()
    missing = [words for field, words in PLAN_REQUIRED.items() if not plan or not getattr(plan, field)]
    if plan is None or not plan.providers.exists():
        missing.append("who provides the support")
    if len(missing) > 1:
        return ", ".join(missing[:-1]) + " and " + missing[-1]
    return missing[0] if missing else ""


def _consent_missing(status: str) -> str:
    return {
        consent_rules.ConsentStatus.NOT_ASKED: "consent has not been asked for yet",
        consent_rules.ConsentStatus.SOUGHT: "no answer has been recorded yet",
        consent_rules.ConsentStatus.REFUSED: "consent was refused",
        consent_rules.ConsentStatus.WITHDRAWN: "consent was withdrawn",
    }[status]


def _support_ended_on(case: ChannelCase) -> tuple[datetime.date, str] | None:
    """When support stopped, and why, for a case no longer in support: the
    date consent was withdrawn, or the exit date. Sessions after it would be
    support without consent (or after exit), so they are refused."""
    if case.status == CaseStatus.EXITED and case.exit_date:
        return case.exit_date, "when the case exited"
    if case.status == CaseStatus.CONSENT_REFUSED:
        withdrawn = (case.consents.filter(withdrawn_on__isnull=False).order_by("-pk")
                     .values_list("withdrawn_on", flat=True).first())
        if withdrawn:
            return withdrawn, "when consent was withdrawn"
    return None


def support_session_record(*, case: ChannelCase, held_on: datetime.date | None, status: str, acting_user,
                           provider: SupportProvider | None = None, notes: str = "",
                           today: datetime.date | None = None) -> SupportSession:
    """Record a support session: delivered, missed or cancelled. A delivered
    session moves the case's last delivered date on (the stalled-support flag)."""
    today = today or timezone.localdate()
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the session"
    elif held_on > today:
        errors["held_on"] = "The date of the session must be today or in the past"
    if status not in SessionStatus.values:
        errors["status"] = "Select whether the session was delivered, missed or cancelled"
    _raise(errors)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status not in SESSION_STATUSES or locked.support_started_on is None:
            raise ValidationError("Sessions can be recorded once support has started", code="not_started")
        if held_on < locked.support_started_on:
            raise ValidationError({"held_on": f"The date of the session must be on or after "
                                              f"{govuk_date(locked.support_started_on)}, when support "
                                              f"started"})
        ended = _support_ended_on(locked)
        if ended is not None and held_on > ended[0]:
            raise ValidationError({"held_on": f"Support stopped on {govuk_date(ended[0])}, {ended[1]}: a "
                                              f"session after that date cannot be recorded"},
                                  code="after_support")
        if provider is not None and not SupportProvider.objects.filter(pk=provider.pk,
                                                                       plan__case=locked).exists():
            raise ValidationError({"provider": "Select a provider on this case's support plan"})
        session = SupportSession.objects.create(
            case=locked, provider=provider, held_on=held_on, status=status, notes=(notes or "").strip(),
            recorded_by=acting_user, recorded_at=timezone.now(),
        )
        changed = ["held_on", "status", *(["provider"] if provider else []),
                   *(["notes"] if session.notes else [])]
        audit_event_record(action=AuditAction.CREATE, obj=session, changed_fields=changed,
                           details={"case": locked.reference, "status": status}, actor=acting_user)
        if status == SessionStatus.DELIVERED and (locked.last_session_delivered_on is None
                                                  or held_on > locked.last_session_delivered_on):
            locked.last_session_delivered_on = held_on
            locked.save(update_fields=["last_session_delivered_on"])
            audit_event_record(action=AuditAction.UPDATE, obj=locked,
                               changed_fields=["last_session_delivered_on"],
                               details={"reference": locked.reference}, actor=acting_user)
        chronology_record(
            case=locked, person_id=locked.person_id, kind=ChronologyKind.SESSION, obj=session,
            summary=f"Support session on {govuk_date(held_on)}: {SessionStatus(status).label.lower()}",
            recorded_by=acting_user,
        )
    return session


# Emails to action owners ---------------------------------------------------------


def _email_on_commit(action: PlanAction, case: ChannelCase, *, template: str, kind: str) -> None:
    """Email the action's owner once the transaction commits: the case
    reference and dates only, nothing about the person or the action."""
    if demo_loading():
        return
    context = {
        "case_reference": case.reference, "due": govuk_date(action.due_date), "overdue": kind == "overdue",
        "link": settings.SERVICE_BASE_URL.rstrip("/") + reverse("channel:my-tasks"),
        "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME,
    }
    subject = render_to_string(f"channel/support/emails/{template}_subject.txt", context)
    subject = "".join(subject.splitlines())
    body = render_to_string(f"channel/support/emails/{template}.txt", context)
    email = action.owner.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))


def _action_reminder_kind(action: PlanAction, today: datetime.date) -> str:
    """"overdue" once past its due date (if not yet said), "due" on the day
    it falls due (if not yet said), else ""."""
    if action.done_on is not None:
        return ""
    if action.due_date < today:
        return "overdue" if action.overdue_reminder_sent_at is None else ""
    if action.due_date == today and action.due_reminder_sent_at is None:
        return "due"
    return ""


def plan_action_reminder_send(*, action_id: int, now: datetime.datetime | None = None) -> bool:
    """Tell the owner of `action_id` it is due today or overdue, once each.
    The row is locked and marked in one transaction, so two runs send once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        action = (PlanAction.objects.select_for_update(of=("self",)).select_related("case", "owner")
                  .get(pk=action_id))
        kind = _action_reminder_kind(action, today)
        still_open = ChannelCase.objects.filter(case_is_open(), pk=action.case_id).exists()
        if not kind or not action.owner.is_active or not still_open:
            return False
        field = "due_reminder_sent_at" if kind == "due" else "overdue_reminder_sent_at"
        setattr(action, field, now)
        action.save(update_fields=[field])
        case = action.case
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.EMAIL, obj=action,
                          summary=(f"Reminder sent to {action.owner.full_name}: action "
                                   + ("due today" if kind == "due"
                                      else f"overdue (was due {govuk_date(action.due_date)})")))
        audit_event_record(action=AuditAction.UPDATE, obj=action, changed_fields=[field],
                           details={"case": case.reference, "reminder": kind})
        _email_on_commit(action, case, template="action", kind=kind)
    return True


def plan_action_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The daily sweep over open actions (support plan and panel actions):
    owners are told on the day an action falls due, and again once it is
    overdue. Returns how many reminders were sent; running twice sends no more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (PlanAction.objects.filter(done_on__isnull=True, due_date__lte=today)
                  .filter(Q(due_date=today, due_reminder_sent_at__isnull=True)
                          | Q(due_date__lt=today, overdue_reminder_sent_at__isnull=True))
                  .filter(case_is_open("case__"))
                  .order_by("due_date", "pk").values_list("pk", flat=True))
    return sum(plan_action_reminder_send(action_id=pk, now=now) for pk in list(candidates))
