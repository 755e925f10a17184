"""Reading venue bookings, always through `access` (venue booking officers
and the Prevent lead see them; nobody else does)."""

from prevent_hub.access import scope

from .models import BookingConditions, VenueBooking


def bookings_visible(*, user):
    return scope(user, VenueBooking.objects.all())


def booking_for(*, user, reference: str) -> VenueBooking | None:
    """The booking with `reference` if `user` may see it, else None (the
    caller answers 404 and audits the read)."""
    return (bookings_visible(user=user).filter(reference=reference)
            .select_related("room", "venue", "conditions").first())


def conditions_current() -> BookingConditions | None:
    """The version of the booking conditions new requests accept."""
    return BookingConditions.objects.order_by("-version").prefetch_related("clauses").first()


# The booking page ---------------------------------------------------------------
# (Its imports are here, with it, so the block reads on its own.)

from dataclasses import dataclass  # noqa: E402

from django.db.models import Prefetch  # noqa: E402

from .models import BookingCheck, CheckEvidence, CheckKind, CheckSubject, Speaker  # noqa: E402
from .services import CHECKS_FOR  # noqa: E402


@dataclass(frozen=True)
class ChecklistLine:
    """One line of a booking's checklist (services.CHECKS_FOR) and what was
    recorded for it, if anything yet."""

    subject: str
    kind: str
    speaker: Speaker | None = None
    check: BookingCheck | None = None

    @property
    def key(self) -> str:
        """The line in a URL: booker-references, speaker-12-public_statements."""
        return "-".join(str(part) for part in (self.subject, self.speaker and self.speaker.pk, self.kind)
                        if part)

    @property
    def label(self) -> str:
        return CheckKind(self.kind).label

    @property
    def who(self) -> str:
        return {CheckSubject.BOOKER: "the booker", CheckSubject.ORGANISATION: "the organisation"}.get(
            self.subject) or self.speaker.name


@dataclass
class ChecklistGroup:
    subject: str
    heading: str
    lines: list[ChecklistLine]
    speaker: Speaker | None = None


def checklist(booking, *, speakers, checks) -> list[ChecklistGroup]:
    """The booking's checklist: the booker, the organisation (if one is named)
    and each speaker, with the lines services.CHECKS_FOR sets for each and
    the check recorded against each line. From rows already read, so the
    page's queries do not grow with the checklist."""
    recorded = {(check.subject, check.speaker_id, check.kind): check for check in checks}
    subjects = [(CheckSubject.BOOKER, None, f"The booker: {booking.booker_name}")]
    if booking.organisation_name:
        subjects.append((CheckSubject.ORGANISATION, None, f"The organisation: {booking.organisation_name}"))
    subjects += [(CheckSubject.SPEAKER, speaker, f"Speaker: {speaker.name}") for speaker in speakers]
    return [ChecklistGroup(subject=subject, heading=heading, speaker=speaker, lines=[
        ChecklistLine(subject=subject, kind=kind, speaker=speaker,
                      check=recorded.get((subject, speaker and speaker.pk, kind)))
        for kind in CHECKS_FOR[subject]]) for subject, speaker, heading in subjects]


def checklist_line(booking, key: str) -> ChecklistLine | None:
    """The checklist line a URL names (see ChecklistLine.key), with its check
    and evidence, or None if the booking has no such line."""
    subject, _, rest = key.partition("-")
    speaker_id, _, kind = rest.rpartition("-")
    speaker = None
    if subject == CheckSubject.SPEAKER:
        if not speaker_id.isdigit():
            return None
        speaker = booking.speakers.filter(pk=int(speaker_id)).first()
        if speaker is None:
            return None
    elif speaker_id or subject not in CheckSubject.values or (
            subject == CheckSubject.ORGANISATION and not booking.organisation_name):
        return None
    if kind not in CHECKS_FOR[subject]:
        return None
    check = (BookingCheck.objects.filter(booking=booking, subject=subject, speaker=speaker, kind=kind)
             .select_related("recorded_by").prefetch_related(_evidence()).first())
    return ChecklistLine(subject=subject, kind=kind, speaker=speaker, check=check)


def _evidence():
    return Prefetch("evidence", queryset=CheckEvidence.objects.select_related("added_by"))


@dataclass
class BookingPage:
    speakers: list
    checklist: list[ChecklistGroup]
    promotion_files: list
    escalations: list
    decisions: list
    appeals: list
    changes: list
    letters: list

    @property
    def missing(self) -> list[str]:
        """The lines still to record, in the words of services.checklist_missing."""
        return [f"{line.label} for {line.who}" for group in self.checklist for line in group.lines
                if line.check is None]

    @property
    def changes_awaiting_reapproval(self) -> list:
        """The changes made since the last decision, when they send the
        booking back for re-approval."""
        last = self.decisions[-1].decided_at if self.decisions else None
        return [change for change in self.changes if change.after_approval
                and (last is None or change.changed_at > last)]


