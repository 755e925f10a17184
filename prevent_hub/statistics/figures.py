"""The published shape of a year's statistics: what pages, downloads and the
API show, after small-number suppression. Nothing here holds a raw count:
`statistics.selectors.year_statistics` counts, suppresses
(`statistics.suppression`) and hands over only these, so a template or an
export cannot show a small number by mistake.

A figure is an `int` or `"*"` (SUPPRESSED)."""

import datetime
from dataclasses import dataclass

Figure = int | str


def financial_year_label(year: int) -> str:
    """2023 → "2023/24": the year from 1 April 2023 to 31 March 2024."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_days(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    shown: Figure


@dataclass(frozen=True)
class Breakdown:
    key: str          # "by_sector", as the API names it
    title: str
    definition: str   # what is counted, in words (docs/statistics.md says the same)
    of: str           # what the rows add up to: "referrals", "Channel cases adopted"
    total: Figure
    rows: tuple[Row, ...]

    def as_dict(self) -> dict[str, Figure]:
        return {row.code: row.shown for row in self.rows}


@dataclass(frozen=True)
class Headline:
    key: str          # "referrals", "discussed_at_panel", "adopted"
    title: str
    definition: str
    shown: Figure


@dataclass(frozen=True)
class Duration:
    key: str          # "to_gateway_outcome", "to_panel"
    title: str
    definition: str
    counted: Figure   # how many referrals the figures are over
    median_days: Figure | None   # None: none to measure
    p90_days: Figure | None


@dataclass(frozen=True)
class YearStatistics:
    year: int
    first_day: datetime.date
    last_day: datetime.date
    headlines: tuple[Headline, ...]
    quarters: Breakdown
    breakdowns: tuple[Breakdown, ...]
    durations: tuple[Duration, ...]
    suppress_up_to: int

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    def headline(self, key: str) -> Headline:
        return next(headline for headline in self.headlines if headline.key == key)

    def breakdown(self, key: str) -> Breakdown:
        return next(breakdown for breakdown in self.breakdowns if breakdown.key == key)
