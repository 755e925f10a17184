"""A year's Prevent statistics, counted as the national release counts them
("Individuals referred to and supported through the Prevent Programme"):
by the financial year in which each referral was received (1 April to 31
March, the date received in UK time), whatever happened to it afterwards
and whether it was entered here or imported from earlier records.

Everything is counted by the database, in a fixed handful of aggregate
queries whatever the number of referrals: no row, name or reference leaves
them. The year is a range of `received_at` (midnight 1 April to midnight 1
April, local time, as aware datetimes) so the database reads it from the
`referral_by_received` index. The counts go straight into
`statistics.suppression` and what is handed over is `statistics.figures`:
there is no way to get a raw count out of this module, so a page, a download
or the API shows the same figures, suppressed the same way.

The counts are of the council's whole record rather than what the reader
may list: they are for the people who answer for the duty
(access.Action.STATISTICS_VIEW), and a suppressed count names no one."""

import datetime
import functools
import math
import zoneinfo
from collections import Counter
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from prevent_hub.access import Action, can
from prevent_hub.channel.models import ChannelCase, Consent, ConsentAnswer
from prevent_hub.core.dates import add_months
from prevent_hub.core.db_routers import report_read
from prevent_hub.core.quarters import FinancialQuarter, financial_year_of
from prevent_hub.core.working_days import start_of_day
from prevent_hub.encryption.fields import codes_by_index, decode_counts
from prevent_hub.referrals.models import GatewayOutcome, Referral
from prevent_hub.reporting.categories import NOT_RECORDED, age_band, schemes
from prevent_hub.reporting.models import Dimension

from . import figures
from .suppression import figure, partition_suppress, suppress_up_to

# The first financial year the API and pages offer (Channel began in 2007;
# councils' earlier spreadsheets rarely go back further than this).
FIRST_YEAR = 2000
# The years the API answers for: a fixed range, so that its published schema
# says which years it accepts (a later year than the current one is empty).
API_YEARS = range(FIRST_YEAR, 2101)
# What a read of the statistics is audited as (counts only: nothing personal).
AUDIT_OBJECT_TYPE = "statistics.year"

# The gateway outcome's name in the records → its code in the national tables.
OUTCOME_CODE = {GatewayOutcome.PROCEED_TO_CHANNEL: "channel"}

# Consent for an adopted case, from its latest request for consent.
GIVEN, REFUSED, WITHDRAWN, NOT_SOUGHT = "given", "refused", "withdrawn", "not_sought"

HEADLINES = {
    "referrals": (
        "Referrals",
        "Referrals received in the financial year (by the date received, UK time), whether entered "
        "in Prevent Hub or imported from earlier records.",
    ),
    "discussed_at_panel": (
        "Discussed at a Channel panel",
        "Of the year's referrals, those whose Channel case a Channel panel has discussed (a panel "
        "decision on it, at a meeting or outside one, or a panel date from earlier records), "
        "whenever the discussion was.",
    ),
    "adopted": (
        "Adopted as a Channel case",
        "Of the year's referrals, those a Channel panel adopted as a Channel case, whenever it was "
        "adopted.",
    ),
}

# key: (title, definition, dimension, what the rows add up to)
REFERRALS = "referrals"
ADOPTED_CASES = "Channel cases adopted"
BREAKDOWNS = {
    "by_sector": ("Sector of referral",
                  "The year's referrals by the sector of the person or organisation that made the "
                  "referral.", Dimension.SECTOR, REFERRALS),
    "by_age_band": ("Age band",
                    "The year's referrals by the person's age on the day the referral was received.",
                    Dimension.AGE_BAND, REFERRALS),
    "by_gender": ("Gender", "The year's referrals by the person's gender.", Dimension.GENDER, REFERRALS),
    "by_concern": ("Type of concern",
                   "The year's referrals by the type of concern recorded, in the categories in force "
                   "that year (a category that had ended is counted as the one that replaced it).",
                   Dimension.CONCERN, REFERRALS),
    "by_outcome": ("Gateway outcome",
                   "The year's referrals by the police gateway's decision on them.",
                   Dimension.GATEWAY_OUTCOME, REFERRALS),
    "by_consent": ("Consent",
                   "The year's referrals adopted as a Channel case, by the answer to the latest request "
                   "for consent to Channel support: given, refused, withdrawn after being given, or not "
                   "yet sought (including asked but not yet answered).",
                   Dimension.CONSENT, ADOPTED_CASES),
    "by_ethnicity": ("Ethnicity", "The year's referrals by the person's ethnic group (ONS groups).",
                     Dimension.ETHNICITY, REFERRALS),
    "by_mental_health": ("Mental health or neurodiversity",
                         "The year's referrals by whether a mental health need or neurodiversity was "
                         "recorded for the person.", Dimension.MENTAL_HEALTH, REFERRALS),
    "cases_by_concern": ("Channel cases by type of concern",
                         "The year's referrals adopted as a Channel case, by the referral's type of "
                         "concern (in the categories in force that year).", Dimension.CONCERN,
                         ADOPTED_CASES),
}

