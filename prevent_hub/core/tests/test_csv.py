import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from prevent_hub.core.csv import csv_response, safe_cell


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("plain text", "plain text"),
    (" =not first", " =not first"),
    ("", ""),
    (None, ""),
    (42, "42"),
    (-5, "-5"),
    (Decimal("-1.50"), "-1.50"),
    (True, "Yes"),
    (False, "No"),
    (datetime.date(2026, 3, 1), "2026-03-01"),
    (["a"], "['a']"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_aware_datetimes_are_written_in_uk_time():
    moment = datetime.datetime(2026, 7, 1, 11, 30, tzinfo=datetime.UTC)
    assert timezone.get_current_timezone_name() == "Europe/London"
    assert safe_cell(moment) == "2026-07-01 12:30:00+01:00"


def test_csv_response_streams_safe_rows():
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield (n, f"=cmd|' /C calc'!A{n}", "a, \"quoted\"\nvalue")

    response = csv_response(("Number", "=Formula header"), rows(), filename="../../etc/passwd\".csv")
    assert consumed == []  # nothing read until the response is sent
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="....etcpasswd.csv"'
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(body[1:])))
    assert parsed == [
        ["Number", "'=Formula header"],
        *[[str(n), f"'=cmd|' /C calc'!A{n}", "a, \"quoted\"\nvalue"] for n in range(3)],
    ]
    assert consumed == [0, 1, 2]
