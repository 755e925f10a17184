"""Reads recorded during a request are written as the response leaves, in the
session's transaction, and a response never leaves without them."""

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path

from prevent_hub.access import Action, requires
from prevent_hub.access.roles import Role
from prevent_hub.accounts.middleware import SessionMiddleware
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit import services
from prevent_hub.audit.context import acting_as
from prevent_hub.audit.models import AuditAction, AuditEvent


@requires(Action.STAFF_HOME)
def record_page(request):
    services.audit_view(request.user)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists(), (
        "the event waits for the response"
    )
    return HttpResponse("the record")


urlpatterns = [path("staff/test-record/", record_page), path("", include("config.urls"))]

# Transactional: inside a test-wide transaction every read would be written at once.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


def test_a_record_page_writes_exactly_one_view_event(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    response = client.get("/staff/test-record/")
    assert response.content == b"the record"
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert event.actor == client.user
    assert event.object_type == "accounts.user"
    assert event.object_id == str(client.user.pk)
    assert event.path == "/staff/test-record/"
    assert event.request_id == response["X-Request-ID"]


def test_no_response_leaves_without_its_audit_event(staff_client, monkeypatch):
    client = staff_client(Role.PREVENT_COORDINATOR)

    def database_refuses(cursor, event):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "_insert", database_refuses)
    client.raise_request_exception = False
    response = client.get("/staff/test-record/")
    assert response.status_code >= 400
    assert b"the record" not in response.content
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_reads_are_written_even_when_there_is_no_session_to_save():
    staff = UserFactory()
    request = RequestFactory().get("/")
    with acting_as(staff):
        request.audit_pending = [services._event(
            action=AuditAction.VIEW, obj=staff, object_type="", object_id="")]
    SessionMiddleware(lambda r: HttpResponse()).process_response(request, HttpResponse("ok"))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=staff).count() == 1
    assert request.audit_pending == []


def test_outside_a_request_reads_are_written_at_once():
    user = UserFactory()
    with acting_as(user):
        services.audit_view(user)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=user).count() == 1


def test_inside_a_transaction_reads_join_it():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.audit_view(user)
        raise RuntimeError("the whole action fails")
    assert not AuditEvent.objects.exists()