# The referral field each breakdown of referrals groups by.
REFERRAL_FIELDS = {
    "by_sector": "sector",
    "by_age_band": "age_at_referral",
    "by_gender": "reported_gender",
    "by_concern": "concern_type_index",
    "by_outcome": "gateway_outcome",
    "by_ethnicity": "ethnicity_index",
    "by_mental_health": "mental_health_or_neurodiversity_index",
}
# Breakdowns whose codes are encrypted (docs/encryption.md): counted by their
# blind index, then turned back into codes by the index of every known code.
INDEXED = {"by_concern": "concern_type", "by_ethnicity": "ethnicity",
           "by_mental_health": "mental_health_or_neurodiversity"}

QUARTERS_TITLE = "Referrals by quarter"
QUARTERS_DEFINITION = ("The year's referrals by the quarter in which they were received: Q1 April to June, "
                       "Q2 July to September, Q3 October to December, Q4 January to March.")

DURATIONS = {
    "to_gateway_outcome": (
        "Days from referral to gateway outcome",
        "For the year's referrals with a gateway outcome, the days from the day the referral was "
        "received (UK time) to the day the gateway decided: the median and the 90th percentile "
        "(nearest rank).", "gateway_decided_on"),
    "to_panel": (
        "Days from referral to Channel panel",
        "For the year's referrals discussed at a Channel panel, the days from the day the referral "
        "was received (UK time) to the day a panel first discussed it: the median and the 90th "
        "percentile (nearest rank).", "channel_case__first_discussed_on"),
}


@report_read
def years_with_referrals() -> list[int]:
    """The financial years with at least one referral, newest first (read
    from the months referrals were received in: nothing about anyone)."""
    months = Referral.objects.datetimes("received_at", "month", tzinfo=timezone.get_current_timezone())
    return sorted({financial_year_of(month.date()) for month in months}, reverse=True)


def year_statistics(*, year: int, user) -> figures.YearStatistics:
    """The financial year starting 1 April `year`, suppressed."""
    if not can(user, Action.STATISTICS_VIEW):
        raise PermissionDenied(Action.STATISTICS_VIEW)
    return published_year(year)


@report_read
def published_year(year: int) -> figures.YearStatistics:
    """The year's figures for a caller that has checked the reader may see
    them (equality monitoring reads its counts here, so its partitions are
    these, suppressed the same way)."""
    first_day, last_day = figures.financial_year_days(year)
    up_to = suppress_up_to()
    quarter_starts = [add_months(first_day, 3 * n) for n in range(5)]
    bounds = [start_of_day(day) for day in quarter_starts]
    referrals = Referral.objects.filter(received_at__gte=bounds[0], received_at__lt=bounds[-1])
    in_force = schemes(dict.fromkeys(spec[2] for spec in BREAKDOWNS.values()),
                       first_day=first_day, last_day=last_day)

    totals = referrals.aggregate(
        referrals=Count("pk"),
        discussed_at_panel=Count("pk", filter=Q(channel_case__first_discussed_on__isnull=False)),
        adopted=Count("pk", filter=Q(channel_case__adopted_on__isnull=False)),
        **{f"q{n}": Count("pk", filter=Q(received_at__gte=bounds[n - 1], received_at__lt=bounds[n]))
           for n in range(1, 5)},
    )
    counted = _grouped_by_each(referrals, REFERRAL_FIELDS)
    for key, source in INDEXED.items():
        counted[key] = decode_counts(counted[key], Referral, source, in_force[BREAKDOWNS[key][2]].counts_as)
    counted["by_age_band"] = _banded(counted["by_age_band"])
    counted["by_outcome"] = {OUTCOME_CODE.get(code, code): n for code, n in counted["by_outcome"].items()}
    by_concern_and_consent = _adopted_by_concern_and_consent(
        ChannelCase.objects.filter(referral__received_at__gte=bounds[0], referral__received_at__lt=bounds[-1],
                                   adopted_on__isnull=False), in_force[Dimension.CONCERN].counts_as)
    counted["by_consent"] = _sum_by(by_concern_and_consent, 1)
    counted["cases_by_concern"] = _sum_by(by_concern_and_consent, 0)

    breakdowns = []
    for key, (title, definition, dimension, of) in BREAKDOWNS.items():
        codes_scheme = in_force[dimension]
        counts = _in_scheme(counted[key], codes_scheme,
                            not_recorded=dimension not in (Dimension.AGE_BAND, Dimension.CONSENT))
        shown = partition_suppress(counts, up_to=up_to)
        total = totals["adopted"] if of == ADOPTED_CASES else totals["referrals"]
        breakdowns.append(figures.Breakdown(
            key=key, title=title, definition=definition, of=of, total=figure(total, up_to=up_to),
            rows=tuple(figures.Row(code=code, label=codes_scheme.label(code), shown=shown[code])
                       for code in counts)))

    quarter_counts = {f"q{n}": totals[f"q{n}"] for n in range(1, 5)}
    quarter_shown = partition_suppress(quarter_counts, up_to=up_to)
    quarters = figures.Breakdown(
        key="quarters", title=QUARTERS_TITLE, definition=QUARTERS_DEFINITION, of=REFERRALS,
        total=figure(totals["referrals"], up_to=up_to),
        rows=tuple(figures.Row(code=f"q{n}", label=FinancialQuarter(quarter_starts[n - 1]).label,
                               shown=quarter_shown[f"q{n}"]) for n in range(1, 5)))

    headlines = tuple(figures.Headline(key=key, title=title, definition=definition,
                                       shown=figure(totals[key], up_to=up_to))
                      for key, (title, definition) in HEADLINES.items())
    durations = tuple(
        _duration(key, title, definition,
                  _group(referrals.filter(**{f"{later}__isnull": False}).annotate(
                      days=DaysAfterReceived(later, bounds[0], bounds[-1])), "days"),
                  up_to=up_to)
        for key, (title, definition, later) in DURATIONS.items())

    return figures.YearStatistics(
        year=year, first_day=first_day, last_day=last_day, headlines=headlines, quarters=quarters,
        breakdowns=tuple(breakdowns), durations=durations, suppress_up_to=up_to)


