"""The published shape of a year's statistics: what pages, downloads and the
API show, after small-number suppression. Nothing here holds a raw count:
`statistics.selectors.year_statistics` counts, suppresses
(`statistics.suppression`) and hands over only these, so a template or an
export cannot show a small number by mistake.

A figure is an `int` or `"*"` (SUPPRESSED)."""

import datetime
from dataclasses import dataclass

# The financial year (1 April to 31 March) is core's: the same years as
# every other count per year in the product.
from prevent_hub.core.quarters import financial_year_name as financial_year_label  # noqa: F401
from prevent_hub.core.quarters import financial_year_of  # noqa: F401
from prevent_hub.core.quarters import financial_year_span as financial_year_days  # noqa: F401

Figure = int | str


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
