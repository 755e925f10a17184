import datetime
import json
from pathlib import Path

import pytest
from django.contrib import admin

from prevent_hub.core.models import BankHoliday
from prevent_hub.core.working_days import (
    WorkingCalendar,
    add_working_days,
    local_date,
    working_days_between,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "bank-holidays-england-and-wales.json"
D = datetime.date

# Easter 2026: Good Friday 3 April, Easter Monday 6 April. Christmas 2026:
# Friday 25 December, Boxing Day substitute Monday 28 December.
CALENDAR_2026 = WorkingCalendar.from_dates([
    D(2026, 4, 3), D(2026, 4, 6), D(2026, 12, 25), D(2026, 12, 28),
    D(2026, 12, 26),  # a Saturday: makes no difference
])


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2026, 3, 2), D(2026, 3, 2), 0),     # Monday to itself
    (D(2026, 3, 2), D(2026, 3, 3), 1),     # Monday to Tuesday
    (D(2026, 3, 6), D(2026, 3, 9), 1),     # Friday to Monday: the weekend does not count
    (D(2026, 3, 7), D(2026, 3, 9), 1),     # received on a Saturday
    (D(2026, 3, 6), D(2026, 3, 8), 0),     # Friday to Sunday
    (D(2026, 3, 2), D(2026, 3, 16), 10),   # two whole weeks
    (D(2026, 4, 2), D(2026, 4, 7), 1),     # Thursday to Tuesday over Easter
    (D(2026, 12, 24), D(2026, 12, 29), 1),  # Christmas Eve to the Tuesday after
    (D(2026, 3, 9), D(2026, 3, 2), 0),     # backwards is 0, never negative
])
def test_working_days_between_skips_weekends_and_bank_holidays(start, end, expected):
    assert CALENDAR_2026.working_days_between(start, end) == expected


@pytest.mark.parametrize(("start", "days", "expected"), [
    (D(2026, 3, 2), 0, D(2026, 3, 2)),
    (D(2026, 3, 2), 1, D(2026, 3, 3)),
    (D(2026, 3, 6), 1, D(2026, 3, 9)),     # Friday + 1 is Monday
    (D(2026, 3, 7), 1, D(2026, 3, 9)),     # Saturday + 1 is Monday
    (D(2026, 3, 2), 5, D(2026, 3, 9)),
    (D(2026, 3, 2), 20, D(2026, 3, 30)),
    (D(2026, 4, 2), 1, D(2026, 4, 7)),     # over Easter
    (D(2026, 3, 30), 10, D(2026, 4, 15)),  # two weeks that include Easter
    (D(2026, 12, 24), 2, D(2026, 12, 30)),
])
def test_add_working_days(start, days, expected):
    assert CALENDAR_2026.add_working_days(start, days) == expected


def test_adding_and_counting_agree_over_a_whole_year():
    start = D(2026, 1, 1)
    for offset in range(366):
        day = start + datetime.timedelta(days=offset)
        for days in (1, 5, 20):
            later = CALENDAR_2026.add_working_days(day, days)
            assert CALENDAR_2026.working_days_between(day, later) == days
            assert CALENDAR_2026.is_working_day(later)


def test_overdue_before_splits_received_dates_exactly_where_the_count_passes_the_target():
    today = D(2026, 4, 8)  # the Wednesday after Easter
    for target in (1, 5):
        cutoff = CALENDAR_2026.overdue_before(today, target)
        for offset in range(1, 40):
            received = today - datetime.timedelta(days=offset)
            overdue = CALENDAR_2026.working_days_between(received, today) > target
            assert overdue == (received < cutoff), (target, received)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        CALENDAR_2026.add_working_days(D(2026, 1, 5), -1)


def test_local_date_uses_uk_time():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert local_date(moment) == D(2026, 7, 1)


def test_the_shipped_bank_holidays_file_loads_and_every_date_is_a_weekday():
    events = json.loads(DATA.read_text(encoding="utf-8"))["events"]
    assert len(events) > 50
    dates = [D.fromisoformat(event["date"]) for event in events]
    assert len(set(dates)) == len(dates)
    assert all(event["title"] for event in events)
    weekend = [day for day in dates if day.weekday() >= 5]
    assert weekend == [], "bank holidays are always weekdays (substitute days move them)"
    years = {day.year for day in dates}
    assert years >= {2025, 2026, 2027}, "the coming years must be there"


@pytest.mark.django_db
def test_the_migration_loaded_the_shipped_bank_holidays():
    events = json.loads(DATA.read_text(encoding="utf-8"))["events"]
    loaded = set(BankHoliday.objects.values_list("date", flat=True))
    assert loaded == {D.fromisoformat(event["date"]) for event in events}
    assert BankHoliday.objects.get(date=D(2026, 12, 28)).title == "Boxing Day (substitute day)"


@pytest.mark.django_db
def test_the_calendar_loads_in_one_query_and_uses_the_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkingCalendar.load()
    assert not calendar.is_working_day(D(2026, 12, 25))
    assert calendar.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    # An administrator adds a day (say a one-off bank holiday): the next load counts it.
    BankHoliday.objects.create(date=D(2026, 3, 11), title="One-off bank holiday (test)")
    assert working_days_between(D(2026, 3, 10), D(2026, 3, 12)) == 1
    assert add_working_days(D(2026, 3, 10), 1) == D(2026, 3, 12)


def test_bank_holidays_can_be_edited_in_django_admin():
    assert admin.site.is_registered(BankHoliday)


@pytest.mark.django_db
def test_a_system_administrator_can_add_next_years_bank_holiday(staff_client):
    from prevent_hub.access.roles import Role

    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    response = client.post("/staff/django-admin/core/bankholiday/add/",
                           {"date": "2029-01-01", "title": "New Year’s Day"})
    assert response.status_code == 302
    assert BankHoliday.objects.filter(date=D(2029, 1, 1)).exists()
    listing = client.get("/staff/django-admin/core/bankholiday/").content.decode()
    assert "New Year’s Day" in listing
