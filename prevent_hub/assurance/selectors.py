"""The figures of the Prevent duty assurance summary: one financial year
(1 April to 31 March) of the council's Prevent work, as it self-assesses
against the Home Office's Prevent duty benchmarks.

Every figure is a count, made by the database: no row, name or reference
leaves these queries, and nothing ranks or scores anyone. They count the
council's whole record, not what the reader may list elsewhere: the summary
is for the people who answer for the duty (access.Action.ASSURANCE_VIEW),
and a count names no one.

Each section is a dataclass made by a small fixed number of aggregate
queries whatever the number of rows (`summary` reads the same number for an
empty year as for a busy one). Counts of events are per quarter of the year,
each event put in its quarter by the date that says when it happened (the
`Figure.definition` names it), by comparing that date with the quarters'
bounds in the database. A count for the current year is the year so far.

Training is a standing, not an event: who was in date "as at" one day, the
last day of the year, or today for the current year. It is worked out from
the completions themselves, so it stays true for a past year however much
has been recorded since: a learner's training ran until the latest refresh
date (`Completion.expires_on`) of the completions of courses that count,
completed on or before that day, and their standing on that day follows the
same rules as the compliance page's (training.selectors.standings) read on
that day. For today, that is exactly the compliance page's count, which the
current year reads from the dates kept on each learner, one indexed
aggregate (a test keeps the two in step)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, Exists, F, Max, Min, OuterRef, Q, Value, When

from prevent_hub.channel.models import CaseStatus, CaseTransition, ChannelCase, ClosureReason
from prevent_hub.complaints import selectors as complaint_rules
from prevent_hub.complaints.models import Complaint
from prevent_hub.core.dates import add_months
from prevent_hub.core.db_routers import report_read
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.quarters import FinancialQuarter, financial_year_of, financial_year_span
from prevent_hub.core.working_days import local_date, start_of_day
from prevent_hub.panels.models import (
    AgendaItem,
    MeetingStatus,
    OutsideMeetingDecision,
    PanelMeeting,
)
from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind
from prevent_hub.training.models import Completion, Course, Learner
from prevent_hub.training.selectors import (
    DUE_SOON,
    IN_DATE,
    NEVER_TRAINED,
    OVERDUE,
    compliance_totals,
    due_soon_until,
    still_here,
)
from prevent_hub.venues.models import (
    Appeal,
    AppealOutcome,
    BookingDecision,
    DecisionOutcome,
    Escalation,
    VenueBooking,
)

QUARTERS = 4


@dataclass(frozen=True)
class Figure:
    """One line of the summary: what is counted, in a sentence, and the
    count for each quarter and the year. `quarters` is None for a figure
    that is a standing on one day rather than events in the year."""

    key: str
    label: str
    definition: str
    year: int
    quarters: tuple[int, ...] | None = None
    # The key of the figure this one breaks down (shown indented under it).
    part_of: str = ""
    # Why a figure has no quarters, where the quarters would be.
    why_no_quarters: str = ""


@dataclass
class Section:
    """A part of the summary: its figures and, when nothing at all was
    counted, what to say instead of a table of noughts alone."""

    key: str
    title: str
    figures: list[Figure]
    empty_text: str = ""

    @property
    def is_empty(self) -> bool:
        return all(figure.year == 0 for figure in self.figures)

    @property
    def has_quarters(self) -> bool:
        return any(figure.quarters is not None for figure in self.figures)


@dataclass
class TrainingSection(Section):
    as_at: datetime.date | None = None


@dataclass
class ReferralSection(Section):
    pass


@dataclass
class ChannelSection(Section):
    pass


@dataclass
class PanelSection(Section):
    pass


@dataclass
class ComplaintSection(Section):
    pass


@dataclass
class VenueSection(Section):
    pass


@dataclass
class Summary:
    year: int
    start: datetime.date
    end: datetime.date
    today: datetime.date
    quarters: list[FinancialQuarter]
    training: TrainingSection
    referrals: ReferralSection
    channel: ChannelSection
    panels: PanelSection
    complaints: ComplaintSection
    venues: VenueSection
    sections: list[Section] = field(default_factory=list)

    def __post_init__(self):
        self.sections = [self.training, self.referrals, self.channel, self.panels, self.complaints,
                         self.venues]

    @property
    def is_current(self) -> bool:
        return self.start <= self.today <= self.end

    @property
    def counted_to(self) -> datetime.date:
        """The last day the events are counted to: today, in the current year."""
        return min(self.today, self.end)


# Which years ------------------------------------------------------------------------


def _earliest_dates():
    """The first day anything the summary counts happened: one query for
    each kind of record (each on an index or a small table)."""
    found = [
        Referral.objects.aggregate(first=Min("received_at"))["first"],
        ChannelCase.objects.aggregate(first=Min("opened_at"))["first"],
        PanelMeeting.objects.aggregate(first=Min("date"))["first"],
        Complaint.objects.aggregate(first=Min("received_on"))["first"],
        VenueBooking.objects.aggregate(first=Min("received_at"))["first"],
        Completion.objects.aggregate(first=Min("completed_on"))["first"],
        Learner.objects.aggregate(first=Min("created_at"))["first"],
    ]
    return [local_date(day) for day in found if day is not None]


@report_read
def years_with_data(today: datetime.date) -> list[int]:
    """The financial years a summary can be made for, newest first: from the
    one holding the first thing recorded to the current one (a year between
    with nothing recorded still has a summary, of noughts)."""
    current = financial_year_of(today)
    first = min([financial_year_of(day) for day in _earliest_dates()] + [current])
    return list(range(current, first - 1, -1))


# Counting by quarter -------------------------------------------------------------------


def quarters_of(year: int) -> list[FinancialQuarter]:
    start = financial_year_span(year)[0]
    return [FinancialQuarter(add_months(start, 3 * number)) for number in range(QUARTERS)]


def _is_datetime(model, path: str) -> bool:
    for part in path.split("__"):
        found = model._meta.get_field(part)
        model = found.related_model or model
    return isinstance(found, DateTimeField)


@dataclass(frozen=True)
class Measure:
    """A count per quarter: rows matching `rule`, put in a quarter by the
    date in `by` (a date or a date and time, here or across a relation);
    `counted` and `distinct` for counts over a join."""

    key: str
    by: str
    rule: Q = field(default_factory=Q)
    counted: str = "pk"
    distinct: bool = False


def _bounds(model, by: str, start: datetime.date, end: datetime.date):
    """(from, before) for `by` between `start` and the day before `end`:
    midnight in the service's time zone for a date and time."""
    if _is_datetime(model, by):
        return start_of_day(start), start_of_day(end)
    return start, end


