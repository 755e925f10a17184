"""Quarters of the year, for counts per quarter.

Calendar quarters run January to March, April to June, and so on. Councils
report in financial years (1 April to 31 March), whose Q1 is April to June:
the boundaries are the same, only the names differ (January to March 2027 is
Q4 of 2026/27).

Counts per quarter are made in the database in one query: `quarter_of` puts
each row in its quarter by comparing its date with the quarters' first days,
which the database does from an index, rather than calling a date function
(different on SQLite and PostgreSQL) on every row.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case, DateField, Value, When

from .dates import add_months


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the quarter `day` is in."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(start: datetime.date) -> datetime.date:
    """The last day of the quarter starting on `start`."""
    last_month = add_months(start, 2)
    return last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])


def quarter_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every quarter from the one holding `first` to the one
    holding `last`, oldest first."""
    starts = [quarter_start(first)]
    while starts[-1] < quarter_start(last):
        starts.append(add_months(starts[-1], 3))
    return starts


def quarter_of(field: str, starts: list[datetime.date], *, bound=None) -> Case:
    """An expression giving each row the first day of its quarter: the last
    of `starts` (consecutive quarters, oldest first, covering every row) on
    or before its `field`. `bound(day)` turns a quarter's first day into a
    value `field` compares with (midnight that day, for a date and time)."""
    bound = bound or (lambda day: day)
    return Case(*(When(**{f"{field}__lt": bound(add_months(start, 3))}, then=Value(start))
                  for start in starts[:-1]),
                default=Value(starts[-1]), output_field=DateField())


def financial_year_of(day: datetime.date) -> int:
    """The year the financial year holding `day` begins in (2026 for 2026/27)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_name(year: int) -> str:
    """"2026/27" for the financial year beginning 1 April 2026."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_span(year: int) -> tuple[datetime.date, datetime.date]:
    """(1 April, 31 March) of the financial year beginning in `year`."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


@dataclass(frozen=True)
class FinancialQuarter:
    """A quarter named as a council reports it: "2026/27 Q3 (October to
    December 2026)"."""

    start: datetime.date

    @property
    def end(self) -> datetime.date:
        return quarter_end(self.start)

    @property
    def year(self) -> int:
        return financial_year_of(self.start)

    @property
    def number(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def short(self) -> str:
        return f"{financial_year_name(self.year)} Q{self.number}"

    @property
    def months(self) -> str:
        return f"{self.start:%B} to {self.end:%B} {self.end.year}"

    @property
    def label(self) -> str:
        return f"{self.short} ({self.months})"
