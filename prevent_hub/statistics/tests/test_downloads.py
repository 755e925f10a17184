"""The spreadsheets, from published figures: every table in each format,
`*` where the figures have `*`, numbers as numbers, and text that cannot
run as a formula whatever it starts with."""

import dataclasses
import io
import zipfile

import pytest
from openpyxl import load_workbook

from prevent_hub.statistics import downloads
from prevent_hub.statistics.figures import Row
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories import published
from .readers import body, csv_figures, csv_lines, ods_cells, ods_sheets, workbook_figures, xlsx_sheets


def expected(statistics) -> list[dict[str, list[str]]]:
    """Each table as the workbooks should hold it: code → the rest of the row as text."""
    return [{str(row[0]): ["" if cell is None else str(cell) for cell in row[1:]] for row in table.rows}
            for table in downloads.tables(statistics)]


def test_every_table_is_a_sheet_with_the_same_figures_in_both_workbooks(settings):
    settings.COUNCIL_NAME = "Fictionshire County Council"
    statistics = published()
    for read in (xlsx_sheets, ods_sheets):
        file_format = "xlsx" if read is xlsx_sheets else "ods"
        response = downloads.download(statistics, file_format)
        name = f"prevent-statistics-2023-24.{file_format}"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        sheets = read(response)
        assert list(sheets) == ["About", "Headline figures", "Referrals by quarter", "Sector of referral",
                                "Gender", "Time taken"]
        assert workbook_figures(sheets) == expected(statistics)
        about = dict((row[0], row[1]) for row in sheets["About"][1:])
        assert about["Council"] == "Fictionshire County Council"
        assert about["Financial year"] == "2023/24"
        assert about["Hidden figures"].startswith("*: hidden to protect people. Counts from 1 to 4")
        sectors = sheets["Sector of referral"]
        assert sectors[0] == ["Code", "Category", "Number of referrals"]
        assert sectors[-1][0] == "Definition"


def test_the_csv_has_a_section_per_table_with_the_same_figures(settings):
    statistics = published()
    response = downloads.download(statistics, "csv")
    assert response["Content-Disposition"] == 'attachment; filename="prevent-statistics-2023-24.csv"'
    lines = csv_lines(response)
    assert tuple(lines[0]) == downloads.CSV_HEADER
    tables = [line[0] for line in lines[1:]]
    # Each table's rows together, in the page's order.
    assert list(dict.fromkeys(tables)) == ["About", "Headline figures", "Referrals by quarter",
                                           "Sector of referral", "Gender", "Time taken"]
    figures = csv_figures(lines)
    assert figures["Headline figures"] == {"referrals": "120", "discussed_at_panel": "15", "adopted": "9"}
    assert figures["Sector of referral"] == {"education": "40", "police": "30", "health": "25",
                                             "community": "25", "prisons": "0", "total": "120"}
    assert figures["Time taken"] == {
        "to_gateway_outcome.counted": "100", "to_gateway_outcome.median_days": "6",
        "to_gateway_outcome.p90_days": "21", "to_panel.counted": "0",
        "to_panel.median_days": "None to measure", "to_panel.p90_days": "None to measure"}


@pytest.mark.parametrize("file_format", downloads.FORMATS)
def test_a_year_of_small_numbers_is_stars_in_every_format(file_format):
    statistics = published(hidden=True)
    response = downloads.download(statistics, file_format)
    if file_format == "csv":
        figures = csv_figures(csv_lines(response))
        shown = [figure for table in figures.values() for code, figure in table.items()
                 if not code.startswith("to_panel")]
    else:
        sheets = (xlsx_sheets if file_format == "xlsx" else ods_sheets)(response)
        tables = workbook_figures(sheets)
        shown = [values[1] for table in tables[:-1] for values in table.values()]
        shown += tables[-1]["to_gateway_outcome"][1:4]
    assert shown and set(shown) == {SUPPRESSED}, shown


def test_numbers_are_numbers_and_stars_are_text_in_the_workbooks():
    statistics = published(sectors=[("education", "Education", 40), ("police", "Police", SUPPRESSED),
                                    ("health", "Health", SUPPRESSED)])
    sheets = xlsx_sheets(downloads.download(statistics, "xlsx"))
    education, police = sheets["Sector of referral"][1:3]
    assert education[2] == 40 and isinstance(education[2], int)
    assert police[2] == SUPPRESSED
    cells = ods_cells(downloads.download(statistics, "ods"))["Sector of referral"]
    assert cells[1][2] == ("float", "40")
    assert cells[2][2] == ("string", SUPPRESSED)


HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


@pytest.mark.parametrize("file_format", downloads.FORMATS)
def test_text_that_looks_like_a_formula_cannot_run(file_format):
    """Category names are reference data an administrator can edit."""
    statistics = published(sectors=[(f"code{index}", text, 10) for index, text in enumerate(HOSTILE)])
    statistics = dataclasses.replace(statistics, breakdowns=(dataclasses.replace(
        statistics.breakdown("by_sector"), title="=cmd|' /C calc'!A0", total=50),))
    response = downloads.download(statistics, file_format)
    if file_format == "csv":
        cells = [cell for line in csv_lines(response) for cell in line]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
        for text in HOSTILE:
            assert f"'{text}" in cells
    elif file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(body(response)))
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        labels = [row[1].value for row in list(workbook.worksheets[3].iter_rows())[1:6]]
        assert labels == HOSTILE
    else:
        content = zipfile.ZipFile(io.BytesIO(body(response))).read("content.xml")
        assert b"table:formula" not in content
        cells = ods_cells(downloads.download(statistics, "ods"))
        texts = [cell for rows in cells.values() for row in rows for cell in row]
        for text in HOSTILE:
            assert ("string", text) in texts


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        downloads.download(published(), "pdf")


def test_rows_keep_their_codes_for_matching_the_api():
    statistics = published(sectors=[("friends_and_family", "Friends and family", 120)])
    table = next(each for each in downloads.tables(statistics) if each.key == "by_sector")
    assert table.rows[0] == ("friends_and_family", "Friends and family", 120)
    assert Row("friends_and_family", "Friends and family", 120) in statistics.breakdown("by_sector").rows
