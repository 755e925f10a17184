"""Reading complaints, always through `access` (complaints officers see every
complaint; investigating officers the ones they investigate)."""

import datetime

from django.db.models import F, Q

from prevent_hub.access import scope
from prevent_hub.channel.models import CaseTeamMember, CaseTransition, Consent
from prevent_hub.panels.models import AgendaItem

from .models import OPEN, Complaint, LetterTemplate


def complaints_visible(*, user):
    return scope(user, Complaint.objects.all())


def complaint_for(*, user, reference: str) -> Complaint | None:
    """The complaint with `reference` if `user` may see it, else None (the
    caller answers 404 and audits the read)."""
    return (complaints_visible(user=user).filter(reference=reference)
            .select_related("owner", "investigator", "triaged_by", "recorded_by").first())


def letter_templates():
    return LetterTemplate.objects.order_by("kind").select_related("updated_by")


# Deadlines ---------------------------------------------------------------------
# Each rule is stated once, as a Q on `today`: the dashboard's counts filter
# on it and its rows read it through core.overdue.with_overdue.


def acknowledgement_overdue(today: datetime.date) -> Q:
    """Not acknowledged, and the day to acknowledge it by has passed."""
    return Q(acknowledged_on__isnull=True, acknowledge_by__lt=today, status__in=OPEN)


def response_overdue(today: datetime.date) -> Q:
    """Still open after the day its response was due (the extended day, if
    it was extended)."""
    return Q(status__in=OPEN) & (Q(extended_to__isnull=True, respond_by__lt=today) | Q(extended_to__lt=today))


def overdue(today: datetime.date) -> Q:
    return acknowledgement_overdue(today) | response_overdue(today)


def answered_on_time() -> Q:
    """Answered (responded to, passed on or signposted) by the day first set
    for the response, before any extension."""
    return Q(responded_on__isnull=False, responded_on__lte=F("respond_by"))


def answered_within_extension() -> Q:
    """Answered late against the first day set, but by the extended day."""
    return Q(responded_on__isnull=False, extended_to__isnull=False, responded_on__gt=F("respond_by"),
             responded_on__lte=F("extended_to"))


# Independence --------------------------------------------------------------------


def involved_users(complaint: Complaint) -> set[int]:
    """The staff the product knows took part in the decisions about the
    referral or Channel case a complaint concerns: who made the referral,
    confirmed the person, shared it with police or recorded the gateway
    outcome; who opened the case, moved it on, sat on its team, recorded
    consent, or recorded a panel's decision on it. None of them may
    investigate the complaint."""
    users: set[int] = set()
    referral, case = complaint.referral, complaint.case
    if referral is not None:
        users |= {referral.submitted_by_id, referral.person_confirmed_by_id,
                  referral.police_shared_recorded_by_id, referral.gateway_recorded_by_id}
    if case is not None:
        users.add(case.opened_by_id)
        users |= set(CaseTransition.objects.filter(case=case).values_list("by_id", flat=True))
        users |= set(CaseTeamMember.objects.filter(case=case).values_list("user_id", flat=True))
        users |= set(Consent.objects.filter(case=case).values_list("recorded_by_id", flat=True))
        users |= set(AgendaItem.objects.filter(case=case, decided_by__isnull=False)
                     .values_list("decided_by_id", flat=True))
    users.discard(None)
    return users
