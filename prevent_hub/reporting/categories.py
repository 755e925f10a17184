"""Reading the reporting categories: which are in force in a year, what an
ended one counts as, and the age band an age falls in."""

import datetime
from dataclasses import dataclass

from prevent_hub.reporting.models import Dimension, ReportingCategory

# A record with no value for a breakdown yet (a referral whose type of concern
# is not yet recorded, say) is counted here, so every breakdown adds up to
# its total and nothing is silently left out.
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not yet recorded"

# Age on the day of referral: (code, lowest age, highest age).
AGE_BANDS = [
    ("10_or_under", 0, 10), ("11_15", 11, 15), ("16_17", 16, 17), ("18_20", 18, 20),
    ("21_30", 21, 30), ("31_40", 31, 40), ("41_50", 41, 50), ("over_50", 51, 200),
]


def age_band(age: int | None) -> str:
    if age is None:
        return "not_known"
    for code, lowest, highest in AGE_BANDS:
        if lowest <= age <= highest:
            return code
    return "not_known"


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


@dataclass(frozen=True)
class Scheme:
    """A dimension's categories for a period: the codes in force, in order,
    and what every other known code counts as."""

    dimension: str
    categories: tuple[ReportingCategory, ...]
    counts_as: dict[str, str]

    @property
    def codes(self) -> list[str]:
        return [category.code for category in self.categories]

    def label(self, code: str) -> str:
        if code == NOT_RECORDED:
            return NOT_RECORDED_LABEL
        for category in self.categories:
            if category.code == code:
                return category.label
        return code


def scheme(dimension: str, *, first_day: datetime.date, last_day: datetime.date) -> Scheme:
    """The categories in force on any day from first_day to last_day (a
    financial year), and for every category not in force then, the one in
    force it is counted as (following `reports_as`; itself if none is)."""
    return schemes([dimension], first_day=first_day, last_day=last_day)[dimension]


def schemes(dimensions, *, first_day: datetime.date, last_day: datetime.date) -> dict[str, Scheme]:
    """`scheme` for each of `dimensions`, read in one query (a year's
    statistics need all of them at once)."""
    every = list(ReportingCategory.objects.filter(dimension__in=list(dimensions)))
    found = {}
    for dimension in dimensions:
        found[dimension] = _scheme(dimension, [c for c in every if c.dimension == dimension],
                                   first_day=first_day, last_day=last_day)
    return found


def _scheme(dimension, every, *, first_day, last_day) -> Scheme:
    by_pk = {category.pk: category for category in every}

    def in_force(category):
        return ((category.effective_from is None or category.effective_from <= last_day)
                and (category.effective_to is None or category.effective_to >= first_day))

    current = tuple(category for category in every if in_force(category))
    counts_as = {}
    for category in every:
        seen, target = set(), category
        while not in_force(target) and target.reports_as_id and target.code not in seen:
            seen.add(target.code)
            target = by_pk[target.reports_as_id]
        counts_as[category.code] = target.code
    return Scheme(dimension=dimension, categories=current, counts_as=counts_as)


def codes_in_force(dimension: str, on: datetime.date) -> list[str]:
    return [category.code for category in ReportingCategory.objects.filter(dimension=dimension)
            if category.in_force(on)]


def category_problem(dimension: str, code: str, on: datetime.date) -> str:
    """Why `code` cannot be recorded for something dated `on`, or "". A code
    of an earlier scheme is accepted (it is counted through `reports_as`); a
    code that only came into force later is not."""
    category = ReportingCategory.objects.filter(dimension=dimension, code=code).first()
    if category is None:
        return f"is not a {Dimension(dimension).label.lower()} code"
    if category.effective_from and on < category.effective_from:
        return (f"was not a category until {category.effective_from:%-d %B %Y}")
    return ""
