import datetime
from zoneinfo import ZoneInfo

import pytest

from prevent_hub.core.formatting import govuk_date, govuk_datetime, govuk_short_date, govuk_time

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime.datetime(2026, 3, 4, 15, 42, tzinfo=LONDON), "4 March 2026 at 3:42pm"),
    (datetime.datetime(2026, 3, 4, 9, 0, tzinfo=LONDON), "4 March 2026 at 9am"),
    (datetime.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON), "4 March 2026 at midday"),
    (datetime.datetime(2026, 3, 4, 0, 0, tzinfo=LONDON), "4 March 2026 at midnight"),
    # Stored in UTC, shown in UK time (BST in summer).
    (datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC), "2 July 2026 at 12:30am"),
])
def test_govuk_datetime(moment, expected):
    assert govuk_datetime(moment) == expected


def test_dates_and_empty_values():
    assert govuk_date(datetime.date(2026, 11, 5)) == "5 November 2026"
    assert govuk_date(None, empty="Never") == "Never"
    assert govuk_datetime(None) == ""
    assert govuk_time(datetime.datetime(2026, 1, 1, 17, 5, tzinfo=LONDON)) == "5:05pm"


def test_short_dates_for_tables_are_in_uk_time():
    assert govuk_short_date(datetime.date(2026, 11, 17)) == "17 Nov 2026"
    assert govuk_short_date(datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)) == "2 Jul 2026"
    assert govuk_short_date(None) == ""
