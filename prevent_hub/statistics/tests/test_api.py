"""GET /api/v1/statistics?year=2023: a year's statistics for tokens with the
statistics:read scope, the same figures as the selector (and so the pages),
suppressed, audited, and every bad year refused with a clear problem."""

import datetime

import pytest
from django.test import Client

from prevent_hub.access import Action
from prevent_hub.access.policy import ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.api.routers.statistics import as_api
from prevent_hub.api.tests.factories import bearer, issue_token
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.statistics.selectors import year_statistics

from .factories_year import GIVEN, adopted, coordinator, decided, referral, uk_time

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics"
REQUIRED = {"year", "referrals", "discussed_at_panel", "adopted", "by_sector", "by_age_band", "by_gender",
            "by_concern", "by_outcome", "by_consent", "by_ethnicity"}


def _get(token, **params):
    return Client().get(URL, params, **bearer(token))


@pytest.fixture
def token():
    return issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["statistics:read"])[1]


@pytest.fixture
def year_2023():
    """33 referrals in 2023/24: 30 from schools, 2 from the police, 1 from
    health that was adopted."""
    for n in range(30):
        decided(uk_time(2023, 5, 1 + n % 28), decided_on=datetime.date(2023, 6, 1), sector="education",
                reported_gender="male", concern_type="islamist")
    referral(uk_time(2023, 11, 2), sector="police", reported_gender="female")
    referral(uk_time(2024, 1, 2), sector="police", reported_gender="female")
    adopted(uk_time(2023, 5, 2), consents=[GIVEN], sector="health", reported_gender="male")


def test_a_years_statistics_with_small_numbers_hidden(token, year_2023):
    response = _get(token, year=2023)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= REQUIRED
    assert body["year"] == "2023/24"
    assert (body["referrals"], body["discussed_at_panel"], body["adopted"]) == (33, "*", "*")
    assert body["by_sector"] == {"education": 30, "police": "*", "local_authority": 0, "health": "*",
                                 "community": 0, "friends_and_family": 0, "prisons": 0, "probation": 0,
                                 "other": 0, "not_recorded": 0}
    assert body["by_gender"]["female"] == "*"
    assert set(body["by_consent"]) == {"given", "refused", "withdrawn", "not_sought"}
    assert set(body["by_consent"].values()) == {"*"}
    # 31, 0, 1 and 1: the two 1s would be given away by 33 - 31, and hiding
    # 31 as well leaves every referral's quarter hidden, so all are.
    assert body["quarters"] == {"q1": "*", "q2": "*", "q3": "*", "q4": "*"}
    assert body["suppress_up_to"] == 4
    # Received 1 to 28 May (the 29th on the 1st again), decided 1 June; and one on the day.
    assert body["durations"]["to_gateway_outcome"] == {"counted": 31, "median_days": 18, "p90_days": 30}
    assert body["durations"]["to_panel"] == {"counted": "*", "median_days": "*", "p90_days": "*"}
    # Nothing names anyone.
    assert "Testperson" not in response.content.decode()


def test_the_api_shows_exactly_the_selectors_figures(token, year_2023):
    expected = as_api(year_statistics(year=2023, user=coordinator()))
    assert _get(token, year=2023).json() == expected
    for key in ("by_sector", "by_age_band", "by_gender", "by_concern", "by_outcome", "by_consent",
                "by_ethnicity", "by_mental_health", "cases_by_concern", "quarters"):
        assert all(value == "*" or (isinstance(value, int) and (value == 0 or value > 4))
                   for value in expected[key].values()), key


def test_every_read_is_audited_without_personal_data(token, year_2023):
    _get(token, year=2023)
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="statistics.year")
    assert event.object_id == "2023"
    assert {key: event.details[key] for key in ("list", "year", "via")} == {
        "list": "Prevent statistics", "year": "2023/24", "via": "api"}


def test_a_token_without_the_statistics_scope_is_refused():
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    response = _get(token, year=2023)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "referrals" not in response.json()


@pytest.mark.parametrize("role", sorted(set(Role) - ROLE_MATRIX[Action.STATISTICS_VIEW]))
def test_an_account_that_may_not_see_statistics_is_refused(role):
    _, token = issue_token(roles=[role], scopes=["statistics:read"])
    response = _get(token, year=2023)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="statistics.year").exists()


@pytest.mark.parametrize("role", sorted(ROLE_MATRIX[Action.STATISTICS_VIEW]))
def test_every_role_that_may_see_statistics_reads_them(role, year_2023):
    _, token = issue_token(roles=[role], scopes=["statistics:read"])
    assert _get(token, year=2023).json()["referrals"] == 33


def test_no_token_no_statistics():
    response = Client().get(URL, {"year": 2023})
    assert response.status_code == 401


# Bad years ------------------------------------------------------------------------------


def _problem(response):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    return {error.get("parameter"): error["detail"] for error in body["errors"]}


def test_the_year_is_required(token):
    assert _problem(Client().get(URL, **bearer(token))) == {"year": "This field is required"}


@pytest.mark.parametrize("value", ["", "twenty", "2023.5", "2023/24", "2023-04-01", "0x7e7", "1e3",
                                   "2023; DROP TABLE referrals_referral", "<script>alert(1)</script>",
                                   "' OR 1=1 --", "null", "[2023]", "\u0662\u0660\u0662\u0663"])
def test_a_year_that_is_not_a_whole_number_is_refused(token, value):
    errors = _problem(_get(token, year=value))
    assert errors == {"year": "Must be a whole number"}


@pytest.mark.parametrize(("value", "message"), [
    ("1999", "Must be 2000 or more"), ("-2023", "Must be 2000 or more"), ("0", "Must be 2000 or more"),
    ("10000", "Must be 2100 or less"), ("2101", "Must be 2100 or less"),
    ("99999999999999999999999", "Must be 2100 or less"), ("9" * 5000, "Is too large a number"),
])
def test_a_year_out_of_range_is_refused(token, value, message):
    assert _problem(_get(token, year=value)) == {"year": message}


def test_a_later_year_than_this_one_is_empty_not_an_error(token):
    body = _get(token, year=2100).json()
    assert (body["year"], body["referrals"]) == ("2100/01", 0)


def test_unknown_parameters_are_refused(token):
    errors = _problem(_get(token, year=2023, sector="education"))
    assert errors == {"sector": "This parameter is not part of the API: remove it"}


def test_the_year_given_twice_is_refused(token):
    response = Client().get(f"{URL}?year=2023&year=2024", **bearer(token))
    assert _problem(response) == {"year": "Give one year"}


def test_nothing_is_audited_for_a_refused_request(token):
    _get(token, year="nonsense")
    assert not AuditEvent.objects.filter(object_type="statistics.year").exists()


def test_the_openapi_document_describes_the_statistics(token):
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/statistics"]["get"]
    (parameter,) = operation["parameters"]
    assert (parameter["name"], parameter["required"], parameter["schema"]["minimum"],
            parameter["schema"]["maximum"]) == ("year", True, 2000, 2100)
    schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) >= REQUIRED
