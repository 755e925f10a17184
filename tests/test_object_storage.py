"""Uploads on S3-compatible object storage (django-storages), against a local
S3 server (moto's, started on a free port on loopback): a file attached to a
referral through the public form lands in the bucket and nowhere on disk,
comes back through the staff download page (access-checked and audited, the
bucket itself never linked to), and goes from the bucket when retention
deletes the referral; a training spreadsheet is read back from the bucket by
the background import and deleted from it once imported. Real AWS (IAM, KMS, bucket policies) is not tested
here: docs/deployment.md says so."""

import datetime
import io
import socket

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.records.tests.factories import due_referral
from prevent_hub.referrals.models import Referral, ReferralAttachment
from prevent_hub.referrals.tests.factories import TINY_PDF, ReferralAttachmentFactory
from prevent_hub.referrals.tests.intake_helpers import PRACTITIONER_ANSWERS, fill, page_url, submit
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import policy_in_force
from prevent_hub.training.models import Completion, ImportStatus, TrainingImport
from prevent_hub.training.tests.import_helpers import csv_bytes, row

BUCKET = "prevent-hub-uploads-fictional"
REGION = "eu-west-2"
KEYS = {"aws_access_key_id": "fictional-access-key", "aws_secret_access_key": "fictional-secret-key"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh, private bucket, and uploads configured as config/settings/base.py
    does from the STORAGE_S3_* variables."""
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name=REGION, **KEYS)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": REGION,
                    "access_key": KEYS["aws_access_key_id"], "secret_key": KEYS["aws_secret_access_key"],
                    "location": "", "addressing_style": "path", "default_acl": None, "file_overwrite": False,
                    "object_parameters": {}}}}
    yield s3
    for found in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=found["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys_in(s3) -> list[str]:
    return [found["Key"] for found in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def files_under(path) -> list:
    return [each for each in path.rglob("*") if each.is_file()] if path.exists() else []


@pytest.mark.django_db
def test_an_attachment_is_stored_in_the_bucket_downloaded_through_the_app_and_deleted_by_retention(
        bucket, client, staff_client, settings, django_capture_on_commit_callbacks):
    assert isinstance(storages["default"], S3Storage)

    # A practitioner attaches a PDF to the referral form and sends it.
    fill(client, "referral", PRACTITIONER_ANSWERS)
    client.post(page_url("referral", "attachments"),
                {"action": "upload", "file": SimpleUploadedFile("chronology.pdf", TINY_PDF)})
    submit(client)
    referral = Referral.objects.get()
    attachment = ReferralAttachment.objects.get(referral=referral)
    assert keys_in(bucket) == [attachment.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read() == TINY_PDF
    assert files_under(settings.MEDIA_ROOT) == [], "nothing is written to the app server's disk"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), "no public or all-users grant"

    # The coordinator downloads it through the app: access-checked and audited.
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    response = coordinator.get(reverse("triage:attachment", args=[referral.reference, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Disposition"].startswith('attachment; filename="chronology.pdf"')
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(referral.pk),
                                     actor=coordinator.user).exists()
    assert BUCKET not in response.headers.get("Location", "") + str(response.headers)

    # Once its retention date has passed, a retention run deletes the referral and its file.
    Referral.objects.filter(pk=referral.pk).update(
        status="decided", gateway_outcome="no_further_action", retain_until=datetime.date(2001, 1, 1),
        retention_policy=policy_in_force(RecordType.REFERRAL_CLOSED, datetime.date(2000, 1, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=io.StringIO())
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert keys_in(bucket) == [], "retention deletes the file from the bucket too"


@pytest.mark.django_db
def test_a_spreadsheet_import_reads_its_file_back_from_the_bucket_and_deletes_it_once_imported(
        bucket, staff_client, django_capture_on_commit_callbacks):
    admin = staff_client(Role.TRAINING_ADMINISTRATOR)
    data = csv_bytes(row(), row(name="Sam Sample", email="sam@example.test", course="channel-awareness"))

    # Checking the file is a background task: it reads the upload back from the bucket.
    admin.post(reverse("training:imports"),
               {"file": SimpleUploadedFile("training.csv", data, content_type="text/csv")})
    training_import = TrainingImport.objects.get()
    assert keys_in(bucket) == [training_import.file.name]
    assert training_import.status == ImportStatus.CHECKED, training_import.status

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("training:import-start", kwargs={"pk": training_import.pk}))
    assert Completion.objects.count() == 2
    assert keys_in(bucket) == [], "the spreadsheet (personal data) goes from the bucket once imported"


@pytest.mark.django_db
def test_a_missing_object_is_a_not_found_page_and_an_unreachable_store_never_stops_retention(
        bucket, staff_client, monkeypatch, caplog, django_capture_on_commit_callbacks):
    referral = due_referral()
    attachment = ReferralAttachmentFactory(referral=referral, draft=None)
    assert keys_in(bucket) == [attachment.file.name]
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    bucket.delete_object(Bucket=BUCKET, Key=attachment.file.name)

    response = coordinator.get(reverse("triage:attachment", args=[referral.reference, attachment.pk]))
    assert response.status_code == 404

    def unreachable(self, name):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1/fictional")

    monkeypatch.setattr(S3Storage, "delete", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=io.StringIO())
    assert not Referral.objects.filter(pk=referral.pk).exists(), "the run deletes the records regardless"
    assert "Could not delete a stored file after retention" in caplog.text
