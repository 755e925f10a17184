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
    # extended_to is tested for null on both sides, so the rule reads False,
    # never NULL, as a row's flag (core.overdue.with_overdue).
    return Q(status__in=OPEN) & (Q(extended_to__isnull=True, respond_by__lt=today)
                                 | Q(extended_to__isnull=False, extended_to__lt=today))


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


# Dashboard and counts ---------------------------------------------------------------
# (Its imports are here, with it, so the block reads on its own.)

from dataclasses import dataclass  # noqa: E402

from django.db.models import Count, Max, Min  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from prevent_hub.core.db_routers import report_read  # noqa: E402
from prevent_hub.core.overdue import with_overdue  # noqa: E402
from prevent_hub.core.paging import FirstThenRest  # noqa: E402
from prevent_hub.core.quarters import financial_year_span, quarter_of, quarter_starts  # noqa: E402
from prevent_hub.core.search import prefixed_reference_in  # noqa: E402

from .models import Category, Finding, Scope, Status  # noqa: E402

# The status filter's groups, beside the statuses themselves: each is one
# of the dashboard's summary cards, so a card links to the complaints it counts.
OPEN_GROUP = "open"
AWAITING_TRIAGE = "awaiting_triage"
OVERDUE = "overdue"
OVERDUE_ACKNOWLEDGEMENT = "overdue_acknowledgement"
OVERDUE_RESPONSE = "overdue_response"
DUE_SOON = "due_soon"
# The scope and category filters' value for a complaint not yet triaged.
NOT_TRIAGED = "none"


def complaint_reference_in(text: str) -> str:
    """"cmp 2026 12" → "CMP-2026-000012"; "" if `text` is not shaped like one."""
    return prefixed_reference_in(text, "CMP")


def awaiting_triage() -> Q:
    """Received and not yet triaged (a complaint triaged as another
    organisation's, or as about policy, stays received until it is passed on
    or signposted, but no longer awaits triage)."""
    return Q(status=Status.RECEIVED, scope="")


def acknowledgement_due_soon(today: datetime.date, soon: datetime.date) -> Q:
    """Not acknowledged, to be acknowledged from today to `soon`."""
    return Q(status__in=OPEN, acknowledged_on__isnull=True, acknowledge_by__gte=today,
             acknowledge_by__lte=soon)


def response_due_soon(today: datetime.date, soon: datetime.date) -> Q:
    """Still open, its response due (the extended day, if extended) from
    today to `soon`."""
    return Q(status__in=OPEN) & (Q(extended_to__isnull=True, respond_by__gte=today, respond_by__lte=soon)
                                 | Q(extended_to__gte=today, extended_to__lte=soon))


def due_soon(today: datetime.date, soon: datetime.date) -> Q:
    """A deadline not yet met falls from today to `soon`: the complaints the
    daily reminder (tasks.reminders_due) tells their officers are due."""
    return acknowledgement_due_soon(today, soon) | response_due_soon(today, soon)


@dataclass(frozen=True)
class Clocks:
    """Today and the last day "due soon" reaches (COMPLAINT_REMINDER_WORKING_DAYS
    working days on): what every deadline rule on the dashboard reads."""

    today: datetime.date
    soon: datetime.date

    def group(self, name: str) -> Q:
        return {
            OPEN_GROUP: Q(status__in=OPEN),
            AWAITING_TRIAGE: awaiting_triage(),
            OVERDUE: overdue(self.today),
            OVERDUE_ACKNOWLEDGEMENT: acknowledgement_overdue(self.today),
            OVERDUE_RESPONSE: response_overdue(self.today),
            DUE_SOON: due_soon(self.today, self.soon),
        }[name]


GROUPS = (OPEN_GROUP, AWAITING_TRIAGE, OVERDUE, OVERDUE_ACKNOWLEDGEMENT, OVERDUE_RESPONSE, DUE_SOON)


@dataclass(frozen=True)
class DashboardFilters:
    status: str = ""
    scope: str = ""
    category: str = ""
    organisation_kind: str = ""
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    search: str = ""

    def is_filtered(self) -> bool:
        return any((self.status, self.scope, self.category, self.organisation_kind, self.received_from,
                    self.received_to, self.search))

    def for_audit(self) -> dict:
        """The filters for the SEARCH or EXPORT event: whether a reference or
        words were searched for, never what (complainants' names stay out of
        the trail)."""
        details = {
            "status": self.status, "scope": self.scope, "category": self.category,
            "organisation_kind": self.organisation_kind,
            **{name: getattr(self, name).isoformat() for name in ("received_from", "received_to")
               if getattr(self, name)},
            "search": "" if not self.search else "reference" if complaint_reference_in(self.search)
            else "words",
        }
        return {key: value for key, value in details.items() if value}


# More words than anyone types to find a complaint: the rest are ignored
# rather than each adding to the query.
SEARCH_WORDS_MAX = 8


def _search(text: str) -> Q:
    """A reference, or words each found in the complainant's name, the
    organisation's name or the reference."""
    reference = complaint_reference_in(text)
    if reference:
        return Q(reference=reference)
    found = Q()
    for word in text.split()[:SEARCH_WORDS_MAX]:
        # References are upper case: part of one needs no case-insensitive match.
        found &= (Q(complainant_name__icontains=word) | Q(organisation_name__icontains=word)
                  | Q(reference__contains=word.upper()))
    return found


def _triage_value(value: str) -> str:
    return "" if value == NOT_TRIAGED else value