def counted(queryset, measures: list[Measure], year: int) -> dict[str, tuple[int, ...]]:
    """Each measure's count in each quarter of `year`: one query."""
    quarters = quarters_of(year)
    model = queryset.model
    aggregates, within = {}, Q()
    for by in dict.fromkeys(measure.by for measure in measures):
        first, after = _bounds(model, by, quarters[0].start, add_months(quarters[0].start, 12))
        within |= Q(**{f"{by}__gte": first, f"{by}__lt": after})
    for measure in measures:
        for number, quarter in enumerate(quarters):
            first, after = _bounds(model, measure.by, quarter.start, add_months(quarter.start, 3))
            aggregates[f"{measure.key}__{number}"] = Count(
                measure.counted, distinct=measure.distinct,
                filter=measure.rule & Q(**{f"{measure.by}__gte": first, f"{measure.by}__lt": after}))
    row = queryset.order_by().filter(within).aggregate(**aggregates)
    return {measure.key: tuple(row[f"{measure.key}__{number}"] or 0 for number in range(QUARTERS))
            for measure in measures}


def _figure(found: dict, key: str, label: str, definition: str, *, part_of: str = "") -> Figure:
    return Figure(key=key, label=label, definition=definition, quarters=found[key], year=sum(found[key]),
                  part_of=part_of)


# Training ----------------------------------------------------------------------------------


def _lead() -> Q:
    return Q(is_safeguarding_lead=True) | Q(is_prevent_lead=True)


