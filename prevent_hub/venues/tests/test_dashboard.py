"""The venue bookings dashboard: requests awaiting action first with their
working-day clocks, filters and search, pagination, the CSV of the list, and
the quarterly counts. Who sees what, what is audited, and that the page reads
a fixed number of queries however many bookings there are."""

import csv
import datetime
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import services

from .factories import (
    booking_submitted,
    checklist_completed,
    clause,
    next_weekday,
    officer,
    venue_with_room,
)

pytestmark = pytest.mark.django_db

OFFICER, LEAD = Role.VENUE_BOOKING_OFFICER, Role.PREVENT_COORDINATOR
# Every staff page's own ten queries (session, user, second factor, roles;
# the audit event and the session saved) plus the dashboard's seven: the
# venues to filter by, the bank holidays, the rooms' names, the
# awaiting-action counts, the list's counts, and the page's rows awaiting
# action and the rest.
# Three fewer on PostgreSQL, as for the calendars (test_calendar.py).
DASHBOARD_QUERIES = {"sqlite": 18, "postgresql": 15}


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer(), name="Testford Dashboard Hall")[1]


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def references(response) -> list[str]:
    """The references listed, in order."""
    table = soup(response).find("table", id=None, class_="govuk-table")
    if table is None:
        return []
    return [row.find("th").get_text(strip=True) for row in table.find("tbody").find_all("tr")]


def row_text(response, reference) -> str:
    for row in soup(response).find("tbody").find_all("tr"):
        if row.find("th").get_text(strip=True) == reference:
            return row.get_text(" ", strip=True)
    raise AssertionError(f"{reference} is not listed")


def error_summary(response) -> str:
    summary = soup(response).find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def decided(booking, outcome="approve", **extra):
    decider = officer()
    checklist_completed(booking, acting_user=decider)
    if outcome != "approve":
        extra.setdefault("clause", clause(booking))
    services.booking_decide(booking=booking, outcome=outcome, reasons="Fictional reasons",
                            acting_user=decider, **extra)
    booking.refresh_from_db()
    return booking


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# Who sees it --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_officers_and_the_prevent_lead_see_the_dashboard_and_only_officers_export(staff_client, room, role):
    booking_submitted(room)
    client = staff_client(role)
    sees = role in (OFFICER, LEAD)
    dashboard = client.get(reverse("venues:dashboard"))
    assert dashboard.status_code == (200 if sees else 403)
    assert client.get(reverse("venues:counts")).status_code == (200 if sees else 403)
    assert client.get(reverse("venues:export")).status_code == (200 if role == OFFICER else 403)
    if sees:
        assert (reverse("venues:export") in dashboard.content.decode()) == (role == OFFICER)


def test_the_staff_home_and_navigation_lead_officers_to_the_dashboard(staff_client):
    client = staff_client(OFFICER)
    home = soup(client.get(reverse("staff:home")))
    assert home.find("a", string="Venue bookings", href=reverse("venues:dashboard"))
    assert "Requests to hire a council venue awaiting action" in home.get_text()
    nav = soup(client.get(reverse("venues:dashboard"))).find(class_="govuk-service-navigation")
    assert nav.find("a", href=reverse("venues:dashboard")).get_text(strip=True) == "Venue bookings"
    police = soup(staff_client(Role.POLICE_PRACTITIONER).get(reverse("staff:home")))
    assert not police.find("a", string="Venue bookings")


def test_an_empty_dashboard_says_what_will_appear(staff_client):
    response = staff_client(LEAD).get(reverse("venues:dashboard"))
    assert "There are no booking requests yet" in soup(response).get_text()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH,
                                         object_type="venues.venuebooking").exists()


# The list and its clocks ------------------------------------------------------------------


