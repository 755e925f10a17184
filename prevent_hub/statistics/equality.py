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

Suppression. The counts are the year's tables' own
(`selectors.published_year`), already through
`suppression.partition_suppress`. A rate is shown only where its count is:
population × rate ÷ 10,000 gives the count back, so a rate beside a hidden
count would reveal it. The ratio to the area rate is hidden with it for the same reason.

Which population. The latest set loaded (statistics.models.PopulationSet)
whose year is on or before the financial year's first year: the 2021 census
for 2023/24 until a later set is loaded.

The counts are of the council's whole record, like the published tables: a
count names no one, and the reader is someone who answers for the whole
service (access.Action.EQUALITY_MONITORING_VIEW). No person, reference or
row leaves these queries: the year's tables' aggregate queries, whatever the year holds.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from prevent_hub.core.db_routers import report_read

from .figures import Breakdown, Figure, financial_year_label, financial_year_of
from .models import WHOLE_AREA, PopulationDimension, PopulationSet
from .population_services import codes as population_codes
from .selectors import published_year, years_with_referrals
from .suppression import SUPPRESSED

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


def _rows(breakdown: Breakdown, *, dimension: str, population: dict[tuple[str, str], int] | None,
          comparable: set[str], area: Decimal | None) -> tuple[RateRow, ...]:
    rows = []
    for row in breakdown.rows:
        people = population.get((dimension, row.code)) if population is not None else None
        rate_text = ratio_text = None
        no_rate = ""
        if row.code not in comparable:
            people, no_rate = None, NOT_COMPARED
        elif people is None:
            no_rate = NO_POPULATION
        elif row.shown == SUPPRESSED:
            rate_text = ratio_text = SUPPRESSED
        else:
            exact = rate(row.shown, people)
            rate_text = one_place(exact)
            ratio_text = one_place(exact / area) if area else None
        rows.append(RateRow(code=row.code, label=row.label, count=row.shown, population=people,
                            rate=rate_text, ratio=ratio_text, no_rate=no_rate))
    return tuple(rows)


# (key, title, the year's breakdown it reads, the population dimension)
BREAKDOWNS = [
    ("by_ethnicity", "Ethnicity", "by_ethnicity", PopulationDimension.ETHNICITY),
    ("by_sex", "Sex", "by_gender", PopulationDimension.SEX),
    ("by_age_band", "Age band", "by_age_band", PopulationDimension.AGE_BAND),
]


@report_read
def equality_year(year: int) -> EqualityYear:
    """The year's counts are the published tables' own (selectors.published_year):
    the same partitions, suppressed by the same rule, so this page and the
    tables can never show a count differently."""
    published = published_year(year)
    population_set = population_for(year)
    population = ({(each.dimension, each.code): each.population for each in population_set.figures.all()}
                  if population_set else None)
    shown_total = published.headline("referrals").shown
    area_population = population.get((PopulationDimension.TOTAL, WHOLE_AREA)) if population else None
    area = rate(shown_total, area_population) if area_population and shown_total != SUPPRESSED else None
    area_text = one_place(area) if area is not None else (
        SUPPRESSED if area_population and shown_total == SUPPRESSED else None)
    loadable = population_codes()
    breakdowns = tuple(
        RateBreakdown(key=key, title=title, dimension=dimension, total=shown_total,
                      rows=_rows(published.breakdown(source), dimension=dimension, population=population,
                                 comparable={code for code, _label in loadable.get(str(dimension), [])},
                                 area=area))
        for key, title, source, dimension in BREAKDOWNS)
    return EqualityYear(year=year, first_day=published.first_day, last_day=published.last_day,
                        population=population_set, referrals=shown_total, area_population=area_population,
                        area_rate=area_text, breakdowns=breakdowns, suppress_up_to=published.suppress_up_to)


def years_offered(today: datetime.date) -> list[int]:
    """The financial years a page can be asked for, latest first: from the
    year of the earliest referral to this one."""
    current = financial_year_of(today)
    first = min(years_with_referrals(), default=current)
    return list(range(current, min(first, current) - 1, -1))
