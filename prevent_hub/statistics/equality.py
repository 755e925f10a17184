"""Equality monitoring: a financial year's referrals per 10,000 people of the
area, by ethnicity, sex and age band, beside the rate for the whole area, so
the Prevent lead and auditors can see where one group is referred more or
less often than the area as a whole. A person reads the figures and decides
what they mean: nothing here flags, scores or ranks a group.

What is counted. Referrals received in the financial year (1 April to 31
March, London time: `figures.financial_year_days`), by the reporting details
recorded on each referral: ethnicity; sex from the gender recorded (male or
female have a population to compare with; other, not known and not yet
recorded are counted without a rate); age band from the age on the day of
referral (`reporting.categories.age_band`). Each breakdown is a partition of
all the year's referrals, the not known and not yet recorded rows included,
the same partition as the year's tables.

Suppression. Each breakdown's counts go through
`suppression.partition_suppress`, and the year's total through `figure`, as
in the tables. A rate is shown only where its count is: population × rate
÷ 10,000 gives the count back, so a rate beside a hidden count would reveal
it. The ratio to the area rate is hidden with it for the same reason.

Which population. The latest set loaded (statistics.models.PopulationSet)
whose year is on or before the financial year's first year: the 2021 census
for 2023/24 until a later set is loaded.

The counts are of the council's whole record, like the published tables: a
count names no one, and the reader is someone who answers for the whole
service (access.Action.EQUALITY_MONITORING_VIEW). No person, reference or
row leaves these queries: four aggregate queries whatever the year holds.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from prevent_hub.core.working_days import start_of_day
from prevent_hub.referrals.models import Referral
from prevent_hub.reporting.categories import NOT_RECORDED, age_band, scheme
from prevent_hub.reporting.models import Dimension

from .figures import Figure, financial_year_days, financial_year_label, financial_year_of
from .models import WHOLE_AREA, PopulationDimension, PopulationSet
from .population_services import codes as population_codes
from .suppression import SUPPRESSED, figure, partition_suppress, suppress_up_to

PER = 10_000
ONE_PLACE = Decimal("0.1")

# Why a row has no rate.
NO_POPULATION = "No population figure"
NOT_COMPARED = "No population to compare with"


@dataclass(frozen=True)
class RateRow:
    code: str
    label: str
    count: Figure
    population: int | None    # None: the loaded set gives no figure for it
    rate: str | None          # per 10,000, one decimal place, or "*" with a hidden count
    ratio: str | None         # to the area rate, one decimal place, or "*"
    no_rate: str              # why there is no rate, when there is none

    @property
    def population_text(self) -> str:
        return f"{self.population:,}" if self.population is not None else ""


@dataclass(frozen=True)
class RateBreakdown:
    key: str          # "by_ethnicity"
    title: str
    dimension: str    # PopulationDimension
    total: Figure
    rows: tuple[RateRow, ...]


@dataclass(frozen=True)
class EqualityYear:
    year: int
    first_day: datetime.date
    last_day: datetime.date
    population: PopulationSet | None
    referrals: Figure
    area_population: int | None
    area_rate: str | None
    breakdowns: tuple[RateBreakdown, ...]
    suppress_up_to: int

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def no_referrals(self) -> bool:
        return self.referrals == 0


def population_for(year: int) -> PopulationSet | None:
    """The figures used for financial year `year`: the latest set whose year
    is on or before it."""
    return PopulationSet.objects.filter(year__lte=year).select_related("loaded_by").first()


def rate(count: int, population: int) -> Decimal:
    return Decimal(count) * PER / Decimal(population)


def one_place(value: Decimal) -> str:
    return str(value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


def _in_year(year: int):
    first_day, last_day = financial_year_days(year)
    received = Referral.objects.filter(received_at__gte=start_of_day(first_day),
                                       received_at__lt=start_of_day(last_day + datetime.timedelta(days=1)))
    return first_day, last_day, received


def _partition(values: Counter, wanted) -> dict[str, int]:
    """Counts by each code in `wanted`, in order, from raw values already
    folded to codes."""
    return {code: values.get(code, 0) for code in wanted}


def _coded(rows, field: str, the_scheme) -> Counter:
    """Counts by the scheme's codes: an earlier category counts as the one it
    became; blank, or a value not in the scheme, as not yet recorded."""
    found = Counter()
    for row in rows:
        value = row[field] or ""
        code = the_scheme.counts_as.get(value, "") if value else ""
        found[code if code in the_scheme.codes else NOT_RECORDED] += row["n"]
    return found


def _rows(counts: dict[str, int], labels, *, dimension: str, population: dict[tuple[str, str], int] | None,
          comparable: set[str], area: Decimal | None) -> tuple[RateRow, ...]:
    shown = partition_suppress(counts)
    rows = []
    for code, count in counts.items():
        people = population.get((dimension, code)) if population is not None else None
        rate_text = ratio_text = None
        no_rate = ""
        if code not in comparable:
            people, no_rate = None, NOT_COMPARED
        elif people is None:
            no_rate = NO_POPULATION
        elif shown[code] == SUPPRESSED:
            rate_text = ratio_text = SUPPRESSED
        else:
            exact = rate(count, people)
            rate_text = one_place(exact)
            ratio_text = one_place(exact / area) if area else None
        rows.append(RateRow(code=code, label=labels(code), count=shown[code], population=people,
                            rate=rate_text, ratio=ratio_text, no_rate=no_rate))
    return tuple(rows)


def equality_year(year: int) -> EqualityYear:
    first_day, last_day, received = _in_year(year)
    population_set = population_for(year)
    population = ({(each.dimension, each.code): each.population for each in population_set.figures.all()}
                  if population_set else None)

    ethnicity = scheme(Dimension.ETHNICITY, first_day=first_day, last_day=last_day)
    gender = scheme(Dimension.GENDER, first_day=first_day, last_day=last_day)
    bands = scheme(Dimension.AGE_BAND, first_day=first_day, last_day=last_day)

    by_ethnicity = _coded(received.values("ethnicity").annotate(n=Count("id")).order_by(), "ethnicity",
                          ethnicity)
    by_gender = _coded(received.values("reported_gender").annotate(n=Count("id")).order_by(),
                       "reported_gender", gender)
    by_age = Counter()
    for row in received.values("age_at_referral").annotate(n=Count("id")).order_by():
        by_age[age_band(row["age_at_referral"])] += row["n"]
    total = sum(by_ethnicity.values())

    shown_total = figure(total)
    area_population = population.get((PopulationDimension.TOTAL, WHOLE_AREA)) if population else None
    area = rate(total, area_population) if area_population and shown_total != SUPPRESSED else None
    area_text = one_place(area) if area is not None else (
        SUPPRESSED if area_population and shown_total == SUPPRESSED else None)

    loadable = population_codes()

    def comparable(dimension):
        return {code for code, _label in loadable.get(str(dimension), [])}

    breakdowns = (
        RateBreakdown(
            key="by_ethnicity", title="Ethnicity", dimension=PopulationDimension.ETHNICITY, total=shown_total,
            rows=_rows(_partition(by_ethnicity, [*ethnicity.codes, NOT_RECORDED]), ethnicity.label,
                       dimension=PopulationDimension.ETHNICITY, population=population,
                       comparable=comparable(PopulationDimension.ETHNICITY), area=area)),
        RateBreakdown(
            key="by_sex", title="Sex", dimension=PopulationDimension.SEX, total=shown_total,
            rows=_rows(_partition(by_gender, [*gender.codes, NOT_RECORDED]), gender.label,
                       dimension=PopulationDimension.SEX, population=population,
                       comparable=comparable(PopulationDimension.SEX), area=area)),
        RateBreakdown(
            key="by_age_band", title="Age band", dimension=PopulationDimension.AGE_BAND, total=shown_total,
            rows=_rows(_partition(by_age, bands.codes), bands.label,
                       dimension=PopulationDimension.AGE_BAND, population=population,
                       comparable=comparable(PopulationDimension.AGE_BAND), area=area)),
    )
    return EqualityYear(year=year, first_day=first_day, last_day=last_day, population=population_set,
                        referrals=shown_total, area_population=area_population, area_rate=area_text,
                        breakdowns=breakdowns, suppress_up_to=suppress_up_to())


def years_offered(today: datetime.date) -> list[int]:
    """The financial years a page can be asked for, latest first: from the
    year of the earliest referral to this one."""
    current = financial_year_of(today)
    earliest = Referral.objects.order_by("received_at").values_list("received_at", flat=True).first()
    first = financial_year_of(timezone.localtime(earliest).date()) if earliest else current
    return list(range(current, min(first, current) - 1, -1))
