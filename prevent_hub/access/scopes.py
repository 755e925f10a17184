"""Queryset filters for every model that holds personal data.

Keyed by model label so this module needs no model imports at load time. A
model without an entry cannot be listed through `access.scope`.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .policy import ROLE_MATRIX, Action
from .roles import Role


def _users(user, queryset):
    """System administrators and auditors see every account; everyone else only their own."""
    if user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR):
        return queryset
    return queryset.filter(pk=user.pk)


def _audit_events(user, queryset):
    """Auditors see every audit event; others see none except through "who has
    accessed this record" on records they can see."""
    if user.has_role(Role.AUDITOR):
        return queryset
    return queryset.none()


def _referrals(user, queryset):
    """Prevent coordinators see every referral; police practitioners see the
    referrals the council has shared with police; nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR):
        return queryset
    if user.has_role(Role.POLICE_PRACTITIONER):
        return queryset.filter(police_shared_at__isnull=False)
    return queryset.none()


def _people(user, queryset):
    """Prevent coordinators see every person record; police practitioners see
    people with a referral shared with police; nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR):
        return queryset
    if user.has_role(Role.POLICE_PRACTITIONER):
        return queryset.filter(referrals__police_shared_at__isnull=False).distinct()
    return queryset.none()


def meetings_invited_to(user):
    """The panel meetings `user` is invited to: every meeting of a panel
    they are a standing member of (while they are), the meetings with an item
    they are invited for, and those they are recorded as attending."""
    meeting = apps.get_model("panels", "PanelMeeting")
    return meeting.objects.filter(
        Q(panel__members__user=user, panel__members__removed_at__isnull=True)
        | Q(items__invitees__user=user)
        | Q(attendance__user=user)
    ).distinct()


def agenda_case_ids(user, today=None):
    """Agenda items (their `case_id`s) that let a panel member see a case: on
    a meeting that is not cancelled nor more than PANEL_CASE_ACCESS_DAYS past,
    for which they are a standing member of the panel or invited to the item."""
    item = apps.get_model("panels", "AgendaItem")
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=settings.PANEL_CASE_ACCESS_DAYS)
    return (item.objects.filter(meeting__date__gte=since).exclude(meeting__status="cancelled")
            .filter(Q(meeting__panel__members__user=user, meeting__panel__members__removed_at__isnull=True)
                    | Q(invitees__user=user))
            .values("case_id"))


def _channel_cases(user, queryset):
    """Prevent coordinators, Channel panel chairs and police practitioners see
    every Channel case; panel members and intervention providers see the cases
    whose team they are on, while they are on it, and panel members also the
    cases on the agenda of a meeting they are invited to, from when the case
    is put on the agenda until PANEL_CASE_ACCESS_DAYS after the meeting;
    nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER):
        return queryset
    if user.has_role(Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER):
        on_team = Q(pk__in=apps.get_model("channel", "CaseTeamMember").objects
                    .filter(user=user, removed_at__isnull=True).values("case_id"))
        if user.has_role(Role.PANEL_MEMBER):
            on_team |= Q(pk__in=agenda_case_ids(user))
        return queryset.filter(on_team)
    return queryset.none()


def _panel_meetings(user, queryset):
    """Prevent coordinators and Channel panel chairs see every panel meeting;
    police practitioners and panel members see the meetings they are invited
    to (standing members of the panel, people invited for an item, and those
    recorded as attending); nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR):
        return queryset
    if user.has_role(Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER):
        return queryset.filter(pk__in=meetings_invited_to(user).values("pk"))
    return queryset.none()


def _api_tokens(user, queryset):
    """System administrators see every partner API token; everyone else only
    tokens that act for them."""
    if user.has_role(Role.SYSTEM_ADMINISTRATOR):
        return queryset
    return queryset.filter(user=user)


def _by_action(action, doc):
    """Everyone whose role may take `action` sees every row, nobody else any
    (records management: legal holds, retention runs)."""

    def scope_rows(user, queryset):
        if user.has_role(*ROLE_MATRIX[action]):
            return queryset
        return queryset.none()

    scope_rows.__doc__ = doc
    return scope_rows


_legal_holds = _by_action(Action.LEGAL_HOLD_MANAGE, (
    "Data protection officers, Prevent coordinators and complaints officers (who may place and lift "
    "holds) see every legal hold; nobody else sees any."))
_retention_runs = _by_action(Action.RETENTION_RUNS_VIEW, (
    "Auditors and data protection officers see every retention run and its report; nobody else sees any."))
_venue_bookings = _by_action(Action.VENUE_BOOKING_VIEW, (
    "Venue booking officers and Prevent coordinators (the Prevent lead) see every venue booking; nobody "
    "else sees any."))


def _rights_requests(user, queryset):
    """Whoever logs and decides rights requests sees every one; those who
    only approve subject access bundles see the requests with a bundle
    (to approve or release it); nobody else sees any."""
    from .policy import ROLE_MATRIX, Action

    if user.roles & ROLE_MATRIX[Action.RIGHTS_REQUEST_MANAGE]:
        return queryset
    if user.roles & ROLE_MATRIX[Action.SUBJECT_ACCESS_APPROVE]:
        return queryset.filter(bundle__isnull=False)
    return queryset.none()


def _complaints(user, queryset):
    """Complaints officers see every complaint; investigating officers see
    the complaints they are investigating; nobody else sees any (linking a
    complaint to a referral or case lets nobody see that record)."""
    if user.has_role(Role.COMPLAINTS_OFFICER):
        return queryset
    if user.has_role(Role.INVESTIGATING_OFFICER):
        return queryset.filter(investigator=user)
    return queryset.none()


def _learners(user, queryset):
    """Training administrators see every learner; organisations' training
    leads see the learners of their own organisation; nobody else sees any
    (everyone sees their own record through training.selectors.own_learner)."""
    if user.has_role(Role.TRAINING_ADMINISTRATOR):
        return queryset
    if user.has_role(Role.TRAINING_LEAD):
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


SCOPES = {
    "accounts.User": _users,
    "audit.AuditEvent": _audit_events,
    "referrals.Referral": _referrals,
    "people.Person": _people,
    "channel.ChannelCase": _channel_cases,
    "panels.PanelMeeting": _panel_meetings,
    "api.ApiToken": _api_tokens,
    "records.LegalHold": _legal_holds,
    "records.RetentionRun": _retention_runs,
    "rights.RightsRequest": _rights_requests,
    "venues.VenueBooking": _venue_bookings,
    "complaints.Complaint": _complaints,
    "training.Learner": _learners,
}
