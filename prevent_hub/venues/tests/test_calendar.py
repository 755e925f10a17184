"""Venue calendars: a month (as a grid of weeks or a list of days) and a
week (a column per room), with the bookings that hold a room, closures and
closed days; who sees them, what they never show, and that they read a
fixed number of queries however many bookings there are."""

import calendar
import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import services

from .factories import booking_submitted, officer, venue_with_room

pytestmark = pytest.mark.django_db

# Every staff page's own ten queries (session, user, second factor, roles;
# the audit event and the session saved) plus the calendar's five: the
# venue, its rooms, opening hours, closures and the bookings of the days shown.
# The same page takes three statements fewer on PostgreSQL than on SQLite
# (SQLite seals the audit event at once: read the chain head, seal the event,
# move the head), so the exact count is per database.
CALENDAR_QUERIES = {"sqlite": 16, "postgresql": 13}


def next_month(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_ahead():
    """The first days of the coming months, from next month on."""
    first = next_month(timezone.localdate().replace(day=1))
    while True:
        yield first
        first = next_month(first)


def last_day(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@pytest.fixture
def hall():
    acting = officer()
    venue, room = venue_with_room(acting_user=acting, name="Testford Calendar Hall")
    return venue, room


def month_url(venue, first=None, **params):
    query = {"month": f"{first:%Y-%m}"} if first else {}
    query |= params
    return reverse("venues:calendar-month", kwargs={"pk": venue.pk}) + (
        "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def week_url(venue, day, **params):
    return reverse("venues:calendar-week", kwargs={"pk": venue.pk}) + f"?week={day.isoformat()}" + "".join(
        f"&{key}={value}" for key, value in params.items())


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def grid(response):
    """The month grid: its rows of seven cells, each cell's text."""
    table = soup(response).find("table", class_="app-calendar")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in table.find("tbody").find_all("tr")]


# Who sees them ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_officers_and_the_prevent_lead_see_calendars_and_no_one_else(staff_client, hall, role):
    venue, _room = hall
    client = staff_client(role)
    allowed = role in (Role.VENUE_BOOKING_OFFICER, Role.PREVENT_COORDINATOR)
    for path in (reverse("venues:calendars"), month_url(venue), week_url(venue, timezone.localdate())):
        assert client.get(path).status_code == (200 if allowed else 403), (role, path)


# The month ----------------------------------------------------------------------------------


def test_a_booking_on_the_31st_is_in_its_month_and_not_the_next(staff_client, hall):
    venue, room = hall
    first = next(month for month in months_ahead() if last_day(month).day == 31)
    booking = booking_submitted(room, event_date=last_day(first), title="Fictional month-end social")
    client = staff_client(Role.PREVENT_COORDINATOR)
    rows = grid(client.get(month_url(venue, first)))
    cell = next(text for row in rows for text in row if text.startswith("31 "))
    assert "18:00 to 20:00" in cell and "Fictional month-end social" in cell and booking.reference in cell
    assert "Requested" in cell
    assert booking.reference not in client.get(month_url(venue, next_month(first))).content.decode()


def test_a_month_starting_on_a_sunday_has_six_empty_days_before_it(staff_client, hall):
    venue, _room = hall
    first = next(month for month in months_ahead() if month.weekday() == 6)
    response = staff_client(Role.PREVENT_COORDINATOR).get(month_url(venue, first))
    rows = grid(response)
    assert rows[0][:6] == [""] * 6
    assert rows[0][6].startswith(f"1 Sunday 1 {first:%B %Y}")
    assert len(rows) == (last_day(first).day + 6 + 6) // 7
    headers = [th.get_text(strip=True) for th in soup(response).find("table").find("thead").find_all("th")]
    assert headers == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert soup(response).find("caption").get_text(strip=True).startswith(f"{first:%B %Y}")


def test_the_month_shows_closures_and_closed_days_and_only_bookings_that_hold_a_room(staff_client, hall):
    venue, room = hall
    acting = officer()
    first = next(months_ahead())
    open_but_sunday = {day: (datetime.time(9), datetime.time(21)) for day in range(6)}
    services.opening_hours_set(venue=venue, hours=open_but_sunday, acting_user=acting)
    tuesday = next(first + datetime.timedelta(days=n) for n in range(7)
                   if (first + datetime.timedelta(days=n)).weekday() == 1)
    services.closure_add(venue=venue, starts_on=tuesday, ends_on=tuesday, reason="Fictional roof repair",
                         acting_user=acting)
    other = services.room_create(venue=venue, name="Fictional Loft", capacity=40, acting_user=acting)
    services.closure_add(venue=venue, room=other, starts_on=tuesday + datetime.timedelta(days=1),
                         ends_on=tuesday + datetime.timedelta(days=1), reason="Fictional painting",
                         acting_user=acting)
    wednesday = tuesday + datetime.timedelta(days=1)
    shown = booking_submitted(room, event_date=wednesday, title="Fictional knitting circle")
    withdrawn = booking_submitted(room, key="withdrawn", event_date=wednesday, starts_at=datetime.time(10),
                                  ends_at=datetime.time(11), title="Fictional withdrawn talk")
    services.booking_withdraw(booking=withdrawn, reason="Fictional change of plan")
    text = " | ".join(" ".join(row) for row in grid(staff_client(Role.VENUE_BOOKING_OFFICER).get(
        month_url(venue, first))))
    assert "Closed: Fictional roof repair" in text
    assert "Fictional Loft closed: Fictional painting" in text
    assert "Closed on Sundays" in text
    assert shown.reference in text and "Meeting Room A" in text
    assert withdrawn.reference not in text and "Fictional withdrawn talk" not in text


def test_the_calendar_never_names_the_booker_and_escapes_titles(staff_client, hall):
    venue, room = hall
    day = next(months_ahead()) + datetime.timedelta(days=3)
    booking_submitted(room, event_date=day, title="<script>alert('fictional')</script>")
    client = staff_client(Role.PREVENT_COORDINATOR)
    for url in (month_url(venue, day.replace(day=1)), month_url(venue, day.replace(day=1), view="list"),
                week_url(venue, day)):
        page = client.get(url).content.decode()
        assert "Alex Example-Booker" not in page and "alex.booker@example.org" not in page
        assert "Testford Example Reading Circle" not in page
        assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page


def test_the_month_as_a_list_is_a_table_of_its_days(staff_client, hall):
    venue, room = hall
    first = next(months_ahead())
    booking = booking_submitted(room, event_date=first + datetime.timedelta(days=9))
    response = staff_client(Role.PREVENT_COORDINATOR).get(month_url(venue, first, view="list"))
    table = soup(response).find("table", class_="app-calendar-list")
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == last_day(first).day
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert headers == ["Day", "Open", "Bookings"]
    row = rows[9]
    assert row.find("th")["scope"] == "row"
    assert booking.reference in row.get_text() and "Open 09:00 to 21:00" in row.get_text()


def test_the_month_moves_by_months_and_keeps_the_room(staff_client, hall):
    venue, room = hall
    first = datetime.date(2027, 12, 1)
    response = staff_client(Role.PREVENT_COORDINATOR).get(month_url(venue, first, room=room.pk))
    links = {a.get_text(strip=True): a["href"] for a in soup(response).find("nav", attrs={
        "aria-label": "Other months and views"}).find_all("a")}
    assert links["Previous month"] == month_url(venue, datetime.date(2027, 11, 1), room=room.pk)
    assert links["Next month"] == month_url(venue, datetime.date(2028, 1, 1), room=room.pk)
    assert links["This month"] == month_url(venue, None, room=room.pk)
    assert links["View as a list"] == month_url(venue, first, room=room.pk, view="list")


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "abc", "1899-01", "99999-01", "2026-1-1"])
def test_a_month_that_is_not_one_is_not_found(staff_client, hall, month):
    venue, _room = hall
    assert staff_client(Role.PREVENT_COORDINATOR).get(month_url(venue, None, month=month)).status_code == 404


