"""Excel (XLSX) downloads whose text can never run as a formula.

    from prevent_hub.core.xlsx import xlsx_response

    return xlsx_response(
        [("By organisation", ("Organisation", "Learners"), ((row.label, row.learners) for row in rows))],
        filename="training-compliance.xlsx",
    )

Each sheet is (title, header, rows). openpyxl takes any string that starts
with "=" for a formula, so text someone typed ("=HYPERLINK(...)") would run
when the file is opened. Here every piece of text is written as an inline
string cell, which Excel shows as it is, whatever it starts with; numbers
and dates are written as numbers and dates (they cannot be formulas).

The workbook is written in openpyxl's write-only mode (rows go to a
temporary file as they come, never held as cells in memory), into a
spooled file that stays in memory while small and moves to disk when
large, and is sent from there.
"""

import datetime
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IN_MEMORY_BYTES = 8 * 1024 * 1024
# Excel's limits: a sheet's title, and the text one cell holds.
TITLE_MAX, CELL_TEXT_MAX = 31, 32_767
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Sheet = tuple[str, Iterable, Iterable[Iterable]]


def _text(value) -> str:
    # Control characters are not allowed in the file format at all.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:CELL_TEXT_MAX]


def _cell(sheet, value, *, bold=False):
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value=value)
    elif value is None:
        cell = WriteOnlyCell(sheet, value=None)
    else:
        cell = WriteOnlyCell(sheet, value=None)
        # Set after the value: openpyxl would otherwise take "=..." for a formula.
        cell.value, cell.data_type = _text(value), "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_title(title: str, taken: set[str]) -> str:
    """`title` as Excel allows it (31 characters, no []:*?/\\), unique in the workbook."""
    base = _TITLE_FORBIDDEN.sub(" ", _text(title)).strip().strip("'")[:TITLE_MAX] or "Sheet"
    found, number = base, 1
    while found.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        found = base[:TITLE_MAX - len(suffix)] + suffix
    taken.add(found.casefold())
    return found


def xlsx_file(sheets: Iterable[Sheet]):
    """The workbook, as a file positioned at its start."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title, taken))
        header = list(header)
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, name, bold=True) for name in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    if not taken:
        workbook.create_sheet("Sheet")
    output = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - FileResponse closes it
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_response(sheets: list[Sheet], *, filename: str) -> FileResponse:
    """A download of one workbook: `sheets` is [(title, header, rows)], rows
    any iterable of rows (an iterator is read once, as it is written)."""
    safe_name = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "download.xlsx"
    response = FileResponse(xlsx_file(sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response
