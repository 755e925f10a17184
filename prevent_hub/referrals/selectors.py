"""Reading referrals, always through the access rules."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Q

from prevent_hub.access import scope
from prevent_hub.core.search import CASE, NameOrReference
from prevent_hub.core.working_days import WorkingCalendar, start_of_day

from .models import Referral, ReferralName, ReferralStatus


def referral_get(*, user, reference: str) -> Referral | None:
    """The referral with this reference if `user` may see it, else None (so a
    reference someone may not see looks the same as one that does not exist)."""
    return scope(user, Referral.objects.all()).filter(reference=reference).first()


def referrals_earlier_for_same_person(*, user, referral: Referral) -> list[Referral]:
    """Earlier referrals confirmed as being about the same person, oldest first."""
    if referral.person_id is None:
        return []
    return list(
        scope(user, Referral.objects.all())
        .filter(person_id=referral.person_id, received_at__lt=referral.received_at)
        .exclude(pk=referral.pk)
        .order_by("received_at", "pk")
    )


# Triage ----------------------------------------------------------------------
# The Prevent team's queue. Every query here has a fixed cost whatever the
# queue's length: counts in one query, one page of rows in another; clocks are
# worked out in Python from a calendar loaded once per request.


class QueueTab(StrEnum):
    NEW = "new"
    AWAITING = "awaiting"
    DECIDED = "decided"


TAB_STATUS = {
    QueueTab.NEW: ReferralStatus.NEW,
    QueueTab.AWAITING: ReferralStatus.AWAITING_GATEWAY,
    QueueTab.DECIDED: ReferralStatus.DECIDED,
}

# The columns a queue row shows (and the clock needs).
QUEUE_COLUMNS = (
    "reference", "kind", "status", "received_at", "subject_given_name", "subject_family_name",
    "police_shared_at", "gateway_outcome", "gateway_decided_on",
)


@dataclass(frozen=True)
class QueueFilters:
    overdue: bool = False
    kind: str = ""
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    outcome: str = ""
    search: NameOrReference | None = None
    date_of_birth: datetime.date | None = None

    def is_filtered(self) -> bool:
        return any((self.overdue, self.kind, self.received_from, self.received_to, self.outcome,
                    self.search, self.date_of_birth))

    def for_audit(self) -> dict:
        """The filters (never the results) for the SEARCH or EXPORT event:
        whether a name, reference or date of birth was searched for, never
        which (names and dates of birth stay out of the audit trail)."""
        details = {
            "overdue": self.overdue, "kind": self.kind, "outcome": self.outcome,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
            **(self.search.for_audit() if self.search else {}),
            "date_of_birth": self.date_of_birth is not None,
        }
        return {key: value for key, value in details.items() if value}


def _name_or_reference(search: NameOrReference) -> Q:
    """A referral's reference; a Channel case's reference finds the referral
    it was opened from; a name finds the referrals that give it, as their
    main or other name, in any spelling."""
    if search.prefix == CASE:
        return Q(channel_case__reference=search.reference)
    if search.reference:
        return Q(reference=search.reference)
    return Q(pk__in=ReferralName.objects.filter(search.name.condition()).values("referral_id"))


def clock_targets() -> dict[str, int]:
    """Working days from receipt before a referral in each status is overdue."""
    return {
        ReferralStatus.NEW: settings.TRIAGE_TARGET_WORKING_DAYS,
        ReferralStatus.AWAITING_GATEWAY: settings.GATEWAY_TARGET_WORKING_DAYS,
    }


def overdue_cutoffs(*, calendar: WorkingCalendar, today: datetime.date) -> dict[str, datetime.datetime]:
    """For each status with a clock: referrals received before this moment are overdue."""
    return {
        status: start_of_day(calendar.overdue_before(today, target))
        for status, target in clock_targets().items()
    }


def triage_queue_counts(*, user, cutoffs: dict) -> dict[str, int]:
    """How many referrals `user` may see in each tab, and how many of the
    open ones are overdue: one query, grouped by status (which the queue
    index covers)."""
    new, awaiting = ReferralStatus.NEW, ReferralStatus.AWAITING_GATEWAY
    overdue = (Q(status=new, received_at__lt=cutoffs[new])
               | Q(status=awaiting, received_at__lt=cutoffs[awaiting]))
    rows = (scope(user, Referral.objects.all()).order_by().values("status")
            .annotate(count=Count("pk"), overdue=Count("pk", filter=overdue)))
    by_status = {row["status"]: row for row in rows}
    counts = {}
    for tab, status in TAB_STATUS.items():
        row = by_status.get(status, {"count": 0, "overdue": 0})
        counts[str(tab)] = row["count"]
        if status != ReferralStatus.DECIDED:
            counts[f"{tab}_overdue"] = row["overdue"]
    return counts


def triage_queue(*, user, tab: QueueTab, filters: QueueFilters, cutoffs: dict):
    """The referrals in one tab of the queue that `user` may see, filtered:
    oldest first while they wait (the order to work in), newest first once
    decided."""
    status = TAB_STATUS[tab]
    queryset = scope(user, Referral.objects.all()).filter(status=status).only(*QUEUE_COLUMNS)
    if filters.search:
        queryset = queryset.filter(_name_or_reference(filters.search))
    if filters.date_of_birth:
        queryset = queryset.filter(subject_date_of_birth=filters.date_of_birth)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.received_from:
        queryset = queryset.filter(received_at__gte=start_of_day(filters.received_from))
    if filters.received_to:
        queryset = queryset.filter(
            received_at__lt=start_of_day(filters.received_to + datetime.timedelta(days=1)))
    if tab == QueueTab.DECIDED:
        if filters.outcome:
            queryset = queryset.filter(gateway_outcome=filters.outcome)
        return queryset.order_by("-received_at", "-pk")
    if filters.overdue:
        queryset = queryset.filter(received_at__lt=cutoffs[status])
    return queryset.order_by("received_at", "pk")


def referral_for_triage(*, user, reference: str) -> Referral | None:
    """A referral's page: the referral with whoever recorded its triage steps,
    its attachments and its Channel case, if `user` may see it."""
    return (
        scope(user, Referral.objects.all())
        .select_related("person", "police_shared_recorded_by", "gateway_recorded_by",
                        "person_confirmed_by", "channel_case", "retention_policy")
        .prefetch_related("attachments")
        .filter(reference=reference)
        .first()
    )