# Counting -----------------------------------------------------------------------


def _group(queryset, field: str) -> dict:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def _grouped_by_each(queryset, fields: Mapping[str, str]) -> dict[str, dict]:
    """For each key, the counts by its field: one GROUP BY over every field
    together (a year has at most a few thousand distinct combinations),
    summed per field here: one scan of the year's referrals, one round
    trip. On PostgreSQL over 10,000 referrals this took the selector from
    12 queries to 6 in about the same time (2.30x to 2.27x the raw SQL);
    the same GROUP BYs sent as one UNION ALL were slower (13 ms for that
    statement against about 2 ms)."""
    keys, names = list(fields), list(fields.values())
    counted = {key: Counter() for key in keys}
    rows = queryset.order_by().values_list(*names).annotate(n=Count("pk")).values_list(*names, "n")
    for *values, n in rows:
        for key, value in zip(keys, values, strict=True):
            counted[key][value] += n
    return {key: dict(counts) for key, counts in counted.items()}


def _banded(by_age: Mapping[int | None, int]) -> dict[str, int]:
    """Counts by age → counts by age band (the band rule is
    reporting.categories.age_band, not written again in SQL)."""
    bands = Counter()
    for age, n in by_age.items():
        bands[age_band(age)] += n
    return dict(bands)


def _adopted_by_concern_and_consent(cases, concern_codes) -> dict[tuple[str, str], int]:
    """Adopted cases by (the referral's type of concern, consent): the type
    of concern read back from its blind index among `concern_codes`; consent
    from the case's latest request for consent (the last asked; the last
    recorded of those asked the same day)."""
    latest = Consent.objects.filter(case=OuterRef("pk")).order_by("-asked_on", "-pk").annotate(
        state=Case(When(withdrawn_on__isnull=False, then=Value(WITHDRAWN)),
                   When(answer=ConsentAnswer.GIVEN, then=Value(GIVEN)),
                   When(answer=ConsentAnswer.REFUSED, then=Value(REFUSED)),
                   default=Value(NOT_SOUGHT))).values("state")[:1]
    rows = (cases.order_by().annotate(consent=Coalesce(Subquery(latest), Value(NOT_SOUGHT)))
            .values_list("referral__concern_type_index", "consent").annotate(n=Count("pk")))
    back = codes_by_index(Referral, "concern_type", concern_codes)
    counted = Counter()
    for index, consent, n in rows:
        counted[(back.get(index or "", "?"), consent)] += n
    return dict(counted)


def _sum_by(counts: Mapping[tuple, int], position: int) -> dict:
    summed = Counter()
    for key, n in counts.items():
        summed[key[position]] += n
    return dict(summed)


