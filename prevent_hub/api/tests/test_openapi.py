"""The API as a whole: its OpenAPI document, deny by default, problem+json
everywhere."""

import pytest

from prevent_hub.access.policy import Action
from prevent_hub.access.roles import Role
from prevent_hub.api.api import api
from prevent_hub.api.auth import requirement_of
from prevent_hub.api.models import ApiScope
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import bearer, issue_token

PROBLEM = "application/problem+json"
OPERATIONS = list(api.operations())


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS,
                         ids=[f"{method} {path}" for method, path, _ in OPERATIONS])
def test_every_operation_declares_a_scope_and_an_action(method, path, operation):
    requirement = requirement_of(operation)
    assert requirement is not None, f"{method} {path} declares nothing: add @requires(scope, action)"
    assert requirement.scope in ApiScope.values
    assert requirement.action in Action


def test_the_openapi_document_is_public_and_lists_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    listed = {(method.upper(), path) for path, methods in document["paths"].items() for method in methods}
    assert listed == {(method, path) for method, path, _ in OPERATIONS}
    post = document["paths"]["/api/v1/referrals"]["post"]
    assert post["security"] == [{"BearerToken": ["referrals:submit"]}]
    assert set(post["responses"]) == {"200", "201", "401", "403", "409", "413", "415", "422"}
    assert post["responses"]["422"]["content"][PROBLEM]["schema"] == {
        "$ref": "#/components/schemas/ValidationProblem"}
    get = document["paths"]["/api/v1/referrals/{reference}"]["get"]
    assert set(get["responses"]) == {"200", "401", "403", "404"}


def test_the_panel_meeting_operations_need_panels_read_and_list_their_choices(client):
    document = client.get("/api/v1/openapi.json").json()
    listing = document["paths"]["/api/v1/panel-meetings"]["get"]
    detail = document["paths"]["/api/v1/panel-meetings/{meeting_id}"]["get"]
    for operation in (listing, detail):
        assert operation["security"] == [{"BearerToken": ["panels:read"]}]
    assert set(listing["responses"]) == {"200", "401", "403", "422"}
    assert set(detail["responses"]) == {"200", "401", "403", "404"}
    schemas = document["components"]["schemas"]
    assert schemas["MeetingStatus"]["enum"] == ["scheduled", "held", "cancelled"]
    assert schemas["MinutesStatus"]["enum"] == ["draft", "approved"]
    assert schemas["DecisionMethod"]["enum"] == ["consensus", "majority", "chair"]
    assert "not_adopt" in schemas["ItemDecision"]["enum"]
    assert "police" in schemas["OrganisationType"]["enum"]
    item = schemas["AgendaItemOut"]["properties"]
    assert {"$ref": "#/components/schemas/ItemDecision"} in item["decision"]["anyOf"]


def test_there_is_no_interactive_docs_page(client):
    # It would load scripts from a CDN, which our Content Security Policy forbids.
    response = client.get("/api/v1/docs")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/api/v1/referrals"),
    ("delete", "/api/v1/referrals/PRV-2026-000001"),
    ("post", "/api/v1/openapi.json"),
])
def test_wrong_methods_are_405_problems(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response["Allow"]


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/nothing-here", "/api/v2/referrals", "/api"])
def test_unknown_api_urls_are_404_problems(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["instance"] == url


@pytest.mark.django_db
@pytest.mark.urls("prevent_hub.api.tests.urls_undeclared")
def test_an_operation_that_declares_nothing_is_refused(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR, Role.SYSTEM_ADMINISTRATOR])
    assert client.get("/api/test/undeclared").status_code == 401
    response = client.get("/api/test/undeclared", **bearer(plaintext))
    assert response.status_code == 403
    assert "reached" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.details["needed"] == "undeclared"
    assert event.actor == token.user


@pytest.mark.django_db
def test_an_unexpected_error_is_a_500_problem_without_internals(client, monkeypatch):
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR])

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("prevent_hub.api.routers.referrals.referral_get", broken)
    response = client.get("/api/v1/referrals/PRV-2026-000001", **bearer(plaintext))
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert "secret" not in response.content.decode()


@pytest.mark.django_db
def test_invalid_unicode_is_refused_not_a_server_error(client):
    _, plaintext = issue_token()
    body = b'{"referrer": {"name": "\\ud800", "organisation": "Test", "phone": "1"}}'
    response = client.post("/api/v1/referrals", body, content_type="application/json", **bearer(plaintext))
    assert response.status_code == 422
    pointers = [error["pointer"] for error in response.json()["errors"]]
    assert "/referrer/name" in pointers


@pytest.mark.django_db
def test_no_csrf_token_is_needed_with_a_bearer_token():
    from django.test import Client

    from .factories import referral_body

    client = Client(enforce_csrf_checks=True)
    _, plaintext = issue_token()
    response = client.post("/api/v1/referrals", referral_body(), content_type="application/json",
                           **bearer(plaintext))
    assert response.status_code == 201
    assert client.post("/api/nowhere").status_code == 404
