"""The assurance summary's page and downloads, as the people who answer for
the Prevent duty use them: who may see it, the year chosen (and years that
are not there), what the page and the spreadsheets say, that downloads are
audited, and that the page reads the same number of queries however much
is recorded."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prevent_hub.access.roles import Role
from prevent_hub.assurance.views import HEADER
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.complaints.tests.factories import complaint_received
from prevent_hub.panels.models import MeetingStatus
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.training import services as training_services
from prevent_hub.training.tests.factories import administrator, completed, learner

from .helpers import CURRENT, PAST, READ_ON, D, at, csv_rows, figures_on_page, london, soup, year_on_page

pytestmark = pytest.mark.django_db

ALLOWED = {Role.PREVENT_COORDINATOR, Role.TRAINING_ADMINISTRATOR, Role.AUDITOR}
SUMMARY = reverse("assurance:summary")


def year_page(year: int) -> str:
    return reverse("assurance:summary-year", args=[year])


def csv_of(year: int) -> str:
    return reverse("assurance:summary-csv", args=[year])


def xlsx_of(year: int) -> str:
    return reverse("assurance:summary-xlsx", args=[year])


def main_text(response) -> str:
    return soup(response).find("main").get_text(" ", strip=True)


def some_of_everything():
    """A little of each thing the summary counts, in 2025/26."""
    admin = administrator()
    with at(D(2025, 5, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2025, 4, 2), acting_user=admin)
        learner(acting_user=admin, is_prevent_lead=True)
    ReferralFactory(received_at=london(D(2025, 4, 3), 10))
    ReferralFactory(received_at=london(D(2025, 10, 3), 10), status=ReferralStatus.DECIDED,
                    gateway_outcome=GatewayOutcome.POLICE_LED, gateway_decided_on=D(2025, 10, 9))
    ChannelCaseFactory(opened_at=london(D(2025, 7, 1), 10), adopted_on=D(2025, 8, 1))
    meeting = PanelMeetingFactory(date=D(2025, 8, 1), status=MeetingStatus.HELD)
    item_add(meeting, ChannelCaseFactory())
    police_present(meeting)
    with at(D(2026, 1, 5)):
        complaint_received(source="post", received_on=D(2026, 1, 5))


# Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_coordinators_training_administrators_and_auditors_see_it(staff_client, role):
    client = staff_client(role)
    with at(READ_ON):
        for path in (SUMMARY, year_page(CURRENT), csv_of(CURRENT), xlsx_of(CURRENT)):
            response = client.get(path)
            assert response.status_code == (200 if role in ALLOWED else 403), (role, path)


def test_nobody_signed_out_reaches_it(client):
    for path in (SUMMARY, csv_of(CURRENT)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


# The page -------------------------------------------------------------------------------------


def test_the_page_shows_this_years_figures_each_with_what_it_counts(staff_client, settings):
    settings.COUNCIL_NAME = "Fictionshire County Council"
    client = staff_client(Role.PREVENT_COORDINATOR)
    some_of_everything()
    with at(D(2026, 2, 10)):
        response = client.get(SUMMARY)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == "Prevent duty assurance summary 2025/26"
    text = main_text(response)
    assert "Fictionshire County Council" in text
    assert "Produced on 10 February 2026" in text
    assert "counted so far: to 10 February 2026" in text
    assert "Training is counted as at 10 February 2026 (today)" in text
    figures = figures_on_page(response)
    assert figures["referrals.received"] == ["1", "0", "1", "0", "2"]
    assert figures["referrals.gateway_police_led"] == ["0", "0", "1", "0", "1"]
    assert figures["channel.adopted"] == ["0", "1", "0", "0", "1"]
    assert figures["panels.held"][-1] == "1"
    assert figures["panels.police"][-1] == "1"
    assert figures["complaints.received"] == ["0", "0", "0", "1", "1"]
    assert figures["training.learners"] == ["Standing on 10 February 2026", "2"]
    assert figures["training.leads_flagged"][-1] == "1"
    # Every figure says what it counts.
    for row in page.select("tr[data-figure]"):
        assert row.find(class_="app-assurance__definition").get_text(strip=True), row["data-figure"]
    # No one is named: neither the learners nor anyone else.
    assert "Alex Example-Learner" not in text
    # Figures only: reading the page writes no view event about anyone.
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_type__startswith="training").exists()


def test_a_past_year_reads_its_training_as_at_31_march(staff_client):
    client = staff_client(Role.TRAINING_ADMINISTRATOR)
    admin = administrator()
    with at(D(2025, 4, 10)):
        person = learner(acting_user=admin)
    with at(READ_ON):
        completed(person, "prevent-awareness", D(2026, 4, 1), acting_user=admin)  # after the year
        response = client.get(year_page(PAST))
        now = client.get(year_page(CURRENT))
    text = main_text(response)
    assert "Training is counted as at 31 March 2026, the last day of the year" in text
    assert "counted so far" not in text
    assert year_on_page(response, "training.never_trained") == 1
    assert year_on_page(response, "training.in_date") == 0
    assert year_on_page(now, "training.in_date") == 1


def test_an_empty_year_says_so_in_each_section_and_shows_noughts_not_blanks(staff_client):
    client = staff_client(Role.AUDITOR)
    with at(READ_ON):
        response = client.get(SUMMARY)
    assert response.status_code == 200
    page = soup(response)
    for key in ("training", "referrals", "channel", "panels", "complaints", "venues"):
        empty = page.find(id=f"empty-{key}")
        assert empty is not None, key
        assert "Every figure for 2026/27 is 0." in empty.get_text()
    for key, cells in figures_on_page(response).items():
        numbers = [cell for cell in cells if not cell.startswith(("Standing on", "For the year only"))]
        assert numbers and all(cell == "0" for cell in numbers), (key, cells)


def test_the_page_reads_the_same_number_of_queries_whatever_is_recorded(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(D(2026, 2, 10)):
        client.get(SUMMARY)  # the session settles
        with CaptureQueriesContext(connection) as empty:
            assert client.get(SUMMARY).status_code == 200
    some_of_everything()
    for extra in range(3):
        ReferralFactory(received_at=london(D(2025, 6, 1 + extra), 10))
    with at(D(2026, 2, 10)), CaptureQueriesContext(connection) as busy:
        response = client.get(SUMMARY)
    assert year_on_page(response, "referrals.received") == 5
    assert len(busy) == len(empty)
    # The staff page's own seven, the seven first dates for the years, then
    # the figures: training four, referrals one, Channel two, panels four,
    # complaints one, venues four.
    assert len(busy) == {"sqlite": 30, "postgresql": 30}[connection.vendor], [q["sql"][:80] for q in busy]


# Choosing a year, and years that are not there -------------------------------------------------


def test_the_year_chooser_offers_the_years_with_data_and_leads_to_the_years_page(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    ReferralFactory(received_at=london(D(2024, 5, 1), 10))
    with at(READ_ON):
        response = client.get(SUMMARY)
        options = [option.get_text(strip=True) for option in soup(response).select("select#id_year option")]
        assert options == ["2026/27 (1 April 2026 to 31 March 2027)",
                           "2025/26 (1 April 2025 to 31 March 2026)",
                           "2024/25 (1 April 2024 to 31 March 2025)"]
        assert soup(response).select_one("select#id_year option[selected]")["value"] == "2026"
        chosen = client.get(SUMMARY, {"year": "2024"})
        assert chosen.status_code == 302
        assert chosen["Location"] == year_page(2024)
        response = client.get(year_page(2024))
    assert soup(response).find("h1").get_text(strip=True) == "Prevent duty assurance summary 2024/25"
    assert year_on_page(response, "referrals.received") == 1
    assert soup(response).select_one("select#id_year option[selected]")["value"] == "2024"


@pytest.mark.parametrize("sent", ["2019", "<script>alert(1)</script>",
                                  "2025'; DROP TABLE referrals_referral;--", "99999999999999999999", "-1", "",
                                  "2025.5", "../../etc/passwd"])
def test_a_year_not_offered_is_explained_on_the_page(staff_client, sent):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get(SUMMARY, {"year": sent})
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert summary is not None
    assert ("Select a financial year from the list" in summary.get_text()
            or "Select a financial year" in summary.get_text())
    assert soup(response).find("title").get_text().startswith("Error: ")
    # Nothing else changes: this year's summary is still shown below.
    assert soup(response).find("h1").get_text(strip=True) == "Prevent duty assurance summary 2026/27"
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("path", ["2027", "2030", "2019", "0", "00002026x", "99999999999999999999999999",
                                  "1", "9999"])
def test_a_year_out_of_range_or_to_come_is_a_clear_not_found_page(staff_client, path):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        for suffix in ("", "assurance.csv", "assurance.xlsx"):
            response = client.get(f"/staff/assurance/{path}/{suffix}")
            assert response.status_code == 404, (path, suffix)
            if path.isdigit():
                assert "There is no assurance summary for that year" in main_text(response)
                assert soup(response).find("a", href=year_page(CURRENT)) is not None
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="assurance.summary").exists()


def test_a_year_written_with_leading_noughts_is_that_year(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get("/staff/assurance/0002026/")
    assert response.status_code == 200
    assert soup(response).find("h1").get_text(strip=True) == "Prevent duty assurance summary 2026/27"


# Downloads ------------------------------------------------------------------------------------------


def test_the_csv_has_every_figure_with_its_definition_and_is_audited(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    some_of_everything()
    with at(READ_ON):
        page = client.get(year_page(PAST))
        response = client.get(csv_of(PAST))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="prevent-duty-assurance-2025-26.csv"'
    rows = csv_rows(response)
    assert tuple(rows[0]) == HEADER
    by_figure = {(row[0], row[1]): row for row in rows[1:]}
    assert len(by_figure) == len(rows) - 1 == len(figures_on_page(page))
    received = by_figure[("Referrals and the police gateway", "Referrals received")]
    assert received[3:] == ["1", "0", "1", "0", "2"]
    assert received[2].startswith("Referrals received in the year")
    assert by_figure[("Referrals and the police gateway", "Police gateway outcomes: Police-led management")][
        3:] == ["0", "0", "1", "0", "1"]
    learners = by_figure[("Prevent training", "Learners")]
    assert learners[3:] == ["", "", "", "", "2"]
    assert "31 March 2026" in learners[2]
    assert all(row[2] for row in rows[1:])
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="assurance.summary")
    assert event.object_id == str(PAST)
    assert event.details["year"] == "2025/26"
    assert event.details["format"] == "csv"


def test_the_xlsx_has_the_same_figures_and_what_they_are_about(staff_client, settings):
    settings.COUNCIL_NAME = "Fictionshire County Council"
    client = staff_client(Role.AUDITOR)
    some_of_everything()
    with at(READ_ON):
        csv_response = client.get(csv_of(PAST))
        response = client.get(xlsx_of(PAST))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="prevent-duty-assurance-2025-26.xlsx"'
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Summary 2025-26", "About"]
    rows = [[("" if value is None else str(value)) for value in row]
            for row in workbook["Summary 2025-26"].iter_rows(values_only=True)]
    assert rows == csv_rows(csv_response)
    about = dict(workbook["About"].iter_rows(min_row=2, values_only=True))
    assert about["Council"] == "Fictionshire County Council"
    assert about["Financial year"] == "2025/26"
    assert about["Training standing as at"].date() == D(2026, 3, 31)
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="assurance.summary")
    assert sorted(event.details["format"] for event in events) == ["csv", "xlsx"]


def test_a_course_named_like_a_formula_stays_text_in_both_downloads(staff_client):
    admin = administrator()
    training_services.course_save(acting_user=admin, code="hostile-course", name='=HYPERLINK("http://x")',
                                  kind="local_workshop", refresh_months=12, counts_for_compliance=False)
    client = staff_client(Role.TRAINING_ADMINISTRATOR)
    with at(READ_ON):
        rows = csv_rows(client.get(csv_of(CURRENT)))
        response = client.get(xlsx_of(CURRENT))
    assert ["Prevent training", 'Courses completed: =HYPERLINK("http://x")'] in [row[:2] for row in rows]
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    cells = [cell for row in load_workbook(io.BytesIO(content))["Summary 2026-27"].iter_rows()
             for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert len(cells) == 2  # the figure and its definition
    assert all(cell.data_type == "s" for cell in cells)


def test_the_page_and_downloads_answer_only_get(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        for path in (SUMMARY, csv_of(CURRENT), xlsx_of(CURRENT)):
            assert client.post(path).status_code == 405