def training_standing(as_at: datetime.date) -> dict[str, int]:
    """Learners by their standing on `as_at`, from their completions up to
    that day (see the module docstring): one query, the latest refresh date
    per learner worked out inside it."""
    soon = due_soon_until(as_at)
    known = (Q(created_at__lt=start_of_day(as_at + datetime.timedelta(days=1)))
             | Exists(Completion.objects.filter(learner=OuterRef("pk"), completed_on__lte=as_at)))
    done = Q(completions__completed_on__lte=as_at)
    counting = done & Q(completions__course__counts_for_compliance=True)
    for_leads = done & (Q(completions__course__for_leads=True)
                        | Q(completions__course__renews__for_leads=True))
    learners = (Learner.objects.order_by().filter(still_here(as_at)).filter(known)
                .annotate(until=Max("completions__expires_on", filter=counting),
                          lead_until=Max("completions__expires_on", filter=for_leads),
                          lead=Max(Case(When(_lead(), then=Value(1)), default=Value(0)))))
    found = learners.aggregate(
        learners=Count("pk"),
        **{IN_DATE: Count("pk", filter=Q(until__gt=soon)),
           DUE_SOON: Count("pk", filter=Q(until__gte=as_at, until__lte=soon)),
           OVERDUE: Count("pk", filter=Q(until__lt=as_at)),
           NEVER_TRAINED: Count("pk", filter=Q(until__isnull=True))},
        leads_flagged=Count("pk", filter=Q(lead__gt=0) & (Q(lead_until__isnull=True)
                                                           | Q(lead_until__lt=as_at))))
    return {key: value or 0 for key, value in found.items()}


def training_standing_today(today: datetime.date) -> dict[str, int]:
    """Today's standing from the dates the training services keep on every
    learner (the compliance page's totals): the same counts as
    training_standing(today), from one indexed aggregate."""
    totals = compliance_totals(Learner.objects.all(), today=today)
    return {key: getattr(totals, key) for key in ("learners", IN_DATE, DUE_SOON, OVERDUE, NEVER_TRAINED,
                                                  "leads_flagged")}


def training_section(year: int, *, today: datetime.date) -> TrainingSection:
    start, end = financial_year_span(year)
    as_at = min(end, today)
    on = govuk_date(as_at)
    days = settings.TRAINING_DUE_SOON_DAYS
    standing = training_standing_today(today) if as_at == today else training_standing(as_at)
    standing_on = f"Standing on {on}"
    of_those = "Of those learners, those"
    figures = [
        Figure("learners", "Learners",
               f"People on the training record on {on} (added by then, or with a course completed by then) "
               f"who had not left their organisation.", standing["learners"], why_no_quarters=standing_on),
        Figure(IN_DATE, "In date", f"{of_those} whose Prevent training (the latest refresh date of the "
               f"courses that count, completed on or before {on}) ran for more than {days} days after that "
               f"day.", standing[IN_DATE], part_of="learners", why_no_quarters=standing_on),
        Figure(DUE_SOON, "Due soon", f"{of_those} whose Prevent training ran out on {on} or within the "
               f"{days} days after it.", standing[DUE_SOON], part_of="learners", why_no_quarters=standing_on),
        Figure(OVERDUE, "Overdue", f"{of_those} whose Prevent training had run out before {on}.",
               standing[OVERDUE], part_of="learners", why_no_quarters=standing_on),
        Figure(NEVER_TRAINED, "Never trained", f"{of_those} with no course that counts completed on or "
               f"before {on}.", standing[NEVER_TRAINED], part_of="learners", why_no_quarters=standing_on),
        Figure("leads_flagged", "Leads without the referrals course in date",
               f"Of those learners, the designated safeguarding leads and Prevent leads (as recorded now) "
               f"whose Prevent referrals course (or its refresher) was missing or had run out on {on}.",
               standing["leads_flagged"], part_of="learners", why_no_quarters=standing_on),
    ]
    courses = list(Course.objects.order_by("position", "name").only("pk", "name"))
    measures = [Measure(f"course_{course.pk}", "completed_on", Q(course_id=course.pk)) for course in courses]
    found = counted(Completion.objects.all(), [Measure("completions", "completed_on"), *measures], year)
    learners_trained = Completion.objects.filter(completed_on__gte=start, completed_on__lte=end).aggregate(
        learners=Count("learner", distinct=True))["learners"]
    figures += [
        _figure(found, "completions", "Courses completed",
                "Completions of any course with a completion date in the year, however late they were "
                "recorded."),
        *(_figure(found, f"course_{course.pk}", course.name,
                  f"Completions of {course.name} with a completion date in the year.", part_of="completions")
          for course in courses),
        Figure("learners_trained", "Learners who completed a course",
               "Learners with at least one completion of any course dated in the year, each counted once.",
               learners_trained,
               why_no_quarters="For the year only: a learner may train in several quarters"),
    ]
    return TrainingSection(key="training", title="Prevent training", figures=figures, as_at=as_at,
                           empty_text="No learners or completions are recorded for this year.")


