"""The venue bookings dashboard (requests awaiting action first, with their
working-day clocks; filters, search and a CSV of the list), the quarterly
counts, and each venue's month and week calendars.

Every page reads a fixed number of queries whatever the number of bookings:
the list is paginated and counted in the database, and a calendar reads only
the bookings of the days it shows."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.dates import add_months
from prevent_hub.core.formatting import govuk_date, govuk_short_date
from prevent_hub.core.quarters import quarter_end
from prevent_hub.core.working_days import WorkingCalendar, local_date, working_days_text
from prevent_hub.govuk.pagination import pagination_params

from . import selectors
from .models import AWAITING_ACTION, BookingStatus, Venue, Weekday
from .venue_forms import CalendarRoomForm, DashboardFilterForm, VenueChoiceForm, dashboard_query

BOOKING_TYPE = "venues.venuebooking"
BOOKINGS_PER_PAGE = 25
TITLE = "Venue bookings"

STATUS_TAG = {
    BookingStatus.REQUESTED: "",
    BookingStatus.CHECKING: "govuk-tag--teal",
    BookingStatus.ESCALATED: "govuk-tag--orange",
    BookingStatus.CHANGED_AWAITING_REAPPROVAL: "govuk-tag--yellow",
    BookingStatus.APPEALED: "govuk-tag--purple",
    BookingStatus.APPROVED: "govuk-tag--green",
    BookingStatus.APPROVED_WITH_CONDITIONS: "govuk-tag--green",
    BookingStatus.APPEAL_UPHELD: "govuk-tag--green",
    BookingStatus.REFUSED: "govuk-tag--red",
    BookingStatus.APPEAL_DISMISSED: "govuk-tag--red",
    BookingStatus.WITHDRAWN: "govuk-tag--grey",
    BookingStatus.CANCELLED: "govuk-tag--grey",
}


def breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": TITLE, "href": reverse("venues:dashboard")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def booking_hrefs():
    """reference → the booking's page, for a page of many bookings: reverse()
    once rather than for each (references are letters, digits and hyphens)."""
    page = reverse("venues:booking", kwargs={"reference": "VEN-0000-000000"})
    return lambda reference: page.replace("VEN-0000-000000", reference)


def times(booking) -> str:
    return f"{booking.starts_at:%H:%M} to {booking.ends_at:%H:%M}"


# The dashboard -----------------------------------------------------------------------


@dataclass
class Clocks:
    """A request's working-day clocks: since it was received and until its
    event. They run only while the request awaits the council's action."""

    running: bool
    received: int = 0
    until_event: int = 0
    received_today: bool = False
    event_soon: bool = False
    event_passed: bool = False

    @classmethod
    def of(cls, booking, *, calendar: WorkingCalendar, today, soon_before):
        if booking.status not in AWAITING_ACTION:
            return cls(running=False)
        received = local_date(booking.received_at)
        return cls(running=True, received=calendar.working_days_between(received, today),
                   until_event=calendar.working_days_between(today, booking.event_date),
                   received_today=received == today,
                   event_soon=today <= booking.event_date < soon_before,
                   event_passed=booking.event_date < today)

    @property
    def received_text(self) -> str:
        return "Received today" if self.received_today else f"{working_days_text(self.received)} ago"

    @property
    def event_text(self) -> str:
        if self.event_passed:
            return "The event date has passed"
        return f"In {working_days_text(self.until_event)}" if self.until_event else "Today"


def _soon_before(calendar: WorkingCalendar, today) -> datetime.date:
    """Events before this date are within BOOKING_EVENT_SOON_WORKING_DAYS
    working days of today: the day the next working day after them begins."""
    return calendar.add_working_days(today, settings.BOOKING_EVENT_SOON_WORKING_DAYS + 1)


class Listing:
    """What the dashboard and its CSV share: the filters as typed, the
    bookings they match, and what each row's clocks and names need (the
    venues, which the filters list anyway, and every room's name)."""

    def __init__(self, request):
        venues = list(Venue.objects.order_by("name").only("pk", "name"))
        self.venues = {venue.pk: venue.name for venue in venues}
        self.form = DashboardFilterForm.from_request(request, venues=venues)
        self.filters = self.form.filters()
        self.calendar, self.today = WorkingCalendar.load(), timezone.localdate()
        self.soon_before = _soon_before(self.calendar, self.today)
        self.bookings = selectors.bookings_filtered(user=request.user, filters=self.filters)
        self.rooms = selectors.room_names()

    def clocks(self, booking) -> Clocks:
        return Clocks.of(booking, calendar=self.calendar, today=self.today, soon_before=self.soon_before)

    def room(self, booking) -> str:
        return self.rooms[booking.room_id]

    def venue(self, booking) -> str:
        return self.venues[booking.venue_id]