def test_requests_awaiting_action_come_first_the_soonest_event_first(staff_client, room):
    later = booking_submitted(room, key="later", event_date=next_weekday(2, weeks_ahead=5))
    sooner = booking_submitted(room, key="sooner", event_date=next_weekday(2, weeks_ahead=3))
    approved = decided(booking_submitted(room, key="approved", event_date=next_weekday(2, weeks_ahead=1)))
    escalated = booking_submitted(room, key="escalated", event_date=next_weekday(2, weeks_ahead=4))
    services.booking_escalate(booking=escalated, reason="Fictional concern about a speaker",
                              acting_user=officer())
    response = staff_client(OFFICER).get(reverse("venues:dashboard"))
    assert references(response) == [sooner.reference, escalated.reference, later.reference,
                                    approved.reference]
    assert "3 requests awaiting action" in soup(response).get_text(" ", strip=True)
    assert reverse("venues:booking", kwargs={"reference": sooner.reference}) in response.content.decode()


def test_clocks_count_working_days_and_flag_an_event_soon(staff_client, room, settings):
    settings.BOOKING_EVENT_SOON_WORKING_DAYS = 15
    soon = booking_submitted(room, key="soon", event_date=next_weekday(0, weeks_ahead=1))
    far = booking_submitted(room, key="far", event_date=next_weekday(2, weeks_ahead=8))
    approved = decided(booking_submitted(room, key="approved", event_date=next_weekday(0, weeks_ahead=1),
                                         starts_at=datetime.time(10), ends_at=datetime.time(11)))
    response = staff_client(OFFICER).get(reverse("venues:dashboard"))
    soon_row, far_row = row_text(response, soon.reference), row_text(response, far.reference)
    assert "Received today" in soon_row and "Event soon" in soon_row
    assert "Event soon" not in far_row and "In " in far_row and "working days" in far_row
    assert "Event soon" not in row_text(response, approved.reference)
    assert "Received today" not in row_text(response, approved.reference)
    assert "1 of them for an event within 15 working days" in soup(response).get_text(" ", strip=True)


def test_a_request_still_waiting_after_its_event_date_is_flagged(staff_client, room):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40), tick=False):
        booking = booking_submitted(room, event_date=next_weekday(2, weeks_ahead=1))
    response = staff_client(OFFICER).get(reverse("venues:dashboard"))
    row = row_text(response, booking.reference)
    assert "Date passed" in row and "The event date has passed" in row
    assert "working days ago" in row


# Filters and search -------------------------------------------------------------------------


def test_filters_by_status_venue_and_dates(staff_client, room):
    other_room = venue_with_room(acting_user=officer(), name="Testford Filter Museum")[1]
    requested = booking_submitted(room, key="requested", event_date=next_weekday(1, weeks_ahead=2))
    approved = decided(booking_submitted(room, key="approved", event_date=next_weekday(3, weeks_ahead=6)))
    elsewhere = booking_submitted(other_room, key="elsewhere", event_date=next_weekday(1, weeks_ahead=2))
    client = staff_client(OFFICER)
    url = reverse("venues:dashboard")
    assert references(client.get(url, {"status": "approved"})) == [approved.reference]
    assert set(references(client.get(url, {"status": "awaiting"}))) == {requested.reference,
                                                                          elsewhere.reference}
    assert references(client.get(url, {"venue": other_room.venue_id})) == [elsewhere.reference]
    day = next_weekday(3, weeks_ahead=6)
    assert references(client.get(url, {"event_from-day": day.day, "event_from-month": day.month,
                                       "event_from-year": day.year})) == [approved.reference]
    today = timezone.localdate()
    assert len(references(client.get(url, {"received_to-day": today.day, "received_to-month": today.month,
                                           "received_to-year": today.year}))) == 3
    none = client.get(url, {"received_from-day": 1, "received_from-month": 1, "received_from-year": 2099})
    assert "No requests match these filters" in soup(none).get_text()
    assert "Received on or after 1 January 2099" in soup(none).get_text()


