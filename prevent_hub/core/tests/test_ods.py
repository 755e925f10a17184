"""OpenDocument spreadsheet downloads: every cell typed, text that looks like
a formula stays text, characters XML forbids are dropped, sheet names made
acceptable and kept apart."""

import datetime
import io
import zipfile

from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from prevent_hub.core.ods import CONTENT_TYPE, ods_response


def read(response):
    content = b"".join(response.streaming_content)
    document = load(io.BytesIO(content))
    sheets = {}
    for table in document.spreadsheet.getElementsByType(Table):
        sheets[table.getAttribute("name")] = [
            [(cell.getAttribute("valuetype") or "", teletype.extractText(cell))
             for cell in row.getElementsByType(TableCell)] for row in table.getElementsByType(TableRow)]
    return content, sheets


def test_text_starting_like_a_formula_is_a_string_cell_and_numbers_are_numbers():
    response = ods_response([("Odd: [name]/*?", ("=1+1", "Plain"),
                              [("=HYPERLINK(\"http://x\")", 3), ("@SUM(A1)", None), ("bell\x07", True),
                               (datetime.date(2024, 4, 1), 2.5), ()])],
                            filename="../figures.ods")
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="..figures.ods"'
    content, sheets = read(response)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.read("mimetype") == CONTENT_TYPE.encode()
        assert b"table:formula" not in package.read("content.xml")
    assert list(sheets) == ["Odd   name"]
    rows = sheets["Odd   name"]
    assert rows[0] == [("string", "=1+1"), ("string", "Plain")]
    assert rows[1] == [("string", '=HYPERLINK("http://x")'), ("float", "3")]
    assert rows[2] == [("string", "@SUM(A1)"), ("", "")]
    assert rows[3] == [("string", "bell"), ("string", "Yes")]
    assert rows[4] == [("date", "2024-04-01"), ("float", "2.5")]
    assert rows[5] == [("", "")]  # an empty row still holds a cell, as the format requires


def test_two_sheets_with_the_same_title_are_both_kept_and_no_sheets_is_one_empty_sheet():
    _content, sheets = read(ods_response([("Summary", ("A",), [(1,)]), ("summary", ("B",), [(2,)])],
                                         filename="x.ods"))
    assert list(sheets) == ["Summary", "summary (2)"]
    _content, sheets = read(ods_response([], filename="x.ods"))
    assert list(sheets) == ["Sheet"]