def _filters_summary(filters, form) -> list[str]:
    summary = []
    if filters.search:
        summary.append(f"Search: {filters.search}")
    if filters.status:
        summary.append(f"Status: {dict(form.fields['status'].choices)[filters.status]}")
    if filters.venue_id:
        summary.append(f"Venue: {dict(form.fields['venue'].choices)[str(filters.venue_id)]}")
    for name, words in (("event_from", "Event on or after"), ("event_to", "Event on or before"),
                        ("received_from", "Received on or after"), ("received_to", "Received on or before")):
        if getattr(filters, name):
            summary.append(f"{words} {govuk_date(getattr(filters, name))}")
    return summary


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_many(BOOKING_TYPE, part="venue bookings dashboard")
def dashboard(request):
    user = request.user
    listing = Listing(request)
    filters, form = listing.filters, listing.form
    page = Paginator(listing.bookings, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    href = booking_hrefs()
    rows = [{"booking": booking, "href": href(booking.reference), "tag": STATUS_TAG[booking.status],
             "event_date": govuk_short_date(booking.event_date), "times": times(booking),
             "received": govuk_short_date(booking.received_at), "clocks": listing.clocks(booking),
             "where": f"{listing.room(booking)}, {listing.venue(booking)}",
             "booker": booking.organisation_name or booking.booker_name} for booking in page.object_list]
    if rows:
        audit_read(action=AuditAction.SEARCH, object_type=BOOKING_TYPE, details={
            "list": "venue bookings dashboard", "filters": filters.for_audit(), "page": page.number})
    query = urlencode(dashboard_query(filters))
    return render(request, "venues/dashboard/dashboard.html", {
        "title": TITLE, "page": page, "rows": rows, "filter_form": form, "form": form, "filters": filters,
        "filters_summary": _filters_summary(filters, form),
        "counts": selectors.awaiting_action_counts(user=user, today=listing.today,
                                                   soon_before=listing.soon_before),
        "soon_days": settings.BOOKING_EVENT_SOON_WORKING_DAYS,
        "pagination": pagination_params(request, page),
        "export_href": (f"{reverse('venues:export')}{'?' if query else ''}{query}"
                        if rows and can(user, Action.VENUE_BOOKING_EXPORT) else ""),
        "may_manage": can(user, Action.VENUE_MANAGE),
        "breadcrumbs": {"items": [{"text": "Home", "href": reverse("staff:home")}],
                        "classes": "govuk-!-display-none-print"},
    })


EXPORT_HEADER = ("Reference", "Status", "Venue", "Room", "Event date", "Starts", "Ends", "Event title",
                 "Booker", "Organisation", "Received", "Working days since received",
                 "Working days until the event", "Decision", "Appeal by")


@requires(Action.VENUE_BOOKING_EXPORT)
@require_GET
@shows_many(BOOKING_TYPE, part="venue bookings export")
def export(request):
    """The dashboard's list, with the same filters, as a spreadsheet (CSV), streamed."""
    listing = Listing(request)
    if listing.form.is_bound and not listing.form.is_valid():
        # Back to the list, which shows what is wrong with the filters.
        return redirect(f"{reverse('venues:dashboard')}?{request.GET.urlencode()}")
    audit_read(action=AuditAction.EXPORT, object_type=BOOKING_TYPE, details={
        "list": "venue bookings dashboard", "filters": listing.filters.for_audit(),
        "rows": listing.bookings.count(), "format": "csv"})

    def rows():
        for booking in listing.bookings:
            clocks = listing.clocks(booking)
            yield (booking.reference, booking.get_status_display(), listing.venue(booking),
                   listing.room(booking), booking.event_date, f"{booking.starts_at:%H:%M}",
                   f"{booking.ends_at:%H:%M}", booking.title, booking.booker_name,
                   booking.organisation_name, booking.received_at,
                   clocks.received if clocks.running else "", clocks.until_event if clocks.running else "",
                   booking.get_decision_outcome_display() if booking.decision_outcome else "",
                   booking.appeal_by)

    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(EXPORT_HEADER, rows(), filename=f"venue-bookings-{stamp}.csv")


# Quarterly counts --------------------------------------------------------------------------


COUNTS = (("received", "Received (screened)"), ("escalated", "Escalated to the Prevent lead"),
          ("conditions", "Approved with conditions"), ("refused", "Refused"), ("appealed", "Appealed"))


def _quarter(row) -> dict:
    start = row["quarter"]
    end = quarter_end(start)
    return {"label": f"{start:%B} to {end:%B} {start.year}",
            "short": f"{start.year} Q{(start.month + 2) // 3}", "start": start, "end": end,
            "counts": [row[key] for key, _label in COUNTS]}


def _counts(request):
    venues = Venue.objects.order_by("name").only("pk", "name")
    form = VenueChoiceForm.from_request(request, choices=((venue.pk, venue.name) for venue in venues))
    venue_id = form.chosen()
    found = selectors.quarterly_counts(user=request.user, venue_id=venue_id)
    return form, venue_id, [_quarter(row) for row in found]


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_nothing_personal("counts of booking requests per quarter: no booking is named")
def counts(request):
    form, venue_id, quarters = _counts(request)
    return render(request, "venues/dashboard/counts.html", {
        "title": "Venue bookings: quarterly counts", "form": form, "quarters": quarters, "headings": COUNTS,
        "csv_href": f"{reverse('venues:counts-export')}?{urlencode({'venue': venue_id or ''})}",
        "venue_name": dict(form.fields["venue"].choices).get(str(venue_id), "") if venue_id else "",
        "breadcrumbs": breadcrumbs()})


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_nothing_personal("counts of booking requests per quarter: no booking is named")
def counts_export(request):
    _form, venue_id, quarters = _counts(request)
    rows = ((quarter["short"], quarter["start"], quarter["end"], *quarter["counts"]) for quarter in quarters)
    name = f"venue-bookings-quarterly-counts{f'-venue-{venue_id}' if venue_id else ''}.csv"
    return csv_response(("Quarter", "From", "To", *(label for _key, label in COUNTS)), rows, filename=name)


# Calendars -------------------------------------------------------------------------------


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Calendars reach this far either way; a year beyond is a mistyped address.
YEARS = range(2000, 2101)


def _month_asked(request, today) -> datetime.date:
    """The first day of the month in ?month=YYYY-MM (this month if none)."""
    text = request.GET.get("month", "")
    if not text:
        return today.replace(day=1)
    match = _MONTH.match(text)
    if not match or int(match[1]) not in YEARS or not 1 <= int(match[2]) <= 12:
        raise Http404("No such month")
    return datetime.date(int(match[1]), int(match[2]), 1)


def _week_asked(request, today) -> datetime.date:
    """The Monday of the week holding ?week=YYYY-MM-DD (this week if none)."""
    text = request.GET.get("week", "")
    try:
        day = datetime.date.fromisoformat(text) if text else today
    except ValueError:
        raise Http404("No such week") from None
    if day.year not in YEARS or (day - datetime.timedelta(days=day.weekday())).year not in YEARS:
        raise Http404("No such week")
    return day - datetime.timedelta(days=day.weekday())


class CalendarDays:
    """What a calendar shows for each day from `first` to `last`: whether
    the venue is open (its hours, or why it is closed) and the bookings
    holding a room. Built from four queries, whatever the number of days."""

    def __init__(self, request, venue, rooms, room, first, last, *, show_room=True):
        today = timezone.localdate()
        self.rooms = {each.pk: each for each in rooms}
        self.href = booking_hrefs()
        self.hours = selectors.opening_hours_by_weekday(venue)
        self.closures = list(selectors.calendar_closures(venue=venue, first=first, last=last, room=room))
        self.bookings = {}
        found = 0
        for booking in selectors.calendar_bookings(user=request.user, venue=venue, first=first, last=last,
                                                   today=today, room=room):
            self.bookings.setdefault(booking["event_date"], []).append(
                self._booking(booking, show_room=show_room and room is None))
            found += 1
        if found:
            audit_read(action=AuditAction.SEARCH, object_type=BOOKING_TYPE, details={
                "list": "venue calendar", "venue": venue.pk, "room": room.pk if room else None,
                "from": first.isoformat(), "to": last.isoformat(), "count": found})
        self.today = today

    def _booking(self, booking, *, show_room):
        """The booking as a calendar lists it: made here, once, rather than by
        the template, which would take longer than the rest of the page."""
        room = f", {self.rooms[booking['room_id']].name}" if show_room else ""
        return {"room_id": booking["room_id"], "html": format_html(
            '<li class="app-calendar__booking">{} to {}{}: {} <a class="govuk-link" href="{}">{}</a> '
            '<strong class="govuk-tag {}">{}</strong></li>', f"{booking['starts_at']:%H:%M}",
            f"{booking['ends_at']:%H:%M}", room, booking["title"], self.href(booking["reference"]),
            booking["reference"], STATUS_TAG[booking["status"]], BookingStatus(booking["status"]).label)}

    def day(self, day: datetime.date, *, in_range=True) -> dict:
        if not in_range:
            return {"date": day, "in_range": False}
        hours = self.hours.get(day.weekday())
        notes, closed = [], hours is None
        for closure in self.closures:
            if closure.starts_on <= day <= closure.ends_on:
                if closure.room_id is None:
                    closed = True
                    notes.append(f"Closed: {closure.reason}")
                else:
                    notes.append(f"{self.rooms[closure.room_id].name} closed: {closure.reason}")
        if hours is None:
            notes.insert(0, f"Closed on {day:%A}s")
        return {"date": day, "in_range": True, "label": f"{day:%A} {govuk_date(day)}", "closed": closed,
                "notes": notes, "today": day == self.today,
                "hours": "" if closed else f"Open {hours.opens:%H:%M} to {hours.closes:%H:%M}",
                "bookings": self.bookings.get(day, [])}

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.bookings.values())


