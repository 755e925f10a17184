"""GET /api/v1/cases and GET /api/v1/cases/{id}."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import (
    CaseStatus,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
    Review,
    ReviewKind,
)
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.channel.tests.factories_trays import case_visible_to

from .factories import bearer, issue_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
PROBLEM = "application/problem+json"


def consent(case, answer="", withdrawn=False):
    return Consent.objects.create(
        case=case, giver=ConsentGiver.PERSON, giver_name="Testina Example", asked_by=case.opened_by,
        method=ConsentMethod.IN_PERSON, asked_on=timezone.localdate(), answer=answer,
        answered_on=timezone.localdate() if answer else None,
        withdrawn_on=timezone.localdate() if withdrawn else None,
        recorded_by=case.opened_by, recorded_at=timezone.now(),
    )


def exited_case():
    exit_date = datetime.date(2026, 1, 15)
    case = ChannelCaseFactory(
        status=CaseStatus.EXITED, adopted_on=datetime.date(2025, 6, 1),
        support_started_on=datetime.date(2025, 7, 1), exit_date=exit_date,
        exit_reasons="Fictional: the panel found the support had worked.",
        retain_until=datetime.date(2032, 1, 15),
    )
    consent(case, ConsentAnswer.GIVEN)
    Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=12,
                          due_date=datetime.date(2027, 1, 15))
    Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=6,
                          due_date=datetime.date(2026, 7, 15), completed_on=datetime.date(2026, 7, 10))
    Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=datetime.date(2025, 9, 1))
    return case


def test_a_case_reads_with_its_dates_consent_and_post_exit_reviews(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    case = exited_case()

    response = client.get(f"{URL}/{case.pk}", **bearer(token))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "id": case.pk,
        "reference": case.reference,
        "status": "exited",
        "person_id": case.person_id,
        "referral_reference": case.referral.reference,
        "opened_at": body["opened_at"],
        "key_dates": {"adopted_on": "2025-06-01", "support_started_on": "2025-07-01",
                      "exit_date": "2026-01-15", "closed_at": None, "reassessment_date": None,
                      "retain_until": "2032-01-15"},
        "consent_status": "given",
        "next_review_date": None,
        "post_exit_reviews": [
            {"due_date": "2026-07-15", "months_after_exit": 6, "completed_on": "2026-07-10"},
            {"due_date": "2027-01-15", "months_after_exit": 12, "completed_on": None},
        ],
    }
    assert "Fictional" not in response.content.decode()  # no narrative
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("sequence")
    assert (event.object_type, event.object_id) == ("channel.channelcase", str(case.pk))
    assert event.details.get("api_token")


@pytest.mark.parametrize(("answer", "withdrawn", "expected"), [
    (None, False, "not asked"), ("", False, "sought"), (ConsentAnswer.REFUSED, False, "refused"),
    (ConsentAnswer.GIVEN, True, "withdrawn"),
])
def test_consent_status_says_where_consent_stands(client, answer, withdrawn, expected):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    case = ChannelCaseFactory(status=CaseStatus.ADOPTED)
    if answer is not None:
        consent(case, answer, withdrawn)
    assert client.get(f"{URL}/{case.pk}", **bearer(token)).json()["consent_status"] == expected


def test_the_list_is_newest_first_and_paginated(client):
    _, token = issue_token(roles=[Role.CHANNEL_CHAIR], scopes=["cases:read"])
    now = timezone.now()
    cases = [ChannelCaseFactory(opened_at=now - datetime.timedelta(days=n)) for n in range(5)]

    first = client.get(URL, {"limit": 2}, **bearer(token)).json()
    second = client.get(URL, {"limit": 2, "offset": 2}, **bearer(token)).json()
    beyond = client.get(URL, {"offset": 50}, **bearer(token)).json()

    assert first["count"] == 5 and (first["limit"], first["offset"]) == (2, 0)
    assert [c["id"] for c in first["results"] + second["results"]] == [c.pk for c in cases[:4]]
    assert beyond["results"] == []
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("sequence")
    assert event.details["list"] == "cases" and event.details["offset"] == 50


def test_the_list_takes_the_same_queries_however_many_cases(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    exited_case()
    client.get(URL, **bearer(token))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, **bearer(token)).status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        exited_case()
    assert count() == few


def test_bad_paging_and_unknown_parameters_are_422(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    for params, parameter in [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": -1}, "offset"),
                              ({"status": "exited"}, "status")]:
        response = client.get(URL, params, **bearer(token))
        assert response.status_code == 422, params
        assert response["Content-Type"] == PROBLEM
        assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_a_panel_member_reads_only_the_cases_whose_team_they_are_on(client):
    token_row, token = issue_token(roles=[Role.PANEL_MEMBER], scopes=["cases:read"])
    mine = case_visible_to(token_row.user)
    other = ChannelCaseFactory()

    listed = client.get(URL, **bearer(token)).json()
    assert [c["id"] for c in listed["results"]] == [mine.pk]
    assert listed["results"][0]["referral_reference"] is None  # they may not see referrals

    refused = client.get(f"{URL}/{other.pk}", **bearer(token))
    assert refused.status_code == 404
    assert refused["Content-Type"] == PROBLEM
    denied = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("sequence")
    assert (denied.object_type, denied.object_id) == ("channel.channelcase", str(other.pk))


def test_a_case_that_does_not_exist_is_the_same_404(client):
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["cases:read"])
    for case_id in (999999, 2**70):
        response = client.get(f"{URL}/{case_id}", **bearer(token))
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert client.get(f"{URL}/not-a-number", **bearer(token)).status_code == 404
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("sequence")
    assert event.details["found"] is False


def test_the_scope_and_the_role_are_both_needed(client):
    _, no_scope = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    _, no_role = issue_token(roles=[Role.AUDITOR], scopes=["cases:read"])
    assert client.get(URL, **bearer(no_scope)).status_code == 403
    assert client.get(URL, **bearer(no_role)).status_code == 403
    assert client.get(URL).status_code == 401