# The week -----------------------------------------------------------------------------------


def test_a_week_across_two_months_shows_both_with_a_column_per_room(staff_client, hall):
    venue, room = hall
    month = next(month for month in months_ahead() if last_day(month).weekday() < 6)
    end, start = last_day(month), next_month(month)
    loft = services.room_create(venue=venue, name="Fictional Loft", capacity=40, acting_user=officer())
    before = booking_submitted(room, event_date=end, title="Fictional end of month quiz")
    after = booking_submitted(loft, key="after", event_date=start, title="Fictional new month quiz")
    response = staff_client(Role.PREVENT_COORDINATOR).get(week_url(venue, end))
    table = soup(response).find("table", class_="app-calendar-week")
    assert [th.get_text(strip=True) for th in table.find("thead").find_all("th")] == [
        "Day", "Open", "Fictional Loft", "Meeting Room A"]
    rows = {row.find("th").get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
            for row in table.find("tbody").find_all("tr")}
    monday = end - datetime.timedelta(days=end.weekday())
    assert list(rows)[0].startswith(f"Monday {monday.day} {monday:%B}")
    # Cells: opening, then the rooms in the order of the headers.
    assert before.reference in rows[f"{end:%A} {end.day} {end:%B %Y}"][2]
    assert after.reference in rows[f"{start:%A} {start.day} {start:%B %Y}"][1]
    assert after.reference not in rows[f"{start:%A} {start.day} {start:%B %Y}"][2]


