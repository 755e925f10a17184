"""Dates and times as GOV.UK writes them: 4 June 2026, 4 June 2026 at 2:30pm,
midday and midnight, in the service's time zone."""

import datetime

from django.utils import timezone


def _date(value: datetime.date | None, month: str, empty: str) -> str:
    if value is None:
        return empty
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value.strftime(month)} {value.year}"


def govuk_date(value: datetime.date | None, *, empty: str = "") -> str:
    return _date(value, "%B", empty)


def govuk_short_date(value: datetime.date | None, *, empty: str = "") -> str:
    """"17 Nov 2026": for tables, which have little room."""
    return _date(value, "%b", empty)


def govuk_time(value: datetime.datetime | datetime.time | None, *, empty: str = "") -> str:
    if value is None:
        return empty
    # A time of day on its own (a meeting's start) is already local.
    local = timezone.localtime(value) if isinstance(value, datetime.datetime) else value
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def govuk_datetime(value: datetime.datetime | None, *, empty: str = "") -> str:
    if value is None:
        return empty
    return f"{govuk_date(value)} at {govuk_time(value)}"
