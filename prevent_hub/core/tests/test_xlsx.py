"""Spreadsheet downloads: text that looks like a formula stays text, and
names Excel would refuse are made acceptable."""

import io
import zipfile

from openpyxl import load_workbook

from prevent_hub.core.xlsx import xlsx_response


def test_text_starting_like_a_formula_is_written_as_text_never_a_formula():
    response = xlsx_response([("Odd: [name]/*?", ("=1+1", "Plain"),
                               [("=HYPERLINK(\"http://x\")", 3), ("@SUM(A1)", None), ("bell\x07", True)])],
                             filename="../figures.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="..figures.xlsx"'
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "Odd   name"
    rows = list(sheet.iter_rows())
    assert [(cell.value, cell.data_type) for cell in rows[0]] == [("=1+1", "s"), ("Plain", "s")]
    assert (rows[1][0].value, rows[1][0].data_type) == ('=HYPERLINK("http://x")', "s")
    assert (rows[1][1].value, rows[1][1].data_type) == (3, "n")
    assert [cell.value for cell in rows[2]] == ["@SUM(A1)", None]
    assert [cell.value for cell in rows[3]] == ["bell", "Yes"]


def test_two_sheets_with_the_same_title_are_both_kept():
    response = xlsx_response([("Summary", ("A",), [(1,)]), ("summary", ("B",), [(2,)])], filename="x.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Summary", "summary (2)"]
