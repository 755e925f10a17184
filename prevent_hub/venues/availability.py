"""When a room can be booked: opening hours, closures and the bookings that
hold it (models.occupying). Used to refuse a clash (with the free slots
shown instead) and by the calendars."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from prevent_hub.core.formatting import govuk_date

from .models import Closure, OpeningHours, Room, VenueBooking, occupying


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.time
    ends_at: datetime.time

    def __str__(self):
        return f"{self.starts_at:%H:%M} to {self.ends_at:%H:%M}"


def hours_on(room: Room, day: datetime.date) -> OpeningHours | None:
    return OpeningHours.objects.filter(venue_id=room.venue_id, weekday=day.weekday()).first()


def closure_on(room: Room, day: datetime.date) -> Closure | None:
    return (Closure.objects.filter(venue_id=room.venue_id, starts_on__lte=day, ends_on__gte=day)
            .filter(Q(room__isnull=True) | Q(room=room)).first())


def bookings_holding(room: Room, day: datetime.date, *, exclude=None):
    """The bookings holding `room` on `day`, earliest first."""
    queryset = VenueBooking.objects.filter(room=room, event_date=day).filter(occupying(timezone.localdate()))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.order_by("starts_at")


def free_slots(room: Room, day: datetime.date, *, exclude=None) -> list[Slot]:
    """The stretches of the room's opening hours on `day` that no booking
    holds (none on a closed day)."""
    hours = hours_on(room, day)
    if hours is None or closure_on(room, day) is not None:
        return []
    slots, start = [], hours.opens
    held = bookings_holding(room, day, exclude=exclude).values_list("starts_at", "ends_at")
    for starts_at, ends_at in held:
        if starts_at > start:
            slots.append(Slot(start, min(starts_at, hours.closes)))
        start = max(start, ends_at)
        if start >= hours.closes:
            break
    if start < hours.closes:
        slots.append(Slot(start, hours.closes))
    return slots


def unavailable_because(room: Room, day: datetime.date, starts_at: datetime.time, ends_at: datetime.time,
                        *, exclude=None) -> str:
    """Why the room cannot be booked then, in words for the booker ("" if it can)."""
    if not room.active or not room.venue.active:
        return f"{room} is no longer taking bookings"
    if day <= timezone.localdate():
        return "The event date must be in the future"
    if starts_at >= ends_at:
        return "The end time must be after the start time"
    hours = hours_on(room, day)
    if hours is None:
        return f"{room.venue} is closed on {day:%A}s"
    closure = closure_on(room, day)
    if closure is not None:
        return f"{room} is closed on {govuk_date(day)} ({closure.reason})"
    if starts_at < hours.opens or ends_at > hours.closes:
        return (f"{room.venue} is open from {hours.opens:%H:%M} to {hours.closes:%H:%M} on {day:%A}s, so "
                "the booking must start and end within those hours")
    clash = bookings_holding(room, day, exclude=exclude).filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if clash.exists():
        return f"{room} is already booked for part of that time on {govuk_date(day)}"
    return ""


def free_days_after(room: Room, day: datetime.date, *, days: int = 14, exclude=None
                    ) -> list[tuple[datetime.date, list[Slot]]]:
    """The next days (up to `days` ahead of `day`) with any free time, each
    with its free slots: what to offer instead of a clash."""
    found = []
    for offset in range(1, days + 1):
        other = day + datetime.timedelta(days=offset)
        slots = free_slots(room, other, exclude=exclude)
        if slots:
            found.append((other, slots))
    return found
