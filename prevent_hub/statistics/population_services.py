"""Loading the area's population figures (statistics.models.PopulationSet),
for the upload page, `manage.py load_population` and the demo alike.

The file is a small UTF-8 CSV, `dimension,code,population`, one figure a
line: `total,all,…` for the whole area, then `ethnicity`, `sex` and
`age_band` figures under the reporting categories' codes. Every line is
checked before anything is loaded and every problem is reported by its line
number; the reasons name what is allowed and never repeat what was typed.
A category with no line is allowed (the census may not give it): equality
monitoring shows "no population figure" for it, and the check lists them so
the administrator sees them before loading.

Loading a year replaces that year's figures whole, in one transaction with
its audit event: a half-loaded set can never be read. Loading exactly the
same figures and source again changes nothing (a second press of the button).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.uploads import is_workbook
from prevent_hub.reporting.models import Dimension, ReportingCategory

from .models import WHOLE_AREA, PopulationDimension, PopulationFigure, PopulationSet

COLUMNS = ("dimension", "code", "population")
MAX_BYTES = 64 * 1024
MAX_ROWS = 200
LARGEST = 100_000_000
SOURCE_MAX = 200
EARLIEST_YEAR = 1900
# A year may be a projection, a little ahead; never centuries.
YEARS_AHEAD = 10

EMPTY = "The selected file is empty"
NOT_UTF8 = "The selected file must be saved as “CSV UTF-8”: line {line} is not UTF-8 text"
NOT_TEXT = "The selected file must be a CSV file: it is not text"
BAD_CSV = "The selected file must be a CSV file: line {line} could not be read as CSV"
NO_ROWS = "The selected file has no figures under its first line"
WORKBOOK = ("The selected file is a spreadsheet workbook: save it as “CSV UTF-8 (comma delimited)” and "
            "upload that")

# A number as a spreadsheet writes it: 12345 or 12,345.
_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(,\d{3})+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def codes() -> dict[str, list[tuple[str, str]]]:
    """Each dimension's codes and labels, in the reporting categories' order.
    "Not known" has no population: it is where referrals go, not people."""
    found = {PopulationDimension.TOTAL: [(WHOLE_AREA, "All people in the area")],
             PopulationDimension.ETHNICITY: [], PopulationDimension.SEX: [],
             PopulationDimension.AGE_BAND: []}
    categories = ReportingCategory.objects.filter(
        dimension__in=[Dimension.ETHNICITY, Dimension.GENDER, Dimension.AGE_BAND]).exclude(code="not_known")
    for category in categories.order_by("position"):
        if category.dimension == Dimension.GENDER:
            if category.code in ("male", "female"):
                found[PopulationDimension.SEX].append((category.code, category.label))
        else:
            found[category.dimension].append((category.code, category.label))
    return {str(dimension): rows for dimension, rows in found.items()}


@dataclass
class PopulationFile:
    """What a file says: the figures, by (dimension, code), and what is wrong."""

    figures: dict[tuple[str, str], int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def missing(self, known: dict | None = None) -> list[tuple[str, str]]:
        """(dimension, code) of each category the file gives no figure for."""
        known = codes() if known is None else known
        return [(dimension, code) for dimension, rows in known.items() for code, _label in rows
                if (dimension, code) not in self.figures]


class FileProblem(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _text(data: bytes) -> str:
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileProblem(1, EMPTY)
    if is_workbook(data):
        raise FileProblem(1, WORKBOOK)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(data[:error.start].count(b"\n") + 1,
                          NOT_UTF8.format(line=data[:error.start].count(b"\n") + 1)) from None
    if "\x00" in text:
        raise FileProblem(1, NOT_TEXT)
    return text


def _header(cells: list[str], line: int) -> dict[str, int]:
    positions, problems = {}, []
    for index, name in enumerate(cells):
        key = name.strip().lower().replace(" ", "_")
        if key in COLUMNS and key not in positions:
            positions[key] = index
        elif key in COLUMNS:
            problems.append(f"column {index + 1} repeats the column {key}")
        elif key:
            problems.append(f"column {index + 1} is not one of them")
    missing = [name for name in COLUMNS if name not in positions]
    if missing:
        problems.insert(0, "the column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
                        + (" are" if len(missing) > 1 else " is") + " missing")
    if problems:
        raise FileProblem(line, "The first line must name the columns dimension, code, population: "
                          + "; ".join(problems))
    return positions


def population_problem(value: str) -> tuple[int | None, str]:
    """(the population, "") or (None, why not)."""
    value = value.strip().replace(" ", "")
    if not value:
        return None, "the population is missing"
    if value.startswith("-") and _WHOLE_NUMBER.fullmatch(value[1:]):
        return None, "the population must be a whole number greater than 0, not negative"
    if not _WHOLE_NUMBER.fullmatch(value):
        return None, "the population must be a whole number, like 12345 or 12,345"
    number = int(value.replace(",", ""))
    if number == 0:
        return None, ("the population must be greater than 0: leave the line out if there is no "
                      "figure for the category")
    if number > LARGEST:
        return None, f"the population must be {LARGEST:,} or less"
    return number, ""


def population_file_read(data: bytes, *, known: dict | None = None) -> PopulationFile:
    """Check a population CSV, line by line."""
    known = codes() if known is None else known
    result = PopulationFile()
    if len(data) > MAX_BYTES:
        result.problems.append((0, f"The selected file must be smaller than {MAX_BYTES // 1024} KB"))
        return result
    try:
        reader = csv.reader(io.StringIO(_text(data), newline=""))
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise FileProblem(1, EMPTY)
        positions = _header(header, reader.line_num)
        seen: dict[tuple[str, str], int] = {}
        last, rows = reader.line_num, 0
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise FileProblem(line, f"The selected file must have no more than {MAX_ROWS} figures")
            problem = _row(cells, positions, known, seen, line, result, columns=len(header))
            if problem:
                result.problems.append((line, problem))
    except FileProblem as problem:
        result.problems.append((problem.line, problem.reason))
        return result
    except csv.Error:
        result.problems.append((reader.line_num or 1, BAD_CSV.format(line=reader.line_num or 1)))
        return result
    if not result.figures and not result.problems:
        result.problems.append((1, NO_ROWS))
    return result


def _cell(cells, positions, name) -> str:
    index = positions[name]
    return cells[index] if index < len(cells) else ""


def _row(cells, positions, known, seen, line, result, *, columns: int) -> str:
    if any(cell.strip() for cell in cells[columns:]):
        # 12,345 written without quotes reads as 12 and a stray 345.
        return ("the line has more values than the first line has columns: write a population with commas "
                "in quotes (\"12,345\") or without them (12345)")
    dimension = _cell(cells, positions, "dimension").strip().lower()
    code = _cell(cells, positions, "code").strip().lower()
    if dimension not in known:
        return "the dimension must be one of " + ", ".join(known)
    allowed = [each for each, _label in known[dimension]]
    if code not in allowed:
        return f"the code must be one of the {dimension} codes: " + ", ".join(allowed)
    population, problem = population_problem(_cell(cells, positions, "population"))
    if problem:
        return problem
    if (dimension, code) in seen:
        return f"{dimension} {code} is given twice (first on line {seen[dimension, code]})"
    seen[dimension, code] = line
    result.figures[dimension, code] = population
    return ""


def source_problem(source: str) -> str:
    if not source.strip():
        return "Enter where the figures come from, like Census 2021, ONS table TS021"
    if len(source.strip()) > SOURCE_MAX:
        return f"Where the figures come from must be {SOURCE_MAX} characters or fewer"
    if _CONTROL.search(source):
        return "Where the figures come from must be plain text on one line"
    return ""


def latest_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year + YEARS_AHEAD


def year_problem(year) -> str:
    if not isinstance(year, int) or isinstance(year, bool):
        return "The year must be a whole number, like 2021"
    if not EARLIEST_YEAR <= year <= latest_year():
        return f"The year must be between {EARLIEST_YEAR} and {latest_year()}"
    return ""


@dataclass(frozen=True)
class Loaded:
    population_set: PopulationSet
    replaced: bool    # there was a set for the year before
    changed: bool     # False: the same figures and source were already loaded


def population_set_load(*, year: int, source: str, figures: dict[tuple[str, str], int],
                        acting_user) -> Loaded:
    """Make `figures` the area's population for `year`, replacing any the
    year had. Raises ValidationError (and changes nothing) for a bad year,
    source or figure."""
    problems = {}
    if problem := year_problem(year):
        problems["year"] = problem
    if problem := source_problem(source):
        problems["source"] = problem
    known = codes()
    if not figures:
        problems["file"] = NO_ROWS
    for (dimension, code), population in figures.items():
        if dimension not in known or code not in [each for each, _label in known[dimension]]:
            problems["file"] = f"{dimension} {code} is not a population category"[:200]
        elif (not isinstance(population, int) or isinstance(population, bool)
              or population_problem(str(population))[1]):
            problems["file"] = f"The population of {dimension} {code} must be a whole number greater than 0"
    if problems:
        raise ValidationError(problems)
    source = " ".join(source.split())
    with transaction.atomic():
        population_set, created = PopulationSet.objects.select_for_update().get_or_create(
            year=year, defaults={"source": source, "loaded_by": acting_user, "loaded_at": timezone.now()})
        if not created:
            before = {(figure.dimension, figure.code): figure.population
                      for figure in population_set.figures.all()}
            if before == figures and population_set.source == source:
                return Loaded(population_set=population_set, replaced=True, changed=False)
            population_set.figures.all().delete()
            population_set.source = source
            population_set.loaded_by = acting_user
            population_set.loaded_at = timezone.now()
            population_set.save(update_fields=["source", "loaded_by", "loaded_at"])
        PopulationFigure.objects.bulk_create(
            PopulationFigure(population_set=population_set, dimension=dimension, code=code,
                             population=population)
            for (dimension, code), population in sorted(figures.items()))
        audit_event_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=population_set,
            actor=acting_user, changed_fields=["source", "figures"],
            details={"year": year, "figures": len(figures), "replaced": not created})
    return Loaded(population_set=population_set, replaced=not created, changed=True)


# Made-up figures for the fictional county of Shireford, in round thousands
# so that no one takes them for real ones: the example file and the demo.
EXAMPLE_SOURCE = "Made-up example figures for the fictional county of Shireford (not real data)"
EXAMPLE_YEAR = 2021
EXAMPLE_FIGURES = {
    ("total", "all"): 600_000,
    ("ethnicity", "white"): 486_000, ("ethnicity", "mixed"): 21_000, ("ethnicity", "asian"): 54_000,
    ("ethnicity", "black"): 24_000, ("ethnicity", "other"): 15_000,
    ("sex", "male"): 294_000, ("sex", "female"): 306_000,
    ("age_band", "10_or_under"): 72_000, ("age_band", "11_15"): 36_000, ("age_band", "16_17"): 14_000,
    ("age_band", "18_20"): 21_000, ("age_band", "21_30"): 78_000, ("age_band", "31_40"): 79_000,
    ("age_band", "41_50"): 76_000, ("age_band", "over_50"): 224_000,
}


def population_sets():
    """The loaded sets, latest year first, with how many figures each has."""
    from django.db.models import Count

    return PopulationSet.objects.select_related("loaded_by").annotate(figure_count=Count("figures"))


def population_set_for(*, year: int) -> PopulationSet | None:
    return PopulationSet.objects.select_related("loaded_by").filter(year=year).first()