def _in_scheme(counts: Mapping[str | None, int], codes_scheme, *, not_recorded: bool) -> dict[str, int]:
    """Counts by recorded code → counts by the categories in force, in their
    order, with "not yet recorded" last. An ended category is counted as
    the one it reports as; a blank value, or a code that is no category of
    that year (which recording refuses), as not yet recorded: every referral
    is counted once, so the rows add up to the total."""
    in_force = codes_scheme.codes
    rows = dict.fromkeys(in_force, 0)
    if not_recorded:
        rows[NOT_RECORDED] = 0
    for code, n in counts.items():
        target = codes_scheme.counts_as.get(code or "", code or "")
        if target not in rows or target == NOT_RECORDED:
            target = NOT_RECORDED if not_recorded else in_force[-1]
        rows[target] += n
    return rows


# Durations ------------------------------------------------------------------------


def nearest_rank(histogram: Mapping[int, int], percent: int) -> int:
    """The nearest-rank percentile of the values counted in `histogram`
    (value → how many): the smallest value with at least `percent`% of all
    the values at or below it, i.e. the ⌈percent/100 × n⌉-th smallest."""
    n = sum(histogram.values())
    rank = max(1, math.ceil(percent * n / 100))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("nothing counted")


def _duration(key, title, definition, histogram: Mapping[int, int], *, up_to: int) -> figures.Duration:
    measured = sum(histogram.values())
    if measured == 0:
        median = p90 = None
    elif measured <= up_to:
        # A median of a few is close to one person's own dates.
        median = p90 = figure(measured, up_to=up_to)
    else:
        median, p90 = nearest_rank(histogram, 50), nearest_rank(histogram, 90)
    return figures.Duration(key=key, title=title, definition=definition,
                            counted=figure(measured, up_to=up_to), median_days=median, p90_days=p90)


class DaysAfterReceived(Func):
    """Days from the day a referral was received (in the service's time
    zone) to the date `later`, for referrals received between `start` and
    `end`. PostgreSQL converts each time itself; SQLite has no time zones,
    so the offsets in force between `start` and `end` are written into the
    query as a CASE over the instants they change (found once per year, by
    `utc_offsets`)."""

    output_field = IntegerField()

    def __init__(self, later: str, start: datetime.datetime, end: datetime.datetime):
        super().__init__(F(later), F("received_at"))
        self.start, self.end = start, end

    def as_postgresql(self, compiler, connection, **extra):
        (later, later_params), (received, received_params) = (
            compiler.compile(expression) for expression in self.source_expressions)
        return (f"({later} - ({received} AT TIME ZONE %s)::date)",
                [*later_params, *received_params, timezone.get_current_timezone_name()])

    def as_sqlite(self, compiler, connection, **extra):
        (later, later_params), (received, received_params) = (
            compiler.compile(expression) for expression in self.source_expressions)
        pieces, params = [], []
        offsets = utc_offsets(self.start, self.end)
        for until, minutes in offsets[:-1]:
            pieces.append(f"WHEN {received} < %s THEN %s")
            params += [*received_params, connection.ops.adapt_datetimefield_value(until),
                       f"{minutes:+d} minutes"]
        shift = f"CASE {' '.join(pieces)} ELSE %s END" if pieces else "%s"
        params.append(f"{offsets[-1][1]:+d} minutes")
        return (f"CAST(julianday({later}) - julianday(date({received}, {shift})) AS INTEGER)",
                [*later_params, *received_params, *params])

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError(f"DaysAfterReceived is written for PostgreSQL and SQLite, "
                                  f"not {connection.vendor}")


def utc_offsets(start: datetime.datetime, end: datetime.datetime) -> list[tuple[datetime.datetime, int]]:
    """The service time zone's offsets from UTC, in minutes, between `start`
    and `end`: [(until, minutes), ...], the last one running to `end`."""
    return list(_utc_offsets(timezone.get_current_timezone_name(), start.astimezone(datetime.UTC),
                             end.astimezone(datetime.UTC)))


@functools.lru_cache(maxsize=64)
def _utc_offsets(zone: str, start: datetime.datetime, end: datetime.datetime) -> tuple:
    tz = zoneinfo.ZoneInfo(zone)

    def offset(instant):
        return int(instant.astimezone(tz).utcoffset().total_seconds() // 60)

    changes, day, current = [], datetime.timedelta(days=1), offset(start)
    moment = start
    while moment < end:
        following = min(moment + day, end)
        if offset(following) != current:
            low, high = moment, following   # the change is in (low, high]
            while high - low > datetime.timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            changes.append((high.replace(second=0, microsecond=0), current))
            current = offset(high)
        moment = following
    changes.append((end, current))
    return tuple(changes)