class OpenFirst(FirstThenRest):
    """Complaints listed open first, the soonest response due first, then
    closed ones, the newest first (core.paging: three queries a page). Each
    row carries its deadlines' flags, asked of the database by the same rules
    the summary cards count with, so a row's tag and a card cannot disagree."""

    FIELDS = ("reference", "status", "received_on", "received_at", "scope", "category", "organisation_kind",
              "acknowledge_by", "acknowledged_on", "respond_by", "extended_to", "responded_on", "outcome",
              "closed_on", "investigator__full_name")

    def __init__(self, complaints, *, clocks: Clocks, status: str = ""):
        today, soon = clocks.today, clocks.soon
        rows = complaints.select_related("investigator").only(*self.FIELDS)
        for name, rule in (("acknowledgement_overdue", acknowledgement_overdue(today)),
                           ("response_overdue", response_overdue(today)),
                           ("acknowledgement_due_soon", acknowledgement_due_soon(today, soon)),
                           ("response_due_soon", response_due_soon(today, soon)),
                           ("answered_on_time", answered_on_time()),
                           ("answered_within_extension", answered_within_extension())):
            rows = with_overdue(rows, rule, name=name)
        only_open = status in GROUPS or status in OPEN
        super().__init__(rows.annotate(due_for_response=Coalesce("extended_to", "respond_by")),
                         first=Q(status__in=OPEN), first_order=("due_for_response", "received_at", "pk"),
                         rest_order=("-received_at", "-pk"),
                         only="first" if only_open else "rest" if status else "")


def complaints_filtered(*, user, filters: DashboardFilters, clocks: Clocks) -> OpenFirst:
    """The complaints `user` may see that match `filters`, open first."""
    complaints = complaints_visible(user=user)
    if filters.status in GROUPS:
        complaints = complaints.filter(clocks.group(filters.status))
    elif filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.scope:
        complaints = complaints.filter(scope=_triage_value(filters.scope))
    if filters.category:
        complaints = complaints.filter(category=_triage_value(filters.category))
    if filters.organisation_kind:
        complaints = complaints.filter(organisation_kind=filters.organisation_kind)
    if filters.received_from:
        complaints = complaints.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        complaints = complaints.filter(received_on__lte=filters.received_to)
    if filters.search:
        complaints = complaints.filter(_search(filters.search))
    return OpenFirst(complaints.order_by(), clocks=clocks, status=filters.status)


def dashboard_counts(*, user, clocks: Clocks) -> dict:
    """The summary cards, counted by the same rules the rows' tags are read
    by: one query, on the status index (every card counts open complaints)."""
    return complaints_visible(user=user).filter(status__in=OPEN).aggregate(**{
        name: Count("pk", filter=clocks.group(name)) for name in GROUPS})


# Quarterly counts: each measure is (key, heading, rule); a complaint is
# counted in a quarter by the day it was received.

SCOPE_COUNTS = (*((f"scope_{value}", label, Q(scope=value)) for value, label in Scope.choices),
                ("scope_none", "Not yet triaged", Q(scope="")))
CATEGORY_COUNTS = (*((f"category_{value}", label, Q(category=value)) for value, label in Category.choices),
                   ("category_none", "Not yet triaged", Q(category="")))
OUTCOME_COUNTS = (
    *((f"outcome_{value}", label, Q(status=Status.RESPONDED, outcome=value))
      for value, label in Finding.choices),
    ("passed_on", "Passed on to the organisation", Q(status=Status.PASSED_ON)),
    ("signposted", "Out of scope: signposted", Q(status=Status.SIGNPOSTED)),
    ("withdrawn", "Withdrawn", Q(status=Status.WITHDRAWN)),
    ("still_open", "Not yet closed", Q(status__in=OPEN)),
)
ANSWER_COUNTS = (
    ("answered", "Answered", Q(responded_on__isnull=False)),
    ("on_time", "Answered within the deadline", answered_on_time()),
    ("within_extension", "Answered within an agreed extension", answered_within_extension()),
)


@report_read
def received_between(*, user) -> tuple[datetime.date | None, datetime.date | None]:
    """The days the first and the last complaint `user` may see were received."""
    found = complaints_visible(user=user).aggregate(first=Min("received_on"), last=Max("received_on"))
    return found["first"], found["last"]


@report_read
def quarterly_counts(*, user, first: datetime.date | None, last: datetime.date | None,
                     year: int | None = None) -> list[dict]:
    """Per quarter of receipt (financial-year quarters share their bounds
    with calendar ones), newest first: every measure above, from `first` to
    `last` (received_between), in the financial year beginning in `year`
    if one is given. One query, each complaint put in its quarter by
    comparing dates in the database."""
    if first is None:
        return []
    complaints = complaints_visible(user=user)
    if year is not None:
        year_first, year_last = financial_year_span(year)
        first, last = max(first, year_first), min(last, year_last)
        if first > last:
            return []
        complaints = complaints.filter(received_on__gte=year_first, received_on__lte=year_last)
    measures = {key: Count("pk", filter=rule)
                for key, _heading, rule in (*SCOPE_COUNTS, *CATEGORY_COUNTS, *OUTCOME_COUNTS, *ANSWER_COUNTS)}
    return list(complaints.order_by().annotate(quarter=quarter_of("received_on", quarter_starts(first, last)))
                .values("quarter").annotate(received=Count("pk"), **measures).order_by("-quarter"))
