"""CSV downloads that are safe to open in a spreadsheet and never held in memory.

    from prevent_hub.core.csv import csv_response

    return csv_response(
        ("Reference", "Received", "Concern"),
        ((r.reference, r.received_at, r.summary) for r in referrals.iterator()),
        filename="referrals.csv",
    )

Every cell goes through `safe_cell`: spreadsheet programs run a cell that
starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
formula, so text that someone typed into the service could otherwise call out
to the network or run commands on the reader's machine (OWASP "CSV injection").
Such text gets a leading apostrophe, which spreadsheets show as plain text.
Numbers are written as they are: they cannot be formulas.
"""

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
UTF8_BOM = "\ufeff"


def safe_cell(value) -> str:
    """One value as text for a CSV cell, defused if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value):
        return value


def csv_rows(header: Iterable, rows: Iterable[Iterable]):
    """The CSV text, one encoded line at a time, BOM first."""
    writer = csv.writer(_Line())
    yield UTF8_BOM.encode()
    yield writer.writerow([safe_cell(cell) for cell in header]).encode()
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row]).encode()


def csv_response(header: Iterable, rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download: `rows` is consumed while the response is sent,
    so pass an iterator (e.g. `queryset.values_list(...).iterator()`), not a list."""
    safe_name = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "download.csv"
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    # Personal data: never kept by browsers or proxies.
    return response