def test_a_week_filtered_to_one_room_shows_only_its_bookings(staff_client, hall):
    venue, room = hall
    loft = services.room_create(venue=venue, name="Fictional Loft", capacity=40, acting_user=officer())
    day = next(months_ahead()) + datetime.timedelta(days=2)
    mine = booking_submitted(room, event_date=day)
    theirs = booking_submitted(loft, key="loft", event_date=day)
    page = staff_client(Role.PREVENT_COORDINATOR).get(week_url(venue, day, room=loft.pk)).content.decode()
    assert theirs.reference in page and mine.reference not in page
    assert "Fictional Loft, Testford Calendar Hall" in page


def test_a_room_that_is_not_the_venues_is_refused_and_every_room_shown(staff_client, hall):
    venue, room = hall
    _other, far_room = venue_with_room(acting_user=officer(), name="Testford Far Hall", room_name="Far Room")
    day = next(months_ahead()) + datetime.timedelta(days=2)
    booking = booking_submitted(room, event_date=day)
    for value in (far_room.pk, "abc", "1" * 400):
        response = staff_client(Role.PREVENT_COORDINATOR).get(week_url(venue, day, room=value))
        summary = soup(response).find(class_="govuk-error-summary")
        assert "Select a room from the list" in summary.get_text()
        assert booking.reference in response.content.decode()


@pytest.mark.parametrize("week", ["2026-02-30", "next week", "2026-W60", "0001-01-01"])
def test_a_week_that_is_not_one_is_not_found(staff_client, hall, week):
    venue, _room = hall
    url = reverse("venues:calendar-week", kwargs={"pk": venue.pk}) + f"?week={week}"
    assert staff_client(Role.PREVENT_COORDINATOR).get(url).status_code == 404


def test_a_venue_that_does_not_exist_is_not_found(staff_client):
    assert staff_client(Role.PREVENT_COORDINATOR).get(
        reverse("venues:calendar-month", kwargs={"pk": 987654})).status_code == 404


# Audit, printing and speed ----------------------------------------------------------------------


def test_reading_a_calendar_is_audited_as_a_search_of_bookings(staff_client, hall):
    venue, room = hall
    day = next(months_ahead()) + datetime.timedelta(days=2)
    booking_submitted(room, event_date=day)
    client = staff_client(Role.PREVENT_COORDINATOR)
    client.get(month_url(venue, day.replace(day=1)))
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="venues.venuebooking",
                                      actor=client.user).get()
    assert event.details["list"] == "venue calendar" and event.details["count"] == 1
    assert event.details["from"] == day.replace(day=1).isoformat()


def test_navigation_and_filters_are_left_off_the_printed_calendar(staff_client, hall):
    venue, _room = hall
    page = soup(staff_client(Role.PREVENT_COORDINATOR).get(month_url(venue)))
    for element in (page.find("nav", attrs={"aria-label": "Other months and views"}),
                    page.find("form", attrs={"aria-label": "Choose a room"})):
        assert "govuk-!-display-none-print" in element["class"]
    assert page.find("table", class_="app-calendar").find("caption") is not None


def bookings_in(room, first, count):
    """`count` bookings spread over the month from `first`, two an evening."""
    for n in range(count):
        day = first + datetime.timedelta(days=n // 2)
        start = datetime.time(10 + (n % 2) * 4)
        booking_submitted(room, key=f"speed-{first}-{n}", event_date=day, starts_at=start,
                          ends_at=datetime.time(start.hour + 2))


@pytest.mark.parametrize("count", [3, 30])
def test_a_month_reads_the_same_queries_however_many_bookings(staff_client, hall, count,
                                                              django_assert_num_queries):
    venue, room = hall
    first = next(months_ahead())
    bookings_in(room, first, count)
    client = staff_client(Role.PREVENT_COORDINATOR)
    with django_assert_num_queries(CALENDAR_QUERIES[connection.vendor]):
        response = client.get(month_url(venue, first))
    assert response.content.decode().count("/staff/venues/bookings/VEN-") == count


@pytest.mark.parametrize("count", [3, 30])
def test_a_week_reads_the_same_queries_however_many_bookings(staff_client, hall, count,
                                                             django_assert_num_queries):
    venue, room = hall
    first = next(months_ahead())
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    bookings_in(room, monday - datetime.timedelta(days=count // 4), count)
    client = staff_client(Role.PREVENT_COORDINATOR)
    with django_assert_num_queries(CALENDAR_QUERIES[connection.vendor]):
        response = client.get(week_url(venue, monday, room=room.pk))
    assert response.status_code == 200
