"""A year's statistics as tables for a spreadsheet: the same published
figures the page shows (`*` where it shows `*`), one table per section of
the page, each with what it counts.

Every format reads `tables()`: a workbook (XLSX or ODS) has a sheet per
table, the CSV a section per table in one file, each row naming its table
so the file can also be filtered as one list. Figures are written as
numbers, a hidden one as the text `*`; text goes through the formats'
own guards against formulas (core.csv, core.xlsx, core.ods).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.ods import ods_response
from prevent_hub.core.xlsx import xlsx_response

from .figures import Breakdown, YearStatistics
from .suppression import SUPPRESSED

FORMATS = ("csv", "xlsx", "ods")
NOT_MEASURED = "None to measure"
CSV_HEADER = ("Table", "Code", "Category", "Figure", "Definition")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    definition: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]


def hidden_note(statistics: YearStatistics) -> str:
    return (f"{SUPPRESSED}: hidden to protect people. Counts from 1 to {statistics.suppress_up_to} are "
            f"hidden, and so are any others from which a hidden count could be worked out.")


def _breakdown_table(breakdown: Breakdown) -> Table:
    rows = tuple((row.code, row.label, row.shown) for row in breakdown.rows)
    return Table(key=breakdown.key, title=breakdown.title, definition=breakdown.definition,
                 header=("Code", "Category", f"Number of {breakdown.of}"),
                 rows=(*rows, ("total", "Total", breakdown.total)))


def _days(value) -> object:
    return NOT_MEASURED if value is None else value


def tables(statistics: YearStatistics) -> list[Table]:
    headlines = Table(
        key="headlines", title="Headline figures",
        definition="Each financial year's referrals, and of them, those discussed at a Channel panel "
                   "and those adopted as Channel cases.",
        header=("Code", "Figure", "Number", "Definition"),
        rows=tuple((each.key, each.title, each.shown, each.definition) for each in statistics.headlines))
    durations = Table(
        key="durations", title="Time taken",
        definition="Days from receiving a referral: the median (half took this long or less) and the "
                   "90th percentile (nine in ten took this long or less).",
        header=("Code", "Measure", "Referrals measured", "Median (days)", "90th percentile (days)",
                "Definition"),
        rows=tuple((each.key, each.title, each.counted, _days(each.median_days), _days(each.p90_days),
                    each.definition) for each in statistics.durations))
    return [headlines, _breakdown_table(statistics.quarters),
            *(_breakdown_table(each) for each in statistics.breakdowns), durations]


def _about(statistics: YearStatistics) -> list[tuple[str, object]]:
    return [
        ("Council", settings.COUNCIL_NAME),
        ("Financial year", statistics.label),
        ("From", govuk_date(statistics.first_day)),
        ("To", govuk_date(statistics.last_day)),
        ("Counted by", "The financial year in which each referral was received, as the Home Office's "
                       "release \"Individuals referred to and supported through the Prevent Programme\" "
                       "counts them."),
        ("Hidden figures", hidden_note(statistics)),
        ("Produced on", govuk_date(timezone.localdate())),
    ]


def _csv_rows(statistics: YearStatistics) -> Iterator[tuple]:
    for item, value in _about(statistics):
        yield ("About", "", item, value, "")
    for table in tables(statistics):
        for row in table.rows:
            if table.key == "headlines":
                code, title, shown, definition = row
                yield (table.title, code, title, shown, definition)
            elif table.key == "durations":
                code, title, counted, median, p90, definition = row
                yield (table.title, f"{code}.counted", f"{title}: referrals measured", counted, definition)
                yield (table.title, f"{code}.median_days", f"{title}: median (days)", median, "")
                yield (table.title, f"{code}.p90_days", f"{title}: 90th percentile (days)", p90, "")
            else:
                code, label, shown = row
                yield (table.title, code, label, shown, table.definition if code == "total" else "")


def file_stem(statistics: YearStatistics) -> str:
    return f"prevent-statistics-{statistics.label.replace('/', '-')}"


def _sheets(statistics: YearStatistics):
    sheets = [("About", ("Item", "Value"), _about(statistics))]
    for table in tables(statistics):
        # The definition goes after the figures, not above the header, so
        # the sheet still sorts and filters as one table.
        rows = [*table.rows, (), ("Definition", table.definition)]
        sheets.append((table.title, table.header, rows))
    return sheets


def download(statistics: YearStatistics, file_format: str):
    stem = file_stem(statistics)
    if file_format == "csv":
        return csv_response(CSV_HEADER, _csv_rows(statistics), filename=f"{stem}.csv")
    if file_format == "xlsx":
        return xlsx_response(_sheets(statistics), filename=f"{stem}.xlsx")
    if file_format == "ods":
        return ods_response(_sheets(statistics), filename=f"{stem}.ods")
    raise ValueError(f"Not a download format: {file_format}")
