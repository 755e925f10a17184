"""Calendar arithmetic the domain relies on."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole calendar months, clamped to the end of a shorter
    month: 31 January + 1 month is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
