"""The upload page, the import's page (progress, report, the button) and who
may use them. Background tasks run at once in tests (ImmediateBackend)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditEvent
from prevent_hub.legacy_import import imports, views
from prevent_hub.legacy_import.models import ImportStatus, ReferralImport
from prevent_hub.people.models import Person
from prevent_hub.referrals.models import Referral

from .factories import channel_row, csv_bytes, row

pytestmark = pytest.mark.django_db
UPLOAD = reverse("legacy_import:imports")


@pytest.fixture
def coordinator_client(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR)


def upload(client, data, *, name="earlier.csv", skip_bad_rows=False, follow=True):
    sent = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if skip_bad_rows:
        sent["skip_bad_rows"] = "on"
    return client.post(UPLOAD, sent, follow=follow)


def text(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def test_the_upload_page_offers_the_file_and_an_example_that_imports_cleanly(coordinator_client):
    page = BeautifulSoup(coordinator_client.get(UPLOAD).content, "html5lib")
    assert page.find("input", type="file", attrs={"name": "file"}) is not None
    response = coordinator_client.get(reverse("legacy_import:example"))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(imports.COLUMNS)
    assert imports.check(body.encode()).errors == []


def test_a_coordinator_uploads_checks_and_imports_once(coordinator_client, media,
                                                       django_capture_on_commit_callbacks):
    response = upload(coordinator_client, csv_bytes(row(), channel_row(external_reference="OLD-0002")))
    referral_import = ReferralImport.objects.get()
    assert referral_import.status == ImportStatus.CHECKED
    assert "Check the report, then import" in text(response)
    assert "Referrals to import 2" in text(response)
    assert not Referral.objects.exists()
    assert list(media.rglob("*.csv"))

    start = reverse("legacy_import:import-start", kwargs={"pk": referral_import.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(start, follow=True)
    assert "Import complete" in text(response) and "2 referrals imported" in text(response)
    assert "Channel cases opened 1" in text(response)
    # A second press (a double submit) imports nothing more.
    again = coordinator_client.post(start, follow=True)
    assert again.status_code == 200
    assert Referral.objects.count() == 2 and Person.objects.count() == 2
    referral_import.refresh_from_db()
    assert referral_import.status == ImportStatus.IMPORTED and not referral_import.file
    assert not list(media.rglob("*.csv"))
    assert referral_import.created_by == coordinator_client.user
    assert Referral.objects.filter(imported_by=coordinator_client.user).count() == 2


def test_a_bad_file_is_rejected_with_its_lines_and_deleted(coordinator_client, media,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(coordinator_client, csv_bytes(row(), row(external_reference="OLD-0002",
                                                               received_on="2023-13-01")))
    page = text(response)
    assert "Correct the rows and upload the file again" in page
    assert "Line 3: The date received is not a real date" in page
    assert ReferralImport.objects.get().status == ImportStatus.REJECTED
    assert not list(media.rglob("*.csv"))
    assert not Referral.objects.exists()


def test_progress_refreshes_the_page_while_checking(coordinator_client):
    running = ReferralImport.objects.create(file_name="x.csv", status=ImportStatus.CHECKING, total_rows=4000,
                                            processed_rows=2000, created_by=coordinator_client.user)
    response = coordinator_client.get(reverse("legacy_import:import", kwargs={"pk": running.pk}))
    assert response["Refresh"] == str(views.REFRESH_SECONDS)
    assert "Checked 2,000 of 4,000 rows" in text(response)


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "earlier.csv", "The selected file is empty"),
    (b"PK\x03\x04" + b"\x00" * 100, "earlier.csv", "spreadsheet workbook, not a CSV file"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "earlier.csv", "The selected file must be a CSV file"),
])
def test_files_that_are_not_csv_are_refused_on_the_form(coordinator_client, data, name, message):
    response = upload(coordinator_client, data, name=name)
    assert message in text(response)
    assert not ReferralImport.objects.exists()


def test_a_huge_file_is_refused_without_being_kept(coordinator_client, monkeypatch, media):
    monkeypatch.setattr(imports, "MAX_BYTES", 1000)
    response = upload(coordinator_client, csv_bytes(*[row(external_reference=f"R{n}") for n in range(50)]))
    assert "The selected file must be smaller than" in text(response)
    assert not ReferralImport.objects.exists() and not list(media.rglob("*.csv"))


def test_path_tricks_in_the_file_name_are_shown_without_folders(coordinator_client, media):
    upload(coordinator_client, csv_bytes(row()), name="../../etc/<b>passwd</b>.csv")
    referral_import = ReferralImport.objects.get()
    assert "/" not in referral_import.file_name and ".." not in referral_import.file_name.split(".csv")[0][:2]
    page = coordinator_client.get(UPLOAD).content.decode()
    assert "<b>passwd" not in page
    for stored in media.rglob("*"):
        assert "passwd" not in stored.name


def test_hostile_html_in_names_is_shown_as_text(coordinator_client):
    upload(coordinator_client, csv_bytes(row(given_name="<script>alert(1)</script>")))
    referral_import = ReferralImport.objects.get()
    coordinator_client.post(reverse("legacy_import:import-start", kwargs={"pk": referral_import.pk}))
    person = Person.objects.get()
    page = coordinator_client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_imported_people_are_offered_to_the_coordinator_as_not_yet_confirmed(coordinator_client):
    upload(coordinator_client, csv_bytes(row()))
    referral_import = ReferralImport.objects.get()
    coordinator_client.post(reverse("legacy_import:import-start", kwargs={"pk": referral_import.pk}))
    referral = Referral.objects.get()
    page = text(coordinator_client.get(reverse("people:identify", kwargs={"reference": referral.reference})))
    assert "imported from the council's earlier records" in page
    assert "nobody has confirmed yet" in page


@pytest.mark.parametrize("role", [Role.POLICE_PRACTITIONER, Role.TRAINING_ADMINISTRATOR, Role.AUDITOR,
                                  Role.CHANNEL_CHAIR])
def test_other_roles_are_refused(staff_client, role):
    client = staff_client(role)
    made = ReferralImport.objects.create(file_name="x.csv", status=ImportStatus.CHECKED)
    for url in (UPLOAD, reverse("legacy_import:example"),
                reverse("legacy_import:import", kwargs={"pk": made.pk})):
        assert client.get(url).status_code == 403
    assert upload(client, csv_bytes(row()), follow=False).status_code == 403
    assert client.post(reverse("legacy_import:import-start", kwargs={"pk": made.pk})).status_code == 403
    assert not Referral.objects.exists()


def test_abandoned_files_are_deleted_after_a_day(coordinator_client, media,
                                                 django_capture_on_commit_callbacks):
    from prevent_hub.core.scheduler import scheduled
    from prevent_hub.legacy_import import tasks

    upload(coordinator_client, csv_bytes(row()))
    assert list(media.rglob("*.csv"))
    assert imports.referral_import_files_expire() == 0
    later = ReferralImport.objects.get().created_at + datetime.timedelta(days=1, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.referral_import_files_expire(now=later) == 1
    referral_import = ReferralImport.objects.get()
    assert not referral_import.file and not list(media.rglob("*.csv"))
    assert views.status_text(referral_import) == "Not imported: file deleted after a day"
    assert AuditEvent.objects.filter(object_type="legacy_import.referralimport", action="delete").exists()
    assert any(job.task == tasks.referral_import_files_expire for job in scheduled())
