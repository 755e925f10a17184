"""GET /api/v1/training/compliance: per organisation, its learners and how
many are in date, due soon, overdue or never trained, for tokens with the
training:read scope, scoped like the compliance page and audited."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.api.api import api
from prevent_hub.api.tests.factories import bearer, issue_token
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.training import selectors, services

from .factories import administrator, completed, learner

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/training/compliance"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _get(token, path=URL):
    return Client().get(path, **bearer(token))


@pytest.fixture
def world():
    admin = administrator()
    academy = OrganisationFactory(name="Fictional Example Academy (demo)")
    primary = OrganisationFactory(name="Benchford Fictional Primary (demo)")
    for on in (D(2026, 1, 5), D(2024, 7, 1), D(2024, 1, 10), None):
        person = learner(acting_user=admin, organisation=academy, full_name="Ann Example-Teacher")
        if on:
            completed(person, "prevent-awareness", on, acting_user=admin)
    leaver = learner(acting_user=admin, organisation=academy)
    services.learner_left(learner=leaver, left_on=D(2026, 1, 1), acting_user=admin)
    completed(learner(acting_user=admin, organisation=primary), "prevent-awareness", D(2025, 5, 1),
              acting_user=admin)
    return {"admin": admin, "academy": academy, "primary": primary}


ACADEMY = {"organisation": "Fictional Example Academy (demo)", "learners": 4, "in_date": 1, "due_soon": 1,
           "overdue": 1, "never_trained": 1}
PRIMARY = {"organisation": "Benchford Fictional Primary (demo)", "learners": 1, "in_date": 1, "due_soon": 0,
           "overdue": 0, "never_trained": 0}


def test_an_administrators_token_reads_every_organisation(world):
    _, token = issue_token(roles=[Role.TRAINING_ADMINISTRATOR], scopes=["training:read"])
    response = _get(token)
    assert response.status_code == 200
    assert response.json() == [PRIMARY, ACADEMY]
    assert "Ann Example" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, object_type="training.learner")
    assert (event.details["via"], event.details["rows"]) == ("api", 2)


def test_the_counts_are_the_compliance_pages(world):
    _, token = issue_token(roles=[Role.TRAINING_ADMINISTRATOR], scopes=["training:read"])
    rows = selectors.compliance(selectors.learners_visible(user=world["admin"]), by="organisation",
                                today=D(2026, 6, 15))
    assert _get(token).json() == [row.as_api() for row in rows]


def test_a_training_leads_token_reads_their_own_organisation_only(world):
    lead = UserFactory(roles=[Role.TRAINING_LEAD], organisation=world["primary"])
    _, token = issue_token(user=lead, scopes=["training:read"])
    assert _get(token).json() == [PRIMARY]


def test_a_lead_of_an_organisation_without_learners_reads_an_empty_list(world):
    lead = UserFactory(roles=[Role.TRAINING_LEAD], organisation=OrganisationFactory())
    _, token = issue_token(user=lead, scopes=["training:read"])
    response = _get(token)
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.AUDITOR, Role.COMPLAINTS_OFFICER])
def test_roles_without_training_are_refused(world, role):
    _, token = issue_token(roles=[role], scopes=["training:read"])
    response = _get(token)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_token_without_the_scope_is_refused(world):
    _, token = issue_token(roles=[Role.TRAINING_ADMINISTRATOR], scopes=["complaints:read"])
    assert _get(token).status_code == 403


def test_no_token_is_a_401():
    response = Client().get(URL)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize("query", ["?organisation=1", "?limit=10", "?by=<script>alert(1)</script>"])
def test_a_parameter_the_api_does_not_have_is_refused_with_its_name(world, query):
    _, token = issue_token(roles=[Role.TRAINING_ADMINISTRATOR], scopes=["training:read"])
    response = _get(token, URL + query)
    assert response.status_code == 422
    name = query[1:].split("=")[0]
    assert response.json()["errors"][0]["parameter"] == name
    assert "<script>" not in response.content.decode()


def test_the_answer_reads_the_same_queries_however_many_learners(world):
    _, token = issue_token(roles=[Role.TRAINING_ADMINISTRATOR], scopes=["training:read"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert _get(token).status_code == 200
        return len(captured)

    queries()  # the token's first use is recorded once
    few = queries()
    admin = world["admin"]
    for _ in range(8):
        completed(learner(acting_user=admin), "channel-awareness", D(2025, 2, 1), acting_user=admin)
    assert queries() == few


def test_the_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["get"]
    assert "training:read" in operation["description"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert [op for _method, path, op in api.operations() if path == URL]
