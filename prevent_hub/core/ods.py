"""OpenDocument spreadsheet (ODS) downloads, for LibreOffice and the other
programs that read the open standard the government's Open Standards
Board chose for documents.

    from prevent_hub.core.ods import ods_response

    return ods_response(
        [("By organisation", ("Organisation", "Learners"), ((row.label, row.learners) for row in rows))],
        filename="training-compliance.ods",
    )

The same sheets as `core.xlsx.xlsx_response`: (title, header, rows). Every
cell is typed: text is a string cell, which a spreadsheet shows as it is
whatever it starts with ("=HYPERLINK(...)" stays text: no cell here has a
formula); numbers and dates are numbers and dates. The file is written
into a spooled file that stays in memory while small and moves to disk when
large.
"""

import datetime
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableCellProperties, TextProperties
from odf.table import Table, TableCell, TableRow
from odf.text import P

from .xlsx import IN_MEMORY_BYTES, sheet_title

CONTENT_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
CELL_TEXT_MAX = 32_767
# Characters XML 1.0 does not allow at all (tab, newline and return aside).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Sheet = tuple[str, Iterable, Iterable[Iterable]]


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))[:CELL_TEXT_MAX]


def _cell(value, *, style=None) -> TableCell:
    extra = {"stylename": style} if style is not None else {}
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if value is None:
        return TableCell(**extra)
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
        shown = value.isoformat(sep=" ", timespec="minutes")
        cell = TableCell(valuetype="date", datevalue=value.isoformat(timespec="seconds"), **extra)
    elif isinstance(value, datetime.date):
        shown = value.isoformat()
        cell = TableCell(valuetype="date", datevalue=shown, **extra)
    elif isinstance(value, int | float | Decimal):
        shown = str(value)
        cell = TableCell(valuetype="float", value=shown, **extra)
    else:
        shown = _text(value)
        cell = TableCell(valuetype="string", **extra)
    cell.addElement(P(text=shown))
    return cell


def ods_file(sheets: Iterable[Sheet]):
    """The spreadsheet, as a file positioned at its start."""
    document = OpenDocumentSpreadsheet()
    bold = Style(name="Heading", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(TableCellProperties(wrapoption="wrap"))
    document.automaticstyles.addElement(bold)
    taken: set[str] = set()
    for title, header, rows in sheets:
        table = Table(name=sheet_title(title, taken))
        heading = TableRow()
        for name in header:
            heading.addElement(_cell(name, style=bold))
        table.addElement(heading)
        for row in rows:
            line = TableRow()
            cells = [_cell(value) for value in row] or [TableCell()]  # a row holds at least one cell
            for cell in cells:
                line.addElement(cell)
            table.addElement(line)
        document.spreadsheet.addElement(table)
    if not taken:
        document.spreadsheet.addElement(Table(name="Sheet"))
    output = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - FileResponse closes it
    document.write(output)
    output.seek(0)
    return output


def ods_response(sheets: list[Sheet], *, filename: str) -> FileResponse:
    """A download of one spreadsheet: `sheets` is [(title, header, rows)]."""
    safe_name = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "download.ods"
    response = FileResponse(ods_file(sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response