def booking_page(booking) -> BookingPage:
    """Everything the booking page shows, in a fixed number of queries
    however many speakers, checks, evidence, decisions or letters it has."""
    speakers = list(booking.speakers.all())
    checks = list(booking.checks.select_related("recorded_by").prefetch_related(_evidence()))
    return BookingPage(
        speakers=speakers,
        checklist=checklist(booking, speakers=speakers, checks=checks),
        promotion_files=list(booking.promotion_files.all()),
        escalations=list(booking.escalations.select_related("escalated_by", "advised_by")),
        decisions=list(booking.decisions.select_related("decided_by", "clause")
                       .prefetch_related("conditions")),
        appeals=list(booking.appeals.select_related("decided_by", "decision__decided_by")),
        changes=list(booking.changes.all()),
        letters=list(booking.letters.select_related("sent_by")),
    )


def appeal_made_by_its_decider(appeal, user) -> bool:
    """Whether `user` made the decision `appeal` is against: they may not
    decide it (services.appeal_decide refuses them too)."""
    return appeal.decision.decided_by_id == user.pk


# Dashboard, calendars and counts ------------------------------------------------

import datetime  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from django.db.models import Count, Exists, Max, Min, OuterRef, Q  # noqa: E402

from prevent_hub.core.paging import FirstThenRest  # noqa: E402
from prevent_hub.core.quarters import quarter_of, quarter_starts  # noqa: E402
from prevent_hub.core.search import prefixed_reference_in  # noqa: E402
from prevent_hub.core.working_days import local_date, start_of_day  # noqa: E402

from .models import (  # noqa: E402
    AWAITING_ACTION,
    Appeal,
    BookingDecision,
    Closure,
    DecisionOutcome,
    Escalation,
    OpeningHours,
    Room,
    Venue,
    occupying,
)

# The dashboard's status filter for every status awaiting the council.
AWAITING = "awaiting"


def booking_reference_in(text: str) -> str:
    """"ven 2026 123" → "VEN-2026-000123"; "" if `text` is not shaped like one."""
    return prefixed_reference_in(text, "VEN")


@dataclass(frozen=True)
class DashboardFilters:
    status: str = ""
    venue_id: int | None = None
    event_from: datetime.date | None = None
    event_to: datetime.date | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    search: str = ""

    def is_filtered(self) -> bool:
        return any((self.status, self.venue_id, self.event_from, self.event_to, self.received_from,
                    self.received_to, self.search))

    def for_audit(self) -> dict:
        """The filters for the SEARCH or EXPORT event: whether a reference or
        words were searched for, never what (names stay out of the trail)."""
        details = {
            "status": self.status, "venue": self.venue_id,
            **{name: getattr(self, name).isoformat() for name in
               ("event_from", "event_to", "received_from", "received_to") if getattr(self, name)},
            "search": ("reference" if booking_reference_in(self.search) else "words") if self.search else "",
        }
        return {key: value for key, value in details.items() if value}


def _search(text: str) -> Q:
    reference = booking_reference_in(text)
    if reference:
        return Q(reference=reference)
    # References are upper case: part of one needs no case-insensitive match.
    return (Q(reference__contains=text.upper()) | Q(title__icontains=text) | Q(booker_name__icontains=text)
            | Q(organisation_name__icontains=text))


class AwaitingFirst(FirstThenRest):
    """Bookings listed awaiting action first (the soonest event first), then
    the rest (the newest request first), for a Paginator, at the same three
    queries a page however many bookings there are (core.paging). A status
    filter that leaves one part empty leaves out its query.

    Rows come without their room and venue: joining them would lead the
    database to read every booking of every room before sorting (the
    caller names them from the venues and rooms it reads anyway)."""

    FIELDS = ("reference", "status", "received_at", "room_id", "venue_id", "event_date", "starts_at",
              "ends_at", "title", "booker_name", "organisation_name", "decision_outcome", "appeal_by")

    def __init__(self, bookings, *, status: str = ""):
        awaiting = status == AWAITING or status in AWAITING_ACTION
        super().__init__(bookings.only(*self.FIELDS), first=Q(status__in=AWAITING_ACTION),
                         first_order=("event_date", "starts_at", "pk"), rest_order=("-received_at", "-pk"),
                         only="first" if awaiting else "rest" if status else "")

    @property
    def awaiting(self):
        return self.first


