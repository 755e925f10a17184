"""Keeping the bank holidays ahead of the calendar.

The shipped list (core/data, loaded by a migration) ends on a fixed date;
working-day clocks past it would count bank holidays as working days. The
maintained `holidays` package knows the rules and announced changes for
England (the same bank holidays as Wales): `refresh_bank_holidays` adds the
years ahead from it, a scheduled job does the same every month, and a system
check warns when the data ends within a year.
"""

import datetime

import holidays
from django.db import transaction
from django.utils import timezone

from .models import BankHoliday

YEARS_AHEAD = 3
WARN_WITHIN = datetime.timedelta(days=365)


def bank_holidays_last() -> datetime.date | None:
    return BankHoliday.objects.order_by("-date").values_list("date", flat=True).first()


def bank_holidays_refresh(*, years: range | None = None) -> list[BankHoliday]:
    """Add the England and Wales bank holidays of `years` (this year and the
    next YEARS_AHEAD by default) that are not in the data yet. Dates already
    there (an administrator may have edited one) are left alone. Returns
    those added."""
    if years is None:
        this_year = timezone.localdate().year
        years = range(this_year, this_year + YEARS_AHEAD + 1)
    known = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    with transaction.atomic():
        existing = set(BankHoliday.objects.filter(date__year__in=list(years)).values_list("date", flat=True))
        # A holiday falling at a weekend is kept on its substitute weekday (which
        # the package lists too, "(observed)"), as GOV.UK lists them.
        added = [BankHoliday(date=day, title=title[:100]) for day, title in sorted(known.items())
                 if day not in existing and day.weekday() < 5]
        BankHoliday.objects.bulk_create(added)
    return added


def bank_holidays_warning(today: datetime.date | None = None) -> str:
    """What to say if the data ends within a year, else ""."""
    today = today or timezone.localdate()
    last = bank_holidays_last()
    if last is None:
        return ("There are no bank holidays in the database: working-day clocks will count them as "
                "working days.")
    if last - today < WARN_WITHIN:
        return (f"The bank holidays in the database end on {last:%d %B %Y}: after that, working-day clocks "
                "count bank holidays as working days.")
    return ""
