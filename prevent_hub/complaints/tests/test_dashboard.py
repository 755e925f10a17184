"""The complaints dashboard: summary cards, open complaints first with their
working-day deadlines, filters and search, pagination, the CSV of the list;
and the quarterly counts with theirs. Who sees what, what is audited, that
a row's tag and a card's number come from the same rule, and that each page
reads a fixed number of queries however many complaints there are."""

import csv
import datetime
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.complaints import selectors, services
from prevent_hub.complaints.dashboard_views import share
from prevent_hub.complaints.models import Complaint, ReminderKind, Scope
from prevent_hub.complaints.tasks import reminders_due
from prevent_hub.core.models import BankHoliday

from .factories import (
    complaint_found,
    complaint_investigating,
    complaint_received,
    complaint_responded,
    investigator,
    officer,
)

pytestmark = pytest.mark.django_db

D = datetime.date
OFFICER, INVESTIGATOR = Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER
DASHBOARD, COUNTS = reverse("complaints:dashboard"), reverse("complaints:counts")
EXPORT, COUNTS_EXPORT = reverse("complaints:export"), reverse("complaints:counts-export")
# Every staff page's own queries (session, user, second factor, roles; the
# audit event and the session saved) plus the dashboard's five: the bank
# holidays, the summary cards (one aggregate), the list's counts (one
# aggregate), and the page's open and closed rows. PostgreSQL takes three
# fewer for the page itself, as for the venue bookings dashboard.
DASHBOARD_QUERIES = {"sqlite": 16, "postgresql": 13}
# The counts page writes no audit event (it names no one), so the same on
# both: the staff page's own seven, then when the first and last complaints
# came, and every count in one query.
COUNTS_QUERIES = 9
LETTER = {"subject": "Your complaint", "body": "A fictional letter to the complainant."}


