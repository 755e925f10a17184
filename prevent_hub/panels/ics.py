"""The calendar invitation (iCalendar, RFC 5545) attached to a meeting's
notice, so the meeting goes into each person's calendar in one click.

The notice is OFFICIAL-SENSITIVE, and calendars are shared, synced and shown
on lock screens: the event says which panel meets, when and where, and
nothing about who or what is discussed (no names, no case references). The
agenda stays behind sign-in, at the link the event gives.
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

# Meetings record a start time but no end. Calendars need one: two hours is
# what a Channel panel with a handful of cases usually books, and blocks the
# time without claiming the whole day. People adjust their own copy.
MEETING_LENGTH = datetime.timedelta(hours=2)

# UIDs must be unique across every calendar a person has; the service's own
# host makes them ours. Without SERVICE_BASE_URL (development), a reserved
# name that can belong to nobody else.
FALLBACK_HOST = "prevent-hub.invalid"


def _host() -> str:
    return urlsplit(settings.SERVICE_BASE_URL).hostname or FALLBACK_HOST


def meeting_uid(meeting) -> str:
    """The same for every notice of a meeting, so a calendar updates its
    entry when the notice is sent again instead of adding a second one."""
    return f"panel-meeting-{meeting.pk}@{_host()}"


def meeting_times(meeting) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end in the service's time zone (Europe/London): the wall
    clock time the chair typed, in GMT or BST as the date falls."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    return start, start + MEETING_LENGTH


def _where(meeting) -> str:
    parts = [meeting.location] if meeting.location else []
    if meeting.online_link:
        parts.append(f"Online: {meeting.online_link}")
    return "; ".join(parts)


def meeting_ics(meeting, *, cancelled: bool = False) -> bytes:
    """The meeting as an iCalendar file with one event (METHOD:PUBLISH: it
    goes into the calendar; replies are not collected). `cancelled`: the
    same event (same UID, a later SEQUENCE) as METHOD:CANCEL, which takes
    it out of the calendars it went into."""
    base = settings.SERVICE_BASE_URL.rstrip("/")
    start, end = meeting_times(meeting)
    calendar = Calendar.new(prodid=f"-//{settings.COUNCIL_NAME}//{settings.SERVICE_NAME}//EN",
                            method="CANCEL" if cancelled else "PUBLISH")
    event = Event.new(
        uid=meeting_uid(meeting), stamp=timezone.now(), start=start, end=end,
        summary=f"{meeting.panel.name} meeting", location=_where(meeting) or None,
        url=base + reverse("panels:meeting", kwargs={"pk": meeting.pk}),
        description=(f"Sign in to {settings.SERVICE_NAME} to read the agenda pack: "
                     + base + reverse("panels:agenda-pack", kwargs={"pk": meeting.pk})),
    )
    # A calendar shared with colleagues shows them "busy", not the entry.
    event.add("class", "CONFIDENTIAL")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    calendar.add_component(event)
    # The time zone's rules, for calendars that do not know Europe/London by
    # name; only the years around the meeting, to keep the file small.
    calendar.add_missing_timezones(first_date=meeting.date - datetime.timedelta(days=366),
                                   last_date=meeting.date + datetime.timedelta(days=366))
    return calendar.to_ical()


def meeting_ics_filename(meeting) -> str:
    return f"panel-meeting-{meeting.date:%Y-%m-%d}.ics"
