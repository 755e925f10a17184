"""The compliance downloads: the table by organisation and by role (CSV,
and an Excel workbook with both), and an organisation's learners (CSV and
Excel, with the page's filters). What is in them, that nothing typed into
the service runs as a formula, that each is audited, and who may have them."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.xlsx import CONTENT_TYPE, sheet_title

from .factories import administrator, completed, learner

pytestmark = pytest.mark.django_db

D = datetime.date
ADMIN, LEAD = Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD
COMPLIANCE_CSV, COMPLIANCE_XLSX = reverse("training:compliance-csv"), reverse("training:compliance-xlsx")
HOSTILE_NAME = '=HYPERLINK("https://example.org/steal","Fictional")'


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def workbook(response):
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="training-')
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def org_download(organisation, extension: str) -> str:
    return reverse(f"training:organisation-{extension}", kwargs={"pk": organisation.pk})


@pytest.fixture
def world():
    admin = administrator()
    academy = OrganisationFactory(name="Fictional Example Academy (demo)")
    primary = OrganisationFactory(name="=Benchford Fictional Primary (demo)")
    head = learner(acting_user=admin, organisation=academy, full_name="Eve Example-Head",
                   job_role="Headteacher", email="eve@example.test", is_safeguarding_lead=True,
                   is_prevent_lead=True)
    completed(head, "prevent-awareness", D(2025, 9, 1), acting_user=admin)
    teacher = learner(acting_user=admin, organisation=academy, full_name=HOSTILE_NAME, job_role="@Teacher",
                      email="ann@example.test")
    completed(teacher, "prevent-awareness", D(2024, 1, 10), acting_user=admin)
    learner(acting_user=admin, organisation=primary, full_name="Gus Example-Teacher", job_role="Teacher",
            email="gus@example.test")
    return {"admin": admin, "academy": academy, "primary": primary, "head": head, "teacher": teacher}


HEADER_END = ["Learners", "In date", "Due soon", "Overdue", "Never trained",
              "Leads without the referrals course in date", "Per cent in date"]


def test_the_compliance_table_downloads_by_organisation_and_by_role(staff_client, world):
    client = staff_client(ADMIN)
    assert csv_rows(client.get(COMPLIANCE_CSV)) == [
        ["Organisation", *HEADER_END],
        ["'=Benchford Fictional Primary (demo)", "1", "0", "0", "0", "1", "0", "0"],
        ["Fictional Example Academy (demo)", "2", "1", "0", "1", "0", "1", "50"],
    ]
    assert csv_rows(client.get(COMPLIANCE_CSV, {"by": "role"})) == [
        ["Role", *HEADER_END],
        ["'@Teacher", "1", "0", "0", "1", "0", "0", "0"],
        ["Headteacher", "1", "1", "0", "0", "0", "1", "100"],
        ["Teacher", "1", "0", "0", "0", "1", "0", "0"],
    ]
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="training.learner")
    assert sorted((event.details["by"], event.details["rows"], event.details["format"])
                  for event in events) == [("organisation", 2, "csv"), ("role", 3, "csv")]
    assert all(event.actor == client.user for event in events)


def test_the_compliance_workbook_has_a_sheet_by_organisation_and_one_by_role(staff_client, world):
    client = staff_client(ADMIN)
    book = workbook(client.get(COMPLIANCE_XLSX))
    assert book.sheetnames == ["By organisation", "By role"]
    by_organisation = sheet_rows(book["By organisation"])
    assert by_organisation[0] == ["Organisation", *HEADER_END]
    assert by_organisation[1:] == [["=Benchford Fictional Primary (demo)", 1, 0, 0, 0, 1, 0, 0],
                                   ["Fictional Example Academy (demo)", 2, 1, 0, 1, 0, 1, 50]]
    # Text stays text, whatever it starts with: never a formula.
    assert book["By organisation"]["A2"].data_type == "s"
    assert [row[0] for row in sheet_rows(book["By role"])] == ["Role", "@Teacher", "Headteacher", "Teacher"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="training.learner")
    assert (event.details["format"], event.details["rows"]) == ("xlsx", 5)


def test_an_organisations_learners_download_with_their_standing(staff_client, world):
    client = staff_client(ADMIN)
    header = ["Name", "Email", "Role", "Designated safeguarding lead", "Prevent lead", "Standing",
              "Trained until", "Last completed", "Lead without the referrals course in date"]
    assert csv_rows(client.get(org_download(world["academy"], "csv"))) == [
        header,
        ["'" + HOSTILE_NAME, "ann@example.test", "'@Teacher", "No", "No", "Overdue", "2026-01-10",
         "2024-01-10", "No"],
        ["Eve Example-Head", "eve@example.test", "Headteacher", "Yes", "Yes", "In date", "2027-09-01",
         "2025-09-01", "Yes"],
    ]
    book = workbook(client.get(org_download(world["academy"], "xlsx")))
    rows = sheet_rows(book["Learners"])
    assert rows[0] == header
    assert rows[1][:6] == [HOSTILE_NAME, "ann@example.test", "@Teacher", "No", "No", "Overdue"]
    assert book["Learners"]["A2"].data_type == "s"
    assert rows[1][6].date() == D(2026, 1, 10)
    assert rows[2][8] == "Yes"
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="training.learner",
                                       details__organisation=world["academy"].pk)
    assert sorted((event.details["format"], event.details["rows"]) for event in events) == [
        ("csv", 2), ("xlsx", 2)]
    assert "Eve Example-Head" not in str([event.details for event in events])


def test_the_learners_download_keeps_the_pages_filters(staff_client, world):
    client = staff_client(ADMIN)
    overdue = csv_rows(client.get(org_download(world["academy"], "csv"), {"standing": "overdue"}))
    assert [row[0] for row in overdue[1:]] == ["'" + HOSTILE_NAME]
    flagged = sheet_rows(workbook(client.get(org_download(world["academy"], "xlsx"),
                                             {"leads": "flagged"}))["Learners"])
    assert [row[0] for row in flagged[1:]] == ["Eve Example-Head"]
    # A filter that is wrong goes back to the list, which says why.
    wrong = client.get(org_download(world["academy"], "csv"), {"standing": "<script>"})
    assert wrong.status_code == 302
    assert wrong["Location"].startswith(reverse("training:organisation", kwargs={"pk": world["academy"].pk}))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_a_training_lead_downloads_their_own_organisation_only(staff_client, world):
    client = staff_client(LEAD, organisation=world["academy"])
    academy = "Fictional Example Academy (demo)"
    assert [row[0] for row in csv_rows(client.get(COMPLIANCE_CSV))[1:]] == [academy]
    book = workbook(client.get(COMPLIANCE_XLSX))
    assert [row[0] for row in sheet_rows(book["By organisation"])[1:]] == [academy]
    assert "Gus Example-Teacher" not in str(sheet_rows(book["By role"]))
    assert len(csv_rows(client.get(org_download(world["academy"], "csv")))) == 3
    assert client.get(org_download(world["primary"], "csv")).status_code == 404
    assert client.get(org_download(world["primary"], "xlsx")).status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
def test_roles_without_training_exports_are_refused(staff_client, world, role):
    client = staff_client(role)
    for path in (COMPLIANCE_CSV, COMPLIANCE_XLSX, org_download(world["academy"], "csv"),
                 org_download(world["academy"], "xlsx")):
        assert client.get(path).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_sheet_titles_are_made_acceptable_to_excel():
    taken = set()
    assert sheet_title("By organisation", taken) == "By organisation"
    assert sheet_title("By organisation", taken) == "By organisation (2)"
    assert sheet_title("A/B: [what]?*", taken) == "A B   what"
    assert len(sheet_title("x" * 80, taken)) == 31
    assert sheet_title("", taken) == "Sheet"


def test_text_with_control_characters_is_written_without_them():
    from prevent_hub.core.xlsx import xlsx_response

    response = xlsx_response([("Sheet", ["Name"], [["Bell\x07 Example", "=1+1"]])], filename="x.xlsx")
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Sheet"])
    assert rows == [["Name", None], ["Bell Example", "=1+1"]]