# Referrals and the police gateway ------------------------------------------------------------


def referral_section(year: int) -> ReferralSection:
    kinds = [Measure(f"kind_{kind.value}", "received_at", Q(kind=kind)) for kind in ReferralKind]
    outcomes = [Measure(f"gateway_{outcome.value}", "gateway_decided_on", Q(gateway_outcome=outcome))
                for outcome in GatewayOutcome]
    found = counted(Referral.objects.all(), [
        Measure("received", "received_at"), *kinds,
        Measure("gateway", "gateway_decided_on", ~Q(gateway_outcome="")), *outcomes], year)
    figures = [
        _figure(found, "received", "Referrals received",
                "Referrals received in the year by any route, by the day they were received."),
        *(_figure(found, f"kind_{kind.value}", kind.label,
                  f"Referrals received in the year as a {kind.label.lower()}.", part_of="received")
          for kind in ReferralKind),
        _figure(found, "gateway", "Police gateway outcomes",
                "Referrals whose police gateway outcome was decided in the year, by the decision date "
                "recorded (whenever the referral was received)."),
        *(_figure(found, f"gateway_{outcome.value}", outcome.label,
                  f"Gateway outcomes decided in the year: {outcome.label.lower()}.", part_of="gateway")
          for outcome in GatewayOutcome),
    ]
    return ReferralSection(key="referrals", title="Referrals and the police gateway", figures=figures,
                           empty_text="No referrals were received and no gateway outcomes were recorded.")


# Channel cases ----------------------------------------------------------------------------


def channel_section(year: int) -> ChannelSection:
    reasons = [Measure(f"closed_{reason.value}", "closed_at", Q(closure_reason=reason))
               for reason in ClosureReason]
    found = counted(ChannelCase.objects.all(), [
        Measure("opened", "opened_at"), Measure("adopted", "adopted_on"), Measure("exited", "exit_date"),
        Measure("closed", "closed_at", Q(status=CaseStatus.CLOSED)), *reasons], year)
    found |= counted(CaseTransition.objects.all(), [
        Measure("not_adopted", "occurred_at", Q(to_status=CaseStatus.NOT_ADOPTED))], year)
    figures = [
        _figure(found, "opened", "Cases opened",
                "Channel cases opened in the year (a gateway outcome of proceed to Channel), by the day "
                "opened."),
        _figure(found, "adopted", "Cases adopted",
                "Cases the panel adopted, by the adoption date recorded."),
        _figure(found, "not_adopted", "Cases not adopted",
                "Panel decisions not to adopt a case, by the day the decision was recorded."),
        _figure(found, "exited", "Cases exited",
                "Cases that left Channel on the panel's decision, by the exit date."),
        _figure(found, "closed", "Cases closed", "Cases closed in the year, by the day closed."),
        *(_figure(found, f"closed_{reason.value}", reason.label,
                  f"Cases closed in the year for this reason: {reason.label.lower()}.", part_of="closed")
          for reason in ClosureReason),
    ]
    return ChannelSection(key="channel", title="Channel cases", figures=figures,
                          empty_text="No Channel case was opened, adopted, exited or closed.")


