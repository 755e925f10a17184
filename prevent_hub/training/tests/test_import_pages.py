"""The upload page, the import's page (progress, report, the button) and
who may use them. Background tasks run at once in tests (ImmediateBackend)."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.training import imports
from prevent_hub.training.models import Completion, ImportStatus, Learner, TrainingImport

from .import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
UPLOAD = reverse("training:imports")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin(staff_client):
    return staff_client(Role.TRAINING_ADMINISTRATOR)


def upload(client, data, *, name="training.csv", skip_bad_rows=False, follow=True):
    sent = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if skip_bad_rows:
        sent["skip_bad_rows"] = "on"
    return client.post(UPLOAD, sent, follow=follow)


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def text(response):
    return " ".join(soup(response).get_text(" ").split())


def test_the_upload_page_offers_the_file_the_option_and_an_example(admin):
    page = soup(admin.get(UPLOAD))
    assert page.find("input", type="file", attrs={"name": "file"}) is not None
    assert page.find("label", string=lambda s: s and "skip the rows with problems" in s) is not None
    example = page.find("a", href=reverse("training:import-example"))
    assert example is not None
    response = admin.get(example["href"])
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(imports.COLUMNS)
    assert "@example.test" in body
    # The example imports cleanly.
    assert imports.check(body.encode()).errors == []


def test_a_good_file_is_checked_then_imported_once(admin, media, django_capture_on_commit_callbacks):
    response = upload(admin, csv_bytes(row(), row(name="Sam Sample", email="sam@example.test",
                                                  course="channel-awareness")))
    training_import = TrainingImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("training:import", kwargs={"pk": training_import.pk})
    assert training_import.status == ImportStatus.CHECKED
    assert "Refresh" not in response  # the report is there: no more refreshing
    page = text(response)
    assert "Check the report, then import" in page
    assert "Organisations new to the service" in page and "Fictional Primary School (demo)" in page
    assert not Completion.objects.exists()

    start = reverse("training:import-start", kwargs={"pk": training_import.pk})
    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(start, follow=True)
        again = admin.post(start, follow=True)  # a second press

    assert "Import complete" in text(done)
    assert "2 completions recorded" in text(done)
    assert soup(done).find("a", href=reverse("training:home")) is not None
    assert again.status_code == 200
    assert Completion.objects.count() == 2
    training_import.refresh_from_db()
    assert training_import.status == ImportStatus.IMPORTED
    assert not training_import.file  # personal data: deleted once imported
    assert not any(media.rglob("*.csv"))


def test_a_bad_row_is_shown_by_line_and_reason_and_nothing_can_be_imported(
        admin, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, csv_bytes(row(), row(name="Sam Sample", email="sam@example.test",
                                                      completed_on="2025-02-30")))
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    assert "Line 3: The date completed is not a real date" in summary.get_text(" ")
    assert page.find(id="line-3") is not None
    table = page.find("table")
    assert [cell.get_text(strip=True) for cell in table.find("tbody").find_all(["th", "td"])] == [
        "3", "The date completed is not a real date"]
    assert "Correct the rows and upload the file again" in text(response)
    assert page.find("form", action=lambda a: a and "/import/" in a) is None
    assert TrainingImport.objects.get().status == ImportStatus.REJECTED
    assert not any(media.rglob("*.csv"))
    assert not Learner.objects.exists()


def test_skipping_bad_rows_offers_the_good_ones(admin):
    response = upload(admin, csv_bytes(row(), row(name="Sam Sample", email="sam@example.test",
                                                  course="nope")), skip_bad_rows=True)
    assert "Import 1 row" in text(response)
    assert "will be skipped" in text(response)
    training_import = TrainingImport.objects.get()
    admin.post(reverse("training:import-start", kwargs={"pk": training_import.pk}))
    assert Completion.objects.count() == 1


def test_progress_is_shown_while_the_file_is_checked_and_the_page_refreshes_itself(admin):
    training_import = TrainingImport.objects.create(file_name="big.csv", status=ImportStatus.CHECKING,
                                                    total_rows=20000, processed_rows=4000)
    response = admin.get(reverse("training:import", kwargs={"pk": training_import.pk}))
    assert response["Refresh"] == "2"
    assert soup(response).find(role="status").get_text(strip=True) == "Checked 4,000 of 20,000 rows"
    TrainingImport.objects.filter(pk=training_import.pk).update(status=ImportStatus.IMPORTING,
                                                                processed_rows=20000)
    response = admin.get(reverse("training:import", kwargs={"pk": training_import.pk}))
    assert soup(response).find(role="status").get_text(strip=True) == (
        "Writing 20,000 rows to the training records")


def test_the_recent_imports_are_listed_and_the_listing_is_audited(admin):
    upload(admin, csv_bytes(row()), name="C:\\Users\\someone\\Desktop\\..\\certificates 2025.csv")
    response = admin.get(UPLOAD)
    table = soup(response).find("table")
    assert "certificates 2025.csv" in table.get_text()
    assert "Desktop" not in table.get_text()
    assert admin.user.full_name in table.get_text()
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="training.trainingimport",
                                     actor=admin.user).exists()


@pytest.mark.parametrize("data, message", [
    (b"", "The selected file is empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The selected file must be a CSV file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The selected file must be a CSV file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "The selected file is a spreadsheet workbook, not a CSV file"),
])
def test_files_that_are_not_csv_are_refused_with_a_clear_message(admin, data, message):
    response = upload(admin, data, name="training.csv", follow=False)
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert message in summary.get_text(" ")
    assert soup(response).find(class_="govuk-error-message") is not None
    assert not TrainingImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(admin, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    response = upload(admin, csv_bytes(*[row(name=f"Learner {n}", email=f"l{n}@example.test")
                                         for n in range(50)]), follow=False)
    assert "The selected file must be smaller than 1 KB" in text(response)
    assert not TrainingImport.objects.exists()


def test_no_file_chosen(admin):
    response = admin.post(UPLOAD, {})
    assert "Select a CSV file" in soup(response).find(class_="govuk-error-summary").get_text()


def test_html_in_cells_and_file_names_is_shown_as_text(admin):
    upload(admin, csv_bytes(row(organisation="<script>alert('org')</script>"),
                            row(course="<img src=x onerror=alert(1)>")),
           name="<b>bold</b>.csv", skip_bad_rows=True)
    training_import = TrainingImport.objects.get()
    response = admin.get(reverse("training:import", kwargs={"pk": training_import.pk}))
    html = response.content.decode()
    assert "<script>alert('org')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;org&#x27;)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "<img src=x" not in html  # the course's cell is never repeated at all


def test_a_refused_import_says_why(admin):
    training_import = TrainingImport.objects.create(file_name="old.csv", status=ImportStatus.CHECKED,
                                                    total_rows=1, processed_rows=1)
    response = admin.post(reverse("training:import-start", kwargs={"pk": training_import.pk}))
    assert response.status_code == 400
    assert "The file is no longer kept" in soup(response).find(class_="govuk-error-summary").get_text()


@pytest.mark.parametrize("role", [Role.TRAINING_LEAD, Role.PREVENT_COORDINATOR, Role.AUDITOR])
def test_only_training_administrators_may_import(staff_client, role):
    client = staff_client(role, organisation=OrganisationFactory())
    training_import = TrainingImport.objects.create(file_name="x.csv", status=ImportStatus.REJECTED)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_bytes(row()), follow=False).status_code == 403
    assert client.get(reverse("training:import", kwargs={"pk": training_import.pk})).status_code == 403
    assert client.post(reverse("training:import-start", kwargs={"pk": training_import.pk})).status_code == 403
    assert client.get(reverse("training:import-example")).status_code == 403
    assert TrainingImport.objects.count() == 1
    assert not Learner.objects.exists()


def test_an_unknown_import_is_not_found(admin):
    assert admin.get(reverse("training:import", kwargs={"pk": 999})).status_code == 404