def bookings_filtered(*, user, filters: DashboardFilters) -> AwaitingFirst:
    """The bookings `user` may see that match `filters`, awaiting action first."""
    bookings = bookings_visible(user=user)
    if filters.status == AWAITING:
        bookings = bookings.filter(status__in=AWAITING_ACTION)
    elif filters.status:
        bookings = bookings.filter(status=filters.status)
    if filters.venue_id:
        bookings = bookings.filter(venue_id=filters.venue_id)
    if filters.event_from:
        bookings = bookings.filter(event_date__gte=filters.event_from)
    if filters.event_to:
        bookings = bookings.filter(event_date__lte=filters.event_to)
    if filters.received_from:
        bookings = bookings.filter(received_at__gte=start_of_day(filters.received_from))
    if filters.received_to:
        bookings = bookings.filter(
            received_at__lt=start_of_day(filters.received_to + datetime.timedelta(days=1)))
    if filters.search:
        bookings = bookings.filter(_search(filters.search))
    return AwaitingFirst(bookings.order_by(), status=filters.status)


def awaiting_action_counts(*, user, today: datetime.date, soon_before: datetime.date) -> dict:
    """How many requests await action, how many of those are for an event
    from today up to (not including) `soon_before`, and how many for an event
    already past: one query, on the status index."""
    return bookings_visible(user=user).filter(status__in=AWAITING_ACTION).aggregate(
        awaiting=Count("pk"),
        soon=Count("pk", filter=Q(event_date__gte=today, event_date__lt=soon_before)),
        passed=Count("pk", filter=Q(event_date__lt=today)))


def room_names() -> dict[int, str]:
    """Every room's name, by id: a few hundred at most, in one query."""
    return dict(Room.objects.order_by().values_list("pk", "name"))


def venues_listed():
    """Every venue with its rooms (two queries)."""
    return Venue.objects.order_by("name").prefetch_related("rooms")


def calendar_bookings(*, user, venue, first: datetime.date, last: datetime.date, today: datetime.date,
                      room=None):
    """The bookings holding a room of `venue` (or just `room`) from `first`
    to `last`, as dicts of only what a calendar shows: no one's name."""
    bookings = (bookings_visible(user=user).filter(occupying(today))
                .filter(venue=venue, event_date__gte=first, event_date__lte=last))
    if room is not None:
        bookings = bookings.filter(room=room)
    return (bookings.values("reference", "title", "status", "event_date", "starts_at", "ends_at", "room_id")
            .order_by("event_date", "starts_at", "pk"))


def calendar_closures(*, venue, first: datetime.date, last: datetime.date, room=None):
    """Closures of the venue, or of one of its rooms, overlapping `first` to `last`."""
    closures = Closure.objects.filter(venue=venue, starts_on__lte=last, ends_on__gte=first)
    if room is not None:
        closures = closures.filter(Q(room__isnull=True) | Q(room=room))
    return closures.order_by("starts_on", "pk")


def opening_hours_by_weekday(venue) -> dict[int, OpeningHours]:
    return {hours.weekday: hours for hours in OpeningHours.objects.filter(venue=venue).order_by()}


def bookings_during(*, user, closure, today: datetime.date):
    """The bookings still holding a room on the days of `closure`: what an
    officer must rearrange or cancel."""
    bookings = (bookings_visible(user=user).filter(occupying(today))
                .filter(venue_id=closure.venue_id, event_date__gte=closure.starts_on,
                        event_date__lte=closure.ends_on))
    if closure.room_id is not None:
        bookings = bookings.filter(room_id=closure.room_id)
    return bookings.select_related("room").order_by("event_date", "starts_at", "pk")


def quarterly_counts(*, user, venue_id: int | None = None) -> list[dict]:
    """Per calendar quarter of receipt, newest first: the requests received
    (screened) and how many of them were ever escalated to the Prevent lead,
    approved with conditions, refused or appealed (each counted once,
    whatever happened after). Two queries: when the first and the last
    request came, then every count, each request put in its quarter by comparing dates in the
    database rather than by a date function per row."""
    bookings = bookings_visible(user=user)
    if venue_id:
        bookings = bookings.filter(venue_id=venue_id)
    received = bookings.aggregate(first=Min("received_at"), last=Max("received_at"))
    if received["first"] is None:
        return []
    starts = quarter_starts(local_date(received["first"]), local_date(received["last"]))
    quarter = quarter_of("received_at", starts, bound=start_of_day)

    def ever(model, **match):
        return Q(Exists(model.objects.filter(booking=OuterRef("pk"), **match)))

    return list(bookings.order_by().annotate(quarter=quarter).values("quarter").annotate(
        received=Count("pk"),
        escalated=Count("pk", filter=ever(Escalation)),
        conditions=Count("pk", filter=ever(BookingDecision, outcome=DecisionOutcome.APPROVE_WITH_CONDITIONS)),
        refused=Count("pk", filter=ever(BookingDecision, outcome=DecisionOutcome.REFUSE)),
        appealed=Count("pk", filter=ever(Appeal)),
    ).order_by("-quarter"))