def test_requests_received_in_a_date_range(staff_client, room):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60), tick=False):
        old = booking_submitted(room, key="old", event_date=next_weekday(4, weeks_ahead=3))
    new = booking_submitted(room, key="new")
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=61), today - datetime.timedelta(days=59)
    response = staff_client(OFFICER).get(reverse("venues:dashboard"), {
        "received_from-day": start.day, "received_from-month": start.month, "received_from-year": start.year,
        "received_to-day": end.day, "received_to-month": end.month, "received_to-year": end.year})
    assert references(response) == [old.reference]
    assert new.reference not in response.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"event_from-day": 9, "event_from-month": 1, "event_from-year": 2026, "event_to-day": 1,
      "event_to-month": 1, "event_to-year": 2026}, "Event to must be the same as or after event from"),
    ({"received_from-day": 9, "received_from-month": 9, "received_from-year": 2026, "received_to-day": 1,
      "received_to-month": 1, "received_to-year": 2026},
     "Received to must be the same as or after received from"),
    ({"status": "<b>lost</b>"}, "Select a status from the list"),
    ({"venue": "not-a-number"}, "Select a venue from the list"),
    ({"event_from-day": 31, "event_from-month": 2, "event_from-year": 2027},
     "Event from must be a real date"),
    ({"q": "x" * 201}, "Search for 200 characters or fewer"),
])
def test_bad_filters_are_explained_and_the_rest_still_apply(staff_client, room, params, message):
    booking = booking_submitted(room)
    response = staff_client(OFFICER).get(reverse("venues:dashboard"), params)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert references(response) == [booking.reference]
    assert "<b>lost</b>" not in response.content.decode()


def test_search_finds_a_reference_title_booker_or_organisation_and_is_audited_without_the_words(
        staff_client, room):
    poetry = booking_submitted(room, key="poetry")
    chess = booking_submitted(room, key="chess", title="Fictional chess tournament",
                              booker_name="Robin Sample", organisation_name="", event_date=next_weekday(3))
    client = staff_client(OFFICER)
    url = reverse("venues:dashboard")
    number = int(chess.reference.rsplit("-", 1)[1])
    year = chess.reference.split("-")[1]
    assert references(client.get(url, {"q": f" ven {year} {number} "})) == [chess.reference]
    assert references(client.get(url, {"q": "CHESS"})) == [chess.reference]
    assert references(client.get(url, {"q": "robin sample"})) == [chess.reference]
    assert references(client.get(url, {"q": "reading circle"})) == [poetry.reference]
    assert references(client.get(url, {"q": "no such words"})) == []
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="venues.venuebooking",
                                         actor=client.user)
    assert searches.count() == 4
    details = [event.details for event in searches.order_by("sequence")]
    assert details[0]["filters"] == {"search": "reference"} and details[1]["filters"] == {"search": "words"}
    assert all("robin" not in str(each).lower() and "chess" not in str(each).lower() for each in details)


