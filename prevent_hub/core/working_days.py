"""Working days: weekdays that are not bank holidays in England and Wales.

Clocks in the service (triage, the police gateway, complaints) count working
days. Bank holidays are data (`core.BankHoliday`, loaded by a migration from
core/data/bank-holidays-england-and-wales.json, editable in Django admin),
never fetched at run time.

Load the calendar once per request and reuse it for every row:

    calendar = WorkingCalendar.load()          # one query
    for referral in page:
        days = calendar.working_days_between(local_date(referral.received_at), today)

Counting rule: `working_days_between(start, end)` counts the working days
after `start`, up to and including `end`. Something received on a Friday has
been waiting 1 working day on the Monday after, and 0 on the Friday itself,
whether or not the Friday was a working day.
"""

import bisect
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


def local_date(value: datetime.datetime | datetime.date) -> datetime.date:
    """The date in the service's time zone (a date is returned as it is)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the service's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _weekdays_after(start: datetime.date, end: datetime.date) -> int:
    """Mondays to Fridays in (start, end]; 0 if end <= start."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for step in range(1, rest + 1):
        if (weekday + step) % 7 < 5:
            count += 1
    return count


@dataclass(frozen=True)
class WorkingCalendar:
    """Bank holidays that fall on weekdays, sorted, for fast counting."""

    holidays: tuple[datetime.date, ...] = field(default=())

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """Every bank holiday, in one query."""
        from .models import BankHoliday

        return cls.from_dates(BankHoliday.objects.order_by().values_list("date", flat=True))

    @classmethod
    def from_dates(cls, dates) -> "WorkingCalendar":
        return cls(tuple(sorted({day for day in dates if day.weekday() < 5})))

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5:
            return False
        index = bisect.bisect_left(self.holidays, day)
        return not (index < len(self.holidays) and self.holidays[index] == day)

    def _holidays_after(self, start: datetime.date, end: datetime.date) -> int:
        """Weekday bank holidays in (start, end]."""
        return bisect.bisect_right(self.holidays, end) - bisect.bisect_right(self.holidays, start)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 if end is not after start)."""
        if end <= start:
            return 0
        return _weekdays_after(start, end) - self._holidays_after(start, end)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (start itself if days is 0).
        The result is always a working day unless days is 0."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, remaining = start, days
        # Skip whole weeks quickly, then correct for holidays and the rest one day at a time.
        while remaining > 0:
            weeks = (remaining - 1) // 5
            if weeks:
                candidate = day + datetime.timedelta(weeks=weeks)
                done = self.working_days_between(day, candidate)
                day, remaining = candidate, remaining - done
                continue
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def nth_working_day_back(self, end: datetime.date, n: int) -> datetime.date:
        """The n-th working day counting back from `end` (end itself is the first
        if it is a working day). n must be at least 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, found = end, 0
        while True:
            if self.is_working_day(day):
                found += 1
                if found == n:
                    return day
            day -= ONE_DAY

    def overdue_before(self, today: datetime.date, target: int) -> datetime.date:
        """Something received before this date has waited more than `target`
        working days by `today`; something received on it or later has not.

        A received date r is overdue when working_days_between(r, today) >
        target, i.e. when at least target + 1 working days fall in (r, today]:
        exactly when r is before the (target + 1)-th working day back from today.
        Lets a list filter "overdue" in the database with one date comparison.
        """
        return self.nth_working_day_back(today, target + 1)


def working_days_text(days: int) -> str:
    """"1 working day", "3 working days"."""
    return "1 working day" if days == 1 else f"{days} working days"


def working_days_between(start: datetime.date, end: datetime.date, *, calendar=None) -> int:
    """Convenience for a single count (loads the calendar if none is given)."""
    return (calendar or WorkingCalendar.load()).working_days_between(start, end)


def add_working_days(start: datetime.date, days: int, *, calendar=None) -> datetime.date:
    """Convenience for a single date (loads the calendar if none is given)."""
    return (calendar or WorkingCalendar.load()).add_working_days(start, days)
