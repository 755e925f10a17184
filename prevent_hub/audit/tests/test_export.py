"""CSV export of an audit search."""

import csv
import io

import pytest
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent

from .helpers import write_events

pytestmark = pytest.mark.django_db
EXPORT = reverse("audit:export")


def read_csv(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_streams_the_search_as_csv_and_is_audited(staff_client):
    auditor = staff_client(Role.AUDITOR)
    alice = UserFactory(email="alice@council.example")
    write_events(3, user=alice, object_type="accounts.user", object_id="77",
                 action=AuditAction.UPDATE, changed_fields=["email", "full_name"])
    write_events(2, object_type="accounts.user", object_id="78")
    response = auditor.get(EXPORT, {"object_type": "accounts.user", "object_id": "77"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-events-')
    assert response["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    assert rows[0][:5] == ["Sequence", "When (UK time)", "Who", "Organisation", "Action"]
    assert len(rows) == 4
    assert {row[2] for row in rows[1:]} == {"alice@council.example"}
    assert {row[7] for row in rows[1:]} == {"email full_name"}
    assert {row[4] for row in rows[1:]} == {"Updated"}

    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.details == {"record_type": "accounts.user", "record_id": "77"}
    assert export.actor == auditor.user
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_export_defuses_spreadsheet_formulas(staff_client):
    auditor = staff_client(Role.AUDITOR)
    UserFactory(email="=cmd@evil.example")
    write_events(1, object_type="accounts.user", object_id="-2+3",
                 details={"note": "@SUM(A1)"})
    rows = read_csv(auditor.get(EXPORT, {"action": "view"}))
    record_ids = [row[6] for row in rows[1:]]
    assert record_ids == ["'-2+3"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_export_of_a_search_with_errors_goes_back_to_the_search(staff_client):
    auditor = staff_client(Role.AUDITOR)
    response = auditor.get(EXPORT, {"object_id": "5"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:search") + "?")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_search_page_links_to_the_export_of_the_same_search(staff_client):
    auditor = staff_client(Role.AUDITOR)
    write_events(2, object_type="accounts.user", object_id="31")
    response = auditor.get(reverse("audit:search"), {"object_type": "accounts.user", "object_id": "31"})
    assert response.context["export_url"].startswith(EXPORT + "?")
    assert "object_id=31" in response.context["export_url"]
    rows = read_csv(auditor.get(response.context["export_url"]))
    assert [row[6] for row in rows[1:]] == ["31", "31"]


def test_export_streams_rather_than_loading_everything(staff_client):
    auditor = staff_client(Role.AUDITOR)
    write_events(30)
    response = auditor.get(EXPORT, {"user": ""})
    content = response.streaming_content
    first = next(content)
    assert first == "\ufeff".encode()
    rest = b"".join(content)
    # The header, the sign-in, 30 events and the export itself.
    assert rest.count(b"\r\n") == 1 + 1 + 30 + 1
