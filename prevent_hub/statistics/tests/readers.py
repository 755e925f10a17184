"""Reading what a person downloads or sees, for the statistics tests: each
format read back into {table title: [(code, figure as text)]}, and the same
from the page, so the two can be compared as a reader would."""

import csv
import io

from bs4 import BeautifulSoup
from odf import teletype
from odf.opendocument import load as load_ods
from odf.table import Table, TableCell, TableRow
from openpyxl import load_workbook


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_lines(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_sheets(response) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def ods_cells(response) -> dict[str, list[list[tuple[str, str]]]]:
    """Each cell as (its value type, its text)."""
    document = load_ods(io.BytesIO(body(response)))
    found = {}
    for table in document.spreadsheet.getElementsByType(Table):
        found[table.getAttribute("name")] = [
            [(cell.getAttribute("valuetype") or "", teletype.extractText(cell))
             for cell in row.getElementsByType(TableCell)]
            for row in table.getElementsByType(TableRow)]
    return found


def ods_sheets(response) -> dict[str, list[list[str]]]:
    return {title: [[text for _type, text in row] for row in rows]
            for title, rows in ods_cells(response).items()}


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def csv_figures(lines: list[list[str]]) -> dict[str, dict[str, str]]:
    """Table → code → figure, from the CSV's lines (the About section aside)."""
    found: dict[str, dict[str, str]] = {}
    for table, code, _label, figure, _definition in lines[1:]:
        if table != "About":
            found.setdefault(table, {})[code] = figure
    return found


def workbook_figures(sheets: dict[str, list[list]]) -> list[dict[str, list[str]]]:
    """Each sheet after "About", in order: code → the rest of its row as
    text (the rows stop at the blank one before the definition)."""
    found = []
    for title, rows in sheets.items():
        if title == "About":
            continue
        figures = {}
        for row in rows[1:]:
            if not any(as_text(cell) for cell in row):
                break
            figures[as_text(row[0])] = [as_text(cell) for cell in row[1:]]
        found.append(figures)
    return found


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def page_figures(response) -> dict[str, dict[str, str]]:
    """Breakdown key → code → the figure the page shows (commas removed)."""
    found = {}
    for section in soup(response).select("section[data-breakdown]"):
        found[section["data-breakdown"]] = {
            row["data-row"]: row.find("td").get_text(strip=True).replace(",", "")
            for row in section.select("tr[data-row]")}
    found["headlines"] = {
        each["data-headline"]: each.select_one(".app-statistics__figure").get_text(strip=True)
        .replace(",", "") for each in soup(response).select("[data-headline]")}
    return found