def _calendar_venue(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    rooms = list(venue.rooms.order_by("name"))
    form = CalendarRoomForm(request.GET if "room" in request.GET else None, rooms=rooms)
    return venue, rooms, form, form.room_chosen()


def _calendar_href(name, venue, room, view="", **params):
    query = {**params, **({"room": room.pk} if room else {}), **({"view": view} if view else {})}
    return f"{reverse(name, kwargs={'pk': venue.pk})}{'?' if query else ''}{urlencode(query)}"


def _calendar_page(request, venue, *, template, title, room, **context):
    return render(request, template, {
        "title": title, "venue": venue, "room": room,
        "where": f"{room.name}, {venue.name}" if room else f"{venue.name}, every room",
        "may_manage": can(request.user, Action.VENUE_MANAGE),
        "breadcrumbs": breadcrumbs(("Venue calendars", reverse("venues:calendars"))), **context})


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_nothing_personal("the council's venues and their rooms")
def calendars(request):
    return render(request, "venues/calendar/index.html", {
        "title": "Venue calendars", "venues": selectors.venues_listed(), "breadcrumbs": breadcrumbs()})


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_many(BOOKING_TYPE, part="venue calendar: a month")
def calendar_month(request, pk):
    venue, rooms, form, room = _calendar_venue(request, pk)
    first = _month_asked(request, timezone.localdate())
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = CalendarDays(request, venue, rooms, room, first, last)
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    grid = [grid_start + datetime.timedelta(days=n) for n in range((grid_end - grid_start).days + 1)]
    cells = [days.day(day, in_range=day.month == first.month) for day in grid]
    view = "list" if request.GET.get("view") == "list" else ""
    today = timezone.localdate()

    def month(offset):
        return _calendar_href("venues:calendar-month", venue, room, view,
                              month=f"{add_months(first, offset):%Y-%m}")

    return _calendar_page(
        request, venue, template="venues/calendar/month.html", room=room, form=form,
        title=f"{venue.name}: {first:%B %Y}", month=f"{first:%B %Y}", month_value=f"{first:%Y-%m}",
        weeks=[cells[n:n + 7] for n in range(0, len(cells), 7)],
        days=[cell for cell in cells if cell["in_range"]],
        count=days.count, weekdays=[day.label for day in Weekday], view=view,
        previous_href=month(-1), next_href=month(1),
        this_href=_calendar_href("venues:calendar-month", venue, room, view),
        grid_href=_calendar_href("venues:calendar-month", venue, room, month=f"{first:%Y-%m}"),
        list_href=_calendar_href("venues:calendar-month", venue, room, "list", month=f"{first:%Y-%m}"),
        week_href=_calendar_href("venues:calendar-week", venue, room, week=(
            today if (today.year, today.month) == (first.year, first.month) else first).isoformat()))


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@shows_many(BOOKING_TYPE, part="venue calendar: a week")
def calendar_week(request, pk):
    venue, rooms, form, room = _calendar_venue(request, pk)
    monday = _week_asked(request, timezone.localdate())
    sunday = monday + datetime.timedelta(days=6)
    # Each room has its own column, so a booking need not name its room.
    days = CalendarDays(request, venue, rooms, room, monday, sunday, show_room=False)
    shown_rooms = [room] if room else rooms
    week = []
    for n in range(7):
        day = days.day(monday + datetime.timedelta(days=n))
        day["by_room"] = [[item for item in day["bookings"] if item["room_id"] == each.pk]
                          for each in shown_rooms]
        week.append(day)

    def week_href(offset):
        return _calendar_href("venues:calendar-week", venue, room,
                              week=(monday + datetime.timedelta(weeks=offset)).isoformat())

    return _calendar_page(
        request, venue, template="venues/calendar/week.html", room=room, form=form,
        title=f"{venue.name}: week of {govuk_date(monday)}", week_of=govuk_date(monday),
        week_value=monday.isoformat(), week=week, shown_rooms=shown_rooms, count=days.count,
        previous_href=week_href(-1), next_href=week_href(1),
        this_href=_calendar_href("venues:calendar-week", venue, room),
        month_href=_calendar_href("venues:calendar-month", venue, room, month=f"{monday:%Y-%m}"))