# Panel meetings and their attendance ----------------------------------------------------------


def panel_section(year: int, *, today: datetime.date) -> PanelSection:
    held = Q(status=MeetingStatus.HELD)
    members = "panel__members"
    on_the_day = (Q(**{f"{members}__added_at__date__lte": F("date")})
                  & (Q(**{f"{members}__removed_at__isnull": True})
                     | Q(**{f"{members}__removed_at__date__gt": F("date")}))
                  & ~Q(**{f"{members}__user": F("panel__chair")}))
    found = counted(PanelMeeting.objects.all(), [
        Measure("held", "date", held, distinct=True),
        Measure("awaiting_minutes", "date", Q(status=MeetingStatus.SCHEDULED, date__lte=today),
                distinct=True),
        Measure("cancelled", "date", Q(status=MeetingStatus.CANCELLED), distinct=True),
        Measure("members", "date", held & on_the_day, counted=f"{members}__pk", distinct=True)], year)
    found |= counted(AgendaItem.objects.all(), [
        Measure("items", "meeting__date", Q(meeting__status=MeetingStatus.HELD), distinct=True),
        Measure("invitees", "meeting__date", Q(meeting__status=MeetingStatus.HELD), counted="invitees__pk",
                distinct=True)], year)
    present = Q(attendance__apologies=False)
    found |= counted(PanelMeeting.objects.filter(held), [
        Measure("present", "date", present, counted="attendance__pk"),
        Measure("apologies", "date", Q(attendance__apologies=True), counted="attendance__pk"),
        Measure("deputies", "date", present & Q(attendance__deputy_for__isnull=False),
                counted="attendance__pk"),
        Measure("police", "date", present & Q(attendance__organisation_type="police"), distinct=True)], year)
    found |= counted(OutsideMeetingDecision.objects.all(), [Measure("outside", "decided_on")], year)
    # The chair is expected at every meeting, as are the standing members and item invitees.
    found["expected"] = tuple(sum(values) for values in zip(
        found["held"], found["members"], found["invitees"], strict=True))
    figures = [
        _figure(found, "held", "Meetings held",
                "Panel meetings dated in the year whose minutes the chair has approved (a meeting is "
                "recorded as held when its minutes are approved)."),
        _figure(found, "awaiting_minutes", "Meetings awaiting approval of their minutes",
                "Panel meetings dated in the year, on or before today, neither cancelled nor with approved "
                "minutes."),
        _figure(found, "cancelled", "Meetings cancelled", "Panel meetings dated in the year that were "
                "cancelled."),
        _figure(found, "items", "Cases discussed",
                "Agenda items (one case each) of the meetings held in the year: a case discussed at two "
                "meetings counts twice."),
        _figure(found, "outside", "Decisions taken outside a meeting",
                "Decisions taken by written procedure or as the chair's urgent decision, by the day "
                "decided."),
        _figure(found, "expected", "Attendees expected",
                "At the meetings held: the chair, the panel's standing members on the day of the meeting "
                "and the people invited for one item, each counted once per meeting."),
        _figure(found, "present", "Attendances recorded",
                "People recorded as present at the meetings held, for the whole meeting or for one item, "
                "deputies and other attendees included.", part_of="expected"),
        _figure(found, "deputies", "Deputising for someone",
                "Of the attendances recorded, people present in place of someone who sent apologies.",
                part_of="present"),
        _figure(found, "apologies", "Apologies recorded", "Apologies recorded at the meetings held.",
                part_of="expected"),
        _figure(found, "police", "Meetings held with police present",
                "Meetings held at which a police representative was recorded as present."),
    ]
    return PanelSection(key="panels", title="Channel panel meetings and attendance", figures=figures,
                        empty_text="No panel meeting was dated in this year.")


# Complaints ------------------------------------------------------------------------------


