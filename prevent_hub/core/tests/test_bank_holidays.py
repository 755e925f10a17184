"""Bank holidays never run out: the refresh from the maintained package, the
system check that warns a year ahead, and the monthly job."""

import datetime

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from prevent_hub.core.bank_holidays import bank_holidays_refresh, bank_holidays_warning
from prevent_hub.core.models import BankHoliday
from prevent_hub.core.scheduler import scheduled
from prevent_hub.core.working_days import WorkingCalendar

pytestmark = pytest.mark.django_db


def test_the_check_warns_when_the_data_ends_within_a_year():
    BankHoliday.objects.filter(date__gt=datetime.date(2027, 6, 1)).delete()
    assert "end on 31 May 2027" in bank_holidays_warning(today=datetime.date(2026, 12, 5))
    assert bank_holidays_warning(today=datetime.date(2025, 1, 1)) == ""
    warnings = [message for message in run_checks() if message.id == "core.W001"]
    assert warnings and "refresh_bank_holidays" in warnings[0].hint


def test_refreshing_adds_the_years_ahead_once_and_keeps_edits(capsys):
    BankHoliday.objects.filter(date__year__gte=2029).delete()
    edited = BankHoliday.objects.get(date=datetime.date(2028, 12, 25))
    edited.title = "Christmas Day (as the council calls it)"
    edited.save()
    call_command("refresh_bank_holidays", "--years", "2028", "2030")
    assert "the data now runs to 26 December 2030" in capsys.readouterr().out
    assert BankHoliday.objects.get(date=datetime.date(2028, 12, 25)).title.endswith("calls it)")
    assert BankHoliday.objects.filter(date=datetime.date(2030, 4, 19), title="Good Friday").exists()
    # Weekend dates are kept on their substitute weekday, as GOV.UK lists them.
    assert not BankHoliday.objects.filter(date__year=2029, date__week_day__in=[1, 7]).exists()
    count = BankHoliday.objects.count()
    call_command("refresh_bank_holidays", "--years", "2028", "2030")
    assert BankHoliday.objects.count() == count
    # The clocks use them.
    assert not WorkingCalendar.load().is_working_day(datetime.date(2030, 4, 19))


def test_bad_years_are_refused_and_change_nothing():
    count = BankHoliday.objects.count()
    with pytest.raises(Exception, match="Give two years"):
        call_command("refresh_bank_holidays", "--years", "2031", "2029")
    assert BankHoliday.objects.count() == count


def test_the_refresh_runs_every_month():
    jobs = {job.name: job for job in scheduled()}
    job = next(job for name, job in jobs.items() if name.endswith("bank_holidays_refresh_task"))
    assert job.every == datetime.timedelta(days=30)


def test_by_default_this_year_and_the_next_three():
    BankHoliday.objects.all().delete()
    added = bank_holidays_refresh()
    years = {holiday.date.year for holiday in added}
    assert len(years) == 4