def test_the_list_is_paginated(staff_client, room):
    made = [booking_submitted(room, key=f"page-{n}", event_date=next_weekday(n % 7, weeks_ahead=2 + n // 7))
            for n in range(30)]
    client = staff_client(LEAD)
    first = client.get(reverse("venues:dashboard"))
    second = client.get(reverse("venues:dashboard"), {"page": 2})
    assert len(references(first)) == 25 and len(references(second)) == 5
    assert set(references(first) + references(second)) == {booking.reference for booking in made}
    assert "Showing 1 to 25 of 30 requests" in soup(first).get_text(" ", strip=True)
    assert references(client.get(reverse("venues:dashboard"), {"page": "999"})) == references(second)


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_reads_the_same_queries_however_many_bookings(staff_client, room, count,
                                                                     django_assert_num_queries):
    for n in range(count):
        booking = booking_submitted(room, key=f"speed-{n}",
                                    event_date=next_weekday(n % 7, weeks_ahead=2 + n // 7))
        if n % 3 == 0:
            services.booking_withdraw(booking=booking, reason="Fictional")
    client = staff_client(OFFICER)
    with django_assert_num_queries(DASHBOARD_QUERIES[connection.vendor]):
        response = client.get(reverse("venues:dashboard"), {"status": "", "q": ""})
    assert len(references(response)) == min(count, 25)


# The CSV -----------------------------------------------------------------------------------


def test_the_csv_has_the_filtered_list_defused_and_is_audited_as_an_export(staff_client, room):
    risky = booking_submitted(room, key="risky", title="=HYPERLINK(\"https://example.org\",\"Fictional\")",
                              booker_name="@Fictional Person")
    decided(booking_submitted(room, key="approved", event_date=next_weekday(4)))
    client = staff_client(OFFICER)
    response = client.get(reverse("venues:export"), {"status": "awaiting"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:4] == ["Reference", "Status", "Venue", "Room"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Reference"] == risky.reference and row["Status"] == "Requested"
    assert row["Event title"] == "'=HYPERLINK(\"https://example.org\",\"Fictional\")"
    assert row["Booker"] == "'@Fictional Person"
    assert row["Event date"] == risky.event_date.isoformat() and row["Starts"] == "18:00"
    assert row["Working days since received"] == "0" and int(row["Working days until the event"]) > 0
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="venues.venuebooking")
    assert event.details["rows"] == 1 and event.details["filters"] == {"status": "awaiting"}
    assert event.actor == client.user


def test_an_export_with_bad_filters_goes_back_to_the_list(staff_client, room):
    response = staff_client(OFFICER).get(reverse("venues:export"), {"status": "nonsense"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("venues:dashboard"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# Quarterly counts ---------------------------------------------------------------------------


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
                               tick=False)


def test_quarterly_counts_of_requests_received_escalated_conditioned_refused_and_appealed(staff_client, room):
    decider, lead = officer(), staff_client(LEAD).user
    with at(datetime.date(2027, 2, 10)):
        refused = decided(booking_submitted(room, key="refused"), "refuse")
        services.appeal_lodge(booking=refused, grounds="Fictional grounds")
        escalated = booking_submitted(room, key="escalated", event_date=next_weekday(3))
        escalation = services.booking_escalate(booking=escalated, reason="Fictional", acting_user=decider)
        services.escalation_advise(escalation=escalation, advice="Fictional advice", acting_user=lead)
        checklist_completed(escalated, acting_user=decider)
        services.booking_decide(booking=escalated, outcome="approve_with_conditions", reasons="Fictional",
                                clause=clause(escalated), conditions=["A fictional steward"],
                                acting_user=decider)
        booking_submitted(room, key="plain", event_date=next_weekday(4))
    with at(datetime.date(2027, 3, 31)):
        booking_submitted(room, key="march", event_date=next_weekday(1))
    with at(datetime.date(2027, 4, 1)):
        services.booking_withdraw(booking=booking_submitted(room, key="april", event_date=next_weekday(5)))
    client = staff_client(OFFICER)
    response = client.get(reverse("venues:counts"))
    table = soup(response).find("table")
    assert [th.get_text(strip=True) for th in table.find("thead").find_all("th")] == [
        "Quarter", "Received (screened)", "Escalated to the Prevent lead", "Approved with conditions",
        "Refused", "Appealed"]
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.find("tbody").find_all("tr")]
    assert rows == [["April to June 2027", "1", "0", "0", "0", "0"],
                    ["January to March 2027", "4", "1", "1", "1", "1"]]
    exported = csv_rows(client.get(reverse("venues:counts-export")))
    assert exported[0][:3] == ["Quarter", "From", "To"]
    assert exported[2] == ["2027 Q1", "2027-01-01", "2027-03-31", "4", "1", "1", "1", "1"]


def test_quarterly_counts_for_one_venue(staff_client, room):
    other_room = venue_with_room(acting_user=officer(), name="Testford Counting Centre")[1]
    booking_submitted(room, key="here")
    booking_submitted(other_room, key="there")
    client = staff_client(LEAD)
    one = client.get(reverse("venues:counts"), {"venue": other_room.venue_id})
    assert "Testford Counting Centre" in soup(one).find("caption").get_text()
    assert [td.get_text(strip=True) for td in soup(one).find("tbody").find("tr").find_all("td")][0] == "1"
    bad = client.get(reverse("venues:counts"), {"venue": "999999"})
    assert "Select a venue from the list" in error_summary(bad)


def test_no_requests_no_counts(staff_client):
    response = staff_client(LEAD).get(reverse("venues:counts"))
    assert "nothing to count" in soup(response).get_text()