def complaint_section(year: int) -> ComplaintSection:
    # The complaints pages' own rules (complaints.selectors), so the two
    # cannot count differently; a complaint counts in the quarter it was received.
    def measures(rules):
        return [Measure(key, "received_on", rule) for key, _label, rule in rules]

    found = counted(Complaint.objects.all(), [
        Measure("received", "received_on"), *measures(complaint_rules.ANSWER_COUNTS),
        *measures(complaint_rules.SCOPE_COUNTS), *measures(complaint_rules.OUTCOME_COUNTS)], year)
    of_received = "Of the complaints received in the year (by the day received)"
    figures = [
        _figure(found, "received", "Complaints received",
                "Complaints about how the Prevent duty was applied (or passed on, or about policy) received "
                "in the year, by the day received."),
        *(_figure(found, key, label, f"{of_received}: {label.lower()}, as they stand today.",
                  part_of="received") for key, label, _rule in complaint_rules.ANSWER_COUNTS),
        *(_figure(found, key, f"About: {label}", f"{of_received}: triaged as ‘{label}’.",
                  part_of="received") for key, label, _rule in complaint_rules.SCOPE_COUNTS),
        *(_figure(found, key, f"Ended: {label}", f"{of_received}: {label.lower()}, as they stand today.",
                  part_of="received") for key, label, _rule in complaint_rules.OUTCOME_COUNTS),
    ]
    return ComplaintSection(key="complaints", title="Complaints", figures=figures,
                            empty_text="No complaints were received.")


# Venue bookings screened ------------------------------------------------------------------------


def venue_section(year: int) -> VenueSection:
    found = counted(VenueBooking.objects.all(), [Measure("received", "received_at")], year)
    outcomes = [Measure(f"decided_{outcome.value}", "decided_on", Q(outcome=outcome))
                for outcome in DecisionOutcome]
    found |= counted(BookingDecision.objects.all(), [
        Measure("decided", "decided_on"), *outcomes,
        Measure("reapprovals", "decided_on", Q(reapproval=True))], year)
    found |= counted(Escalation.objects.all(), [Measure("escalated", "escalated_at")], year)
    appeals = [Measure(f"appeal_{outcome.value}", "decided_at", Q(outcome=outcome))
               for outcome in AppealOutcome]
    found |= counted(Appeal.objects.all(), [Measure("appeals", "decided_at", ~Q(outcome="")), *appeals], year)
    figures = [
        _figure(found, "received", "Booking requests received",
                "Requests to hire a council venue received in the year, by the day received."),
        _figure(found, "decided", "Bookings screened and decided",
                "Decisions recorded in the year on bookings after their checks, by the decision date: a "
                "booking changed after approval and decided again counts again."),
        *(_figure(found, f"decided_{outcome.value}", outcome.label,
                  f"Decisions recorded in the year: {outcome.label.lower()}.", part_of="decided")
          for outcome in DecisionOutcome),
        _figure(found, "reapprovals", "Re-approvals after a change",
                "Of the decisions, those on a booking changed after it was decided.", part_of="decided"),
        _figure(found, "escalated", "Escalated to the Prevent lead",
                "Bookings escalated to the Prevent lead for advice in the year, by the day escalated (each "
                "escalation)."),
        _figure(found, "appeals", "Appeals decided", "Bookers' appeals decided in the year, by the day "
                "decided."),
        *(_figure(found, f"appeal_{outcome.value}", f"Appeal {outcome.label.lower()}",
                  f"Appeals decided in the year: {outcome.label.lower()}.", part_of="appeals")
          for outcome in AppealOutcome),
    ]
    return VenueSection(key="venues", title="Venue bookings screened", figures=figures,
                        empty_text="No venue booking was received, decided or escalated.")


# The whole summary -------------------------------------------------------------------------


@report_read
def summary(year: int, *, today: datetime.date) -> Summary:
    """Every section of the summary for the financial year beginning in
    `year` (which the caller has checked is one of years_with_data)."""
    start, end = financial_year_span(year)
    return Summary(
        year=year, start=start, end=end, today=today, quarters=quarters_of(year),
        training=training_section(year, today=today), referrals=referral_section(year),
        channel=channel_section(year), panels=panel_section(year, today=today),
        complaints=complaint_section(year), venues=venue_section(year))
