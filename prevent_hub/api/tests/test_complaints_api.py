import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.complaints import services
from prevent_hub.complaints.tests.factories import (
    complaint_investigating,
    complaint_received,
    complaint_responded,
    investigator,
    officer,
)

from .factories import bearer, issue_token

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints"


def _get(token, path):
    return Client().get(path, **bearer(token))


def test_a_complaint_reads_with_its_deadlines_outcome_and_sharing_but_nothing_about_the_complainant():
    complaint = complaint_responded()
    services.consent_record(complaint=complaint, recipient="stacu", consent="given",
                            given_on=timezone.localdate(), acting_user=complaint.owner)
    services.complaint_share_with_stacu(complaint=complaint, method="Online form",
                                        shared_on=timezone.localdate(), acting_user=complaint.owner)
    _, token = issue_token(roles=[Role.COMPLAINTS_OFFICER], scopes=["complaints:read"])
    response = _get(token, f"{LIST}/{complaint.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == complaint.reference
    assert (body["status"], body["scope"], body["outcome"]) == ("responded", "application_of_duty_by_us",
                                                                "partly_upheld")
    assert body["received_on"] == complaint.received_on.isoformat()
    assert body["acknowledge_by"] == complaint.acknowledge_by.isoformat()
    assert body["respond_by"] == complaint.respond_by.isoformat()
    assert body["responded_on"] == timezone.localdate().isoformat()
    assert body["extended_to"] is None
    today = timezone.localdate().isoformat()
    assert body["shared_with"]["stacu"] == {"consent": "given", "consent_given_on": today, "shared_on": today}
    assert body["shared_with"]["organisation"]["shared_on"] is None
    text = response.content.decode()
    for personal in ("Pat Example-Parent", "pat.parent@example.org", "Sam Example-Child", "without speaking",
                     "apology", "Testford Example Academy"):
        assert personal not in text
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="complaints.complaint",
                                     object_id=str(complaint.pk)).exists()


def test_the_list_pages_newest_first_in_a_fixed_number_of_queries():
    first = complaint_received()
    second = complaint_received()
    _, token = issue_token(roles=[Role.COMPLAINTS_OFFICER], scopes=["complaints:read"])
    body = _get(token, f"{LIST}?limit=1").json()
    assert (body["count"], [c["reference"] for c in body["results"]]) == (2, [second.reference])
    assert body["results"][0]["scope"] is None and body["results"][0]["outcome"] is None

    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            assert _get(token, f"{LIST}?limit=100").status_code == 200
        return len(queries)

    few = queries_for_list()
    for _ in range(5):
        complaint_investigating()
    assert queries_for_list() == few
    assert first.reference in _get(token, f"{LIST}?limit=100").content.decode()


def test_an_investigating_officer_reads_only_the_complaints_they_investigate():
    theirs_by = investigator()
    theirs = complaint_investigating(investigated_by=theirs_by)
    other = complaint_investigating()
    _, token = issue_token(user=theirs_by, scopes=["complaints:read"])
    body = _get(token, LIST).json()
    assert [c["reference"] for c in body["results"]] == [theirs.reference]
    assert _get(token, f"{LIST}/{other.reference}").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, object_type="complaints.complaint",
                                     object_id=str(other.pk)).exists()


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.VENUE_BOOKING_OFFICER, Role.AUDITOR])
def test_roles_without_complaints_are_refused(role):
    complaint_received()
    _, token = issue_token(roles=[role], scopes=["complaints:read"])
    assert _get(token, LIST).status_code == 403


def test_a_token_without_the_scope_is_refused():
    _, token = issue_token(roles=[Role.COMPLAINTS_OFFICER], scopes=["venues:read"])
    assert _get(token, LIST).status_code == 403


@pytest.mark.parametrize("reference", ["CMP-2026-999999", "x" * 500, "CMP' OR 1=1 --", "../../etc/passwd"])
def test_a_reference_that_names_nothing_is_a_404(reference):
    _, token = issue_token(roles=[Role.COMPLAINTS_OFFICER], scopes=["complaints:read"])
    assert _get(token, f"{LIST}/{reference}").status_code == 404


def test_an_unknown_parameter_is_refused_with_its_name():
    _, token = issue_token(user=officer(), scopes=["complaints:read"])
    response = _get(token, f"{LIST}?status=open")
    assert response.status_code == 422
    assert "status" in response.content.decode()