def at(day: datetime.date):
    """Noon on `day` in London (the service's dates are London's)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
                               tick=False)


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def text(response) -> str:
    return soup(response).get_text(" ", strip=True)


def references(response) -> list[str]:
    """The references listed, in order."""
    table = soup(response).find("table")
    if table is None:
        return []
    return [row.find("th").get_text(strip=True) for row in table.find("tbody").find_all("tr")]


def cells(response, reference) -> dict[str, str]:
    """A row of the list, by column heading."""
    table = soup(response).find("table")
    headings = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    for row in table.find("tbody").find_all("tr"):
        found = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        if found[0] == reference:
            return dict(zip(headings, found, strict=True))
    raise AssertionError(f"{reference} is not listed")


def cards(response) -> dict[str, tuple[int, str]]:
    """The summary cards: their words → (the number, where they link)."""
    found = {}
    listed = soup(response).find("ul", attrs={"aria-label": "Open complaints that need attention"})
    for item in listed.find_all("li"):
        link = item.find("a")
        number = link.find("span").get_text(strip=True)
        found[link.get_text(" ", strip=True).removeprefix(number).strip()] = (int(number), link["href"])
    return found


def error_summary(response) -> str:
    summary = soup(response).find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def received(**overrides):
    """A complaint received by post: not acknowledged until someone does."""
    return complaint_received(source="post", **overrides)


def triaged(complaint, scope, by, category="referral"):
    return services.complaint_triage(complaint=complaint, scope=scope, category=category,
                                     reasons="Fictional reasons for a test.", acting_user=by)


def number_of(complaint) -> str:
    return str(int(complaint.reference.rsplit("-", 1)[1]))


# Who sees it --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_complaints_officers_see_and_export_investigating_officers_only_see(staff_client, role):
    complaint_received()
    client = staff_client(role)
    sees = role in (OFFICER, INVESTIGATOR)
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == (200 if sees else 403)
    assert client.get(COUNTS).status_code == (200 if sees else 403)
    assert client.get(EXPORT).status_code == (200 if role == OFFICER else 403)
    assert client.get(COUNTS_EXPORT).status_code == (200 if role == OFFICER else 403)
    if role == OFFICER:
        assert EXPORT in dashboard.content.decode()
        assert COUNTS_EXPORT in client.get(COUNTS).content.decode()


def test_an_investigating_officer_lists_and_counts_only_the_complaints_they_investigate(staff_client):
    client = staff_client(INVESTIGATOR)
    mine = complaint_investigating(investigated_by=client.user, complainant_name="Mo Mine-Example")
    theirs = complaint_investigating(complainant_name="Tess Theirs-Example")
    waiting = complaint_received()
    dashboard = client.get(DASHBOARD)
    assert references(dashboard) == [mine.reference]
    assert cards(dashboard)["open"][0] == 1
    assert cards(dashboard)["awaiting triage"][0] == 0
    # Searching cannot reach anyone else's either.
    assert references(client.get(DASHBOARD, {"q": theirs.reference})) == []
    assert references(client.get(DASHBOARD, {"q": "Tess"})) == []
    assert EXPORT not in dashboard.content.decode()
    counts = soup(client.get(COUNTS)).find("table")
    assert [td.get_text(strip=True) for td in counts.find("tbody").find("tr").find_all("td")][0] == "1"
    assert COUNTS_EXPORT not in client.get(COUNTS).content.decode()
    everyone = staff_client(OFFICER).get(DASHBOARD)
    assert set(references(everyone)) == {mine.reference, theirs.reference, waiting.reference}


def test_an_empty_dashboard_says_what_will_appear_and_audits_nothing(staff_client):
    response = staff_client(OFFICER).get(DASHBOARD)
    assert "There are no complaints to show yet" in text(response)
    assert {words: count for words, (count, _href) in cards(response).items()} == {
        "open": 0, "awaiting triage": 0, "overdue to acknowledge": 0, "overdue to respond": 0,
        "due within 3 working days": 0}
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH,
                                         object_type="complaints.complaint").exists()


# The list and its deadlines -------------------------------------------------------------------


def test_open_complaints_come_first_the_soonest_response_first_then_closed_ones_newest_first(staff_client):
    by = officer()
    with at(D(2026, 11, 2)):
        oldest_closed = complaint_responded()
        extended = received()
        triaged(extended, Scope.BY_US, by)
    with at(D(2026, 11, 16)):
        services.complaint_extend(complaint=extended, new_date=D(2027, 1, 20), reason="Fictional reason",
                                  acting_user=by, **LETTER)
        later = received()
    with at(D(2026, 11, 23)):
        withdrawn = received()
        services.complaint_withdraw(complaint=withdrawn, reasons="Fictional: by telephone", acting_user=by)
        sooner = received(received_on=D(2026, 11, 9))
    with at(D(2026, 11, 24)):
        response = staff_client(OFFICER).get(DASHBOARD)
    # Responses due: sooner 7 Dec, later 14 Dec, extended 20 Jan; then the
    # closed ones, the last received first.
    assert references(response) == [sooner.reference, later.reference, extended.reference,
                                    withdrawn.reference, oldest_closed.reference]
    assert cells(response, extended.reference)["Respond by"] == (
        "30 Nov 2026, extended to 20 Jan 2027 38 working days left")
    assert cells(response, oldest_closed.reference)["Respond by"] == (
        "30 Nov 2026 Answered 2 Nov 2026, within the deadline")
    page = reverse("complaints:complaint", kwargs={"reference": sooner.reference})
    assert soup(response).find("a", href=page).get_text(strip=True) == sooner.reference


def holidays():
    """Christmas, the Boxing Day holiday and New Year's Day: shipped as data,
    made sure of here (a transactional test may have emptied the table)."""
    for day, title in ((D(2026, 12, 25), "Christmas Day"), (D(2026, 12, 28), "Boxing Day"),
                       (D(2027, 1, 1), "New Year’s Day")):
        BankHoliday.objects.get_or_create(date=day, defaults={"title": title})


def year_end(by):
    """Complaints whose deadlines run across Christmas and the new year,
    looked at on Monday 4 January 2027."""
    holidays()
    with at(D(2026, 11, 30)):
        late_response = received(complainant_name="Lee Late-Example")
        services.complaint_acknowledge(complaint=late_response, acting_user=by, **LETTER)
        triaged(late_response, Scope.BY_US, by)
        extended = received()
        services.complaint_acknowledge(complaint=extended, acting_user=by, **LETTER)
        triaged(extended, Scope.BY_US, by)
    with at(D(2026, 12, 17)):
        unacknowledged = received()
        answered = complaint_found(by=by)
    with at(D(2026, 12, 21)):
        services.complaint_extend(complaint=extended, new_date=D(2027, 1, 6), reason="Fictional reason",
                                  acting_user=by, **LETTER)
    with at(D(2026, 12, 29)):
        due_today = received()
    with at(D(2027, 1, 4)):
        services.response_send(complaint=answered, acting_user=by, **LETTER)
    return {"late_response": late_response, "extended": extended, "unacknowledged": unacknowledged,
            "answered": answered, "due_today": due_today}


def test_deadlines_count_working_days_across_the_bank_holidays_and_the_year_end(staff_client):
    made = year_end(officer())
    with at(D(2027, 1, 4)):
        response = staff_client(OFFICER).get(DASHBOARD)
    # Received Thursday 17 December: acknowledge by Tuesday 22 December, six
    # working days before Monday 4 January (23, 24, 29, 30, 31 December and
    # 4 January: not Christmas, the Boxing Day holiday or New Year's Day).
    row = cells(response, made["unacknowledged"].reference)
    assert row["Acknowledge by"] == "22 Dec 2026 Overdue by 6 working days"
    assert row["Respond by"] == "19 Jan 2027 11 working days left"
    # Received Monday 30 November: respond by Wednesday 30 December, two
    # working days before (31 December, 4 January).
    row = cells(response, made["late_response"].reference)
    assert row["Acknowledge by"] == "3 Dec 2026 Acknowledged 30 Nov 2026"
    assert row["Respond by"] == "30 Dec 2026 Overdue by 2 working days"
    assert cells(response, made["extended"].reference)["Respond by"] == (
        "30 Dec 2026, extended to 6 Jan 2027 2 working days left Due soon")
    # Received Tuesday 29 December: three working days are 30 and 31
    # December and 4 January.
    assert cells(response, made["due_today"].reference)["Acknowledge by"] == "4 Jan 2027 Due today Due soon"
    assert "Overdue" not in " ".join(cells(response, made["answered"].reference).values())


def test_the_cards_count_exactly_the_rows_their_links_list_with_those_tags(staff_client):
    made = year_end(officer())
    with at(D(2027, 1, 4)):
        client = staff_client(OFFICER)
        response = client.get(DASHBOARD)
        found = cards(response)
        assert {words: count for words, (count, _href) in found.items()} == {
            "open": 4, "awaiting triage": 2, "overdue to acknowledge": 1, "overdue to respond": 1,
            "due within 3 working days": 2}
        tags = {"overdue to acknowledge": ("Acknowledge by", "Overdue"),
                "overdue to respond": ("Respond by", "Overdue"),
                "due within 3 working days": (None, "Due soon")}

        def shown(row, column):
            return row[column] if column else row["Acknowledge by"] + row["Respond by"]

        for words, (count, href) in found.items():
            listed = client.get(href)
            assert len(references(listed)) == count, words
            if words in tags:
                column, tag = tags[words]
                for reference in references(listed):
                    row = cells(listed, reference)
                    assert tag in shown(row, column), words
                # No row left out of the card carries its tag.
                for reference in set(references(response)) - set(references(listed)):
                    row = cells(response, reference)
                    assert tag not in shown(row, column), words
        assert references(client.get(found["overdue to acknowledge"][1])) == [
            made["unacknowledged"].reference]
        assert references(client.get(found["overdue to respond"][1])) == [made["late_response"].reference]


def test_the_cards_count_what_the_daily_reminders_remind_about():
    """The reminders judge deadlines in Python, the cards in the database:
    for the same complaints on the same day they pick the same ones."""
    made = year_end(officer())
    today = D(2027, 1, 4)
    from prevent_hub.core.working_days import WorkingCalendar

    with at(today):
        clocks = selectors.Clocks(today=today, soon=WorkingCalendar.load().add_working_days(today, 3))
        reminded = {}
        for complaint, kind, _deadline in reminders_due(today):
            reminded.setdefault(kind, set()).add(complaint.reference)
    for group, kinds in ((selectors.OVERDUE_ACKNOWLEDGEMENT, [ReminderKind.ACKNOWLEDGE_OVERDUE]),
                         (selectors.OVERDUE_RESPONSE, [ReminderKind.RESPOND_OVERDUE]),
                         (selectors.DUE_SOON, [ReminderKind.ACKNOWLEDGE_DUE, ReminderKind.RESPOND_DUE])):
        counted = set(Complaint.objects.filter(clocks.group(group)).values_list("reference", flat=True))
        assert counted == set().union(*(reminded.get(kind, set()) for kind in kinds)), group
    assert made["extended"].reference in reminded[ReminderKind.RESPOND_DUE]


def test_a_deadline_passed_on_friday_is_overdue_on_saturday_by_no_working_day_yet(staff_client):
    with at(D(2027, 1, 5)):  # a Tuesday: acknowledge by Friday 8 January
        complaint = received()
    with at(D(2027, 1, 9)):
        response = staff_client(OFFICER).get(DASHBOARD)
    assert cells(response, complaint.reference)["Acknowledge by"] == "8 Jan 2027 Overdue"
    assert cards(response)["overdue to acknowledge"][0] == 1


def test_a_complaint_triaged_as_another_organisations_no_longer_awaits_triage(staff_client):
    complaint = triaged(received(), Scope.BY_OTHER, officer())
    response = staff_client(OFFICER).get(DASHBOARD)
    assert cells(response, complaint.reference)["Status"] == "Triaged: to pass on or signpost"
    assert cards(response)["awaiting triage"][0] == 0 and cards(response)["open"][0] == 1


# Filters and search -----------------------------------------------------------------------


def test_each_filter_narrows_the_list(staff_client):
    by = officer()
    with at(D(2026, 10, 5)):
        october = received(organisation_kind="police", organisation_name="")
    with at(D(2026, 11, 9)):
        school = received(organisation_kind="school")
        policy = triaged(received(organisation_kind="council", organisation_name=""), Scope.POLICY, by,
                         category="training")
        investigating = complaint_investigating(by=by)
    with at(D(2026, 11, 10)):
        client = staff_client(OFFICER)
        assert references(client.get(DASHBOARD, {"status": "investigating"})) == [investigating.reference]
        assert set(references(client.get(DASHBOARD, {"status": "awaiting_triage"}))) == {
            october.reference, school.reference}
        assert set(references(client.get(DASHBOARD, {"status": "open"}))) == {
            october.reference, school.reference, policy.reference, investigating.reference}
        assert references(client.get(DASHBOARD, {"status": "withdrawn"})) == []
        assert references(client.get(DASHBOARD, {"scope": "policy"})) == [policy.reference]
        untriaged = client.get(DASHBOARD, {"scope": "none"})
        assert set(references(untriaged)) == {october.reference, school.reference}
        assert references(client.get(DASHBOARD, {"category": "training"})) == [policy.reference]
        assert references(client.get(DASHBOARD, {"organisation_kind": "police"})) == [october.reference]
        assert references(client.get(DASHBOARD, {
            "received_to-day": 31, "received_to-month": 10, "received_to-year": 2026})) == [october.reference]
        november = client.get(DASHBOARD, {"received_from-day": 1, "received_from-month": 11,
                                          "received_from-year": 2026, "organisation_kind": "school"})
        assert references(november) == [school.reference]
        assert "Received on or after 1 November 2026" in text(november)
        assert "Organisation: A school, college or nursery" in text(november)
        # Received 5 October: to be acknowledged by 8 October, answered by 2 November.
        assert references(client.get(DASHBOARD, {"status": "overdue"})) == [october.reference]
        none = client.get(DASHBOARD, {"status": "passed_on", "q": "Testford"})
        assert "No complaints match these filters" in text(none)
        assert "Status: Passed on to the organisation" in text(none) and "Search: Testford" in text(none)


def test_search_finds_a_reference_a_name_or_an_organisation_and_is_audited_without_the_words(staff_client):
    pat = received()
    robin = received(complainant_name="Robin Sample-Complainant", organisation_name="Fictional Grove Primary")
    client = staff_client(OFFICER)
    year = robin.reference.split("-")[1]
    assert references(client.get(DASHBOARD, {"q": f" cmp {year} {number_of(robin)} "})) == [robin.reference]
    assert references(client.get(DASHBOARD, {"q": robin.reference.lower()})) == [robin.reference]
    assert references(client.get(DASHBOARD, {"q": "SAMPLE robin"})) == [robin.reference]
    assert references(client.get(DASHBOARD, {"q": "grove primary"})) == [robin.reference]
    assert references(client.get(DASHBOARD, {"q": "robin academy"})) == []  # every word must be found
    assert references(client.get(DASHBOARD, {"q": "Testford"})) == [pat.reference]
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="complaints.complaint",
                                         actor=client.user).order_by("sequence")
    details = [event.details for event in searches]
    assert len(details) == 5  # the search that found nothing listed nothing
    assert details[0]["filters"] == {"search": "reference"} and details[2]["filters"] == {"search": "words"}
    assert all("robin" not in str(each).lower() and "grove" not in str(each).lower() for each in details)


@pytest.mark.parametrize(("params", "message"), [
    ({"received_from-day": 9, "received_from-month": 9, "received_from-year": 2026, "received_to-day": 1,
      "received_to-month": 1, "received_to-year": 2026},
     "Received to must be the same as or after received from"),
    ({"received_from-day": 31, "received_from-month": 2, "received_from-year": 2026},
     "Received from must be a real date"),
    ({"received_to-day": "1", "received_to-month": "1", "received_to-year": "99999"},
     "Received to year must include 4 numbers"),
    ({"received_to-day": "x", "received_to-month": "1", "received_to-year": "2026"},
     "Received to must be a real date"),
    ({"received_from-day": "1"}, "Received from must include a month and year"),
    ({"status": "<b>lost</b>"}, "Select a status from the list"),
    ({"scope": "everything"}, "Select what the complaint is about from the list"),
    ({"category": "1 OR 1=1"}, "Select a part of the work from the list"),
    ({"organisation_kind": "'; DROP TABLE complaints_complaint; --"}, "Select an organisation from the list"),
    ({"q": "x" * 201}, "Search for 200 characters or fewer"),
    ({"q": "Pat\x00Example"}, "Search for letters, numbers and spaces"),
])
def test_bad_filters_are_explained_and_the_rest_still_apply(staff_client, params, message):
    complaint = received()
    response = staff_client(OFFICER).get(DASHBOARD, {**params, "organisation_kind": "school", **params})
    assert response.status_code == 200
    assert message in error_summary(response)
    assert references(response) == [complaint.reference]
    assert "<b>lost</b>" not in response.content.decode()


@pytest.mark.parametrize("q", ["' OR 1=1 --", "%", "_", "\\", "CMP-%", "🙂" * 50, "zq " * 60])
def test_searches_that_look_like_sql_or_wildcards_match_only_what_they_say(staff_client, q):
    received()
    response = staff_client(OFFICER).get(DASHBOARD, {"q": q})
    assert response.status_code == 200
    assert references(response) == []
    assert not error_summary(response)


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1", "1e9"])
def test_any_page_number_shows_a_page(staff_client, page):
    received()
    response = staff_client(OFFICER).get(DASHBOARD, {"page": page})
    assert response.status_code == 200 and len(references(response)) == 1


def test_the_list_is_paginated(staff_client):
    made = [received() for _ in range(30)]
    client = staff_client(OFFICER)
    first, second = client.get(DASHBOARD), client.get(DASHBOARD, {"page": 2})
    assert len(references(first)) == 25 and len(references(second)) == 5
    assert set(references(first) + references(second)) == {complaint.reference for complaint in made}
    assert "Showing 1 to 25 of 30 complaints" in text(first)


@pytest.mark.parametrize("count", [1, 30])
def test_the_dashboard_reads_the_same_queries_however_many_complaints(staff_client, count,
                                                                      django_assert_num_queries):
    by = officer()
    for n in range(count):
        complaint = received()
        if n % 3 == 1:
            triaged(complaint, Scope.BY_US, by)
        elif n % 3 == 2:
            services.complaint_withdraw(complaint=complaint, reasons="Fictional", acting_user=by)
    client = staff_client(OFFICER)
    with django_assert_num_queries(DASHBOARD_QUERIES[connection.vendor]):
        response = client.get(DASHBOARD, {"status": "", "q": ""})
    assert len(references(response)) == min(count, 25)


# The CSV of the list --------------------------------------------------------------------------


def test_the_csv_has_the_filtered_list_without_anything_typed_and_is_audited(staff_client):
    risky = received(complainant_name="=HYPERLINK(\"https://example.org\",\"Fictional\")",
                     organisation_name="@SUM(1+1)*cmd|' /C calc'!A0")
    answered = complaint_responded()
    client = staff_client(OFFICER)
    response = client.get(EXPORT, {"status": "open", "organisation_kind": "school"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Reference"] == risky.reference and row["Status"] == "Received: awaiting triage"
    assert row["Organisation"] == "A school, college or nursery" and row["Overdue today"] == "No"
    assert row["Acknowledge by"] == risky.acknowledge_by.isoformat() and row["Answered"] == ""
    # Names and anything typed stay out, so nothing in it can be a formula.
    exported = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
    assert "HYPERLINK" not in exported and "SUM(" not in exported and "Pat Example" not in exported
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in csv.reader(io.StringIO(exported))
               for cell in line)
    everything = {line[0]: line for line in csv.reader(io.StringIO(exported))}
    answered_row = dict(zip(everything["Reference"], everything[answered.reference], strict=True))
    assert answered_row["Outcome"] == "Partly upheld"
    assert answered_row["Answered within the deadline"] == "Yes"
    assert answered_row["Answered within an agreed extension"] == "No" and answered_row["Overdue today"] == ""
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="complaints.complaint")
    first = events.order_by("sequence").first()
    assert first.actor == client.user and first.details["rows"] == 1
    assert first.details["filters"] == {"status": "open", "organisation_kind": "school"}


def test_an_export_with_bad_filters_goes_back_to_the_list(staff_client):
    response = staff_client(OFFICER).get(EXPORT, {"status": "nonsense"})
    assert response.status_code == 302 and response["Location"].startswith(DASHBOARD)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# Quarterly counts -------------------------------------------------------------------------


def table_rows(response, caption) -> list[list[str]]:
    for table in soup(response).find_all("table"):
        if table.find("caption").get_text(strip=True).startswith(caption):
            return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
                    for row in table.find("tbody").find_all("tr")]
    raise AssertionError(f"no table {caption}")


def answered_late(complaint_made_on, *, respond_on, extend_to=None):
    """A complaint found on, responded to on `respond_on` (extended first to
    `extend_to` if given)."""
    with at(complaint_made_on):
        complaint = complaint_found()
    if extend_to:
        with at(complaint.respond_by - datetime.timedelta(days=1)):
            services.complaint_extend(complaint=complaint, new_date=extend_to, reason="Fictional reason",
                                      acting_user=complaint.owner, **LETTER)
    with at(respond_on):
        services.response_send(complaint=complaint, acting_user=complaint.owner, **LETTER)
    complaint.refresh_from_db()
    return complaint


def test_counts_put_31_march_and_1_april_in_different_financial_years(staff_client):
    by = officer()
    with at(D(2026, 12, 1)):
        march = received(received_on=D(2026, 3, 31))
        april = triaged(received(received_on=D(2026, 4, 1)), Scope.BY_OTHER, by, category="staff_conduct")
        december = received()
        client = staff_client(OFFICER)
        response = client.get(COUNTS)
        this_year, last_year = client.get(COUNTS, {"year": "2026"}), client.get(COUNTS, {"year": "2025"})
    assert table_rows(response, "What they were about") == [
        ["2026/27 Q3 (October to December 2026)", "0", "0", "0", "1"],
        ["2026/27 Q1 (April to June 2026)", "0", "1", "0", "0"],
        ["2025/26 Q4 (January to March 2026)", "0", "0", "0", "1"]]
    assert table_rows(response, "Which part of the work")[1][4] == "1"  # how staff behaved
    assert [row[0] for row in table_rows(this_year, "Received and answered")] == [
        "2026/27 Q3 (October to December 2026)", "2026/27 Q1 (April to June 2026)"]
    assert "Received and answered, 2026/27" in text(this_year)
    assert [row[0] for row in table_rows(last_year, "Received and answered")] == [
        "2025/26 Q4 (January to March 2026)"]
    assert {march.reference, april.reference, december.reference} <= set(
        Complaint.objects.values_list("reference", flat=True))


def test_the_share_answered_within_the_deadline_and_within_an_extension(staff_client):
    by = officer()
    on_time = answered_late(D(2026, 7, 1), respond_on=D(2026, 7, 20))
    extended = answered_late(D(2026, 7, 2), respond_on=D(2026, 8, 5), extend_to=D(2026, 8, 10))
    late = answered_late(D(2026, 7, 3), respond_on=D(2026, 8, 20))
    late_after_extension = answered_late(D(2026, 7, 6), respond_on=D(2026, 8, 28), extend_to=D(2026, 8, 17))
    with at(D(2026, 7, 7)):
        signposted = triaged(received(), Scope.POLICY, by)
        services.complaint_signpost(complaint=signposted, acting_user=by, **LETTER)
        withdrawn = received()
        services.complaint_withdraw(complaint=withdrawn, reasons="Fictional", acting_user=by)
        still_open = received()
    assert on_time.responded_on <= on_time.respond_by < late.responded_on
    assert extended.respond_by < extended.responded_on <= extended.extended_to
    assert late_after_extension.responded_on > late_after_extension.extended_to
    with at(D(2026, 9, 1)):
        client = staff_client(OFFICER)
        response = client.get(COUNTS)
    # Answered: four responses and the signposting; within the deadline: the
    # first and the signposting (2 of 5, 40%); within an extension: one.
    assert table_rows(response, "Received and answered") == [
        ["2026/27 Q2 (July to September 2026)", "7", "5", "2", "40%", "1"]]
    assert table_rows(response, "How they ended") == [
        ["2026/27 Q2 (July to September 2026)", "0", "4", "0", "0", "1", "1", "1"]]
    assert still_open.status == "received"
    with at(D(2026, 9, 1)):
        exported = client.get(COUNTS_EXPORT, {"year": "2026"})
    rows = csv_rows(exported)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Quarter"] == "2026/27 Q2" and (row["From"], row["To"]) == ("2026-07-01", "2026-09-30")
    assert (row["Received"], row["Answered"], row["Answered within the deadline"]) == ("7", "5", "2")
    assert row["Share answered within the deadline"] == "40%"
    assert row["How they ended: Partly upheld"] == "4" and row["What they were about: Not yet triaged"] == "2"
    assert exported["Content-Disposition"].endswith('complaints-quarterly-counts-2026-27.csv"')
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="complaints.complaint")
    assert event.actor == client.user and event.details["list"] == "complaints quarterly counts"
    assert event.details["year"] == 2026


def test_shares_round_half_up_and_need_something_answered():
    assert share(2, 3) == "67%" and share(1, 8) == "13%" and share(1, 3) == "33%"
    assert share(0, 4) == "0%" and share(0, 0) == "—"


def test_no_complaints_nothing_to_count_and_a_bad_year_is_explained(staff_client):
    client = staff_client(OFFICER)
    assert "nothing to count" in text(client.get(COUNTS))
    received()
    bad = client.get(COUNTS, {"year": "1999"})
    assert "Select a financial year from the list" in error_summary(bad)
    assert table_rows(bad, "Received and answered")[0][1] == "1"
    assert client.get(COUNTS_EXPORT, {"year": "nonsense"}).status_code == 302


@pytest.mark.parametrize("count", [1, 30])
def test_the_counts_read_the_same_queries_however_many_complaints(staff_client, count,
                                                                   django_assert_num_queries):
    for n in range(count):
        received(received_on=D(2026, 12, 1) - datetime.timedelta(days=11 * n))
    client = staff_client(OFFICER)
    with django_assert_num_queries(COUNTS_QUERIES):
        response = client.get(COUNTS)
    assert response.status_code == 200


def test_the_share_is_a_dash_when_nothing_was_answered(staff_client):
    received()
    response = staff_client(OFFICER).get(COUNTS)
    assert table_rows(response, "Received and answered")[0][1:] == ["1", "0", "0", "—", "0"]


def test_the_investigator_of_a_complaint_is_named_on_its_row(staff_client):
    named = investigator(full_name="Ivy Example-Investigator")
    complaint = complaint_investigating(investigated_by=named)
    waiting = received()
    response = staff_client(OFFICER).get(DASHBOARD)
    assert cells(response, complaint.reference)["Investigating officer"] == "Ivy Example-Investigator"
    assert cells(response, waiting.reference)["Investigating officer"] == "None yet"
