"""Every partner API operation × every role, against the access policy.

The API's version of test_url_role_matrix: anonymous calls get 401; a token
holding every scope gets exactly what its account's role allows (403 when
docs/access.md says the role may not take the operation's action, and never
a server error when it may). An operation with a path parameter needs an
entry in SAMPLE_KWARGS, one with a required query SAMPLE_QUERIES, and one with a body an
entry in SAMPLE_BODIES.
"""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from prevent_hub.access.policy import ANY_SIGNED_IN_USER, ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.api.api import NAMESPACE, api
from prevent_hub.api.auth import body_schema, requirement_of
from prevent_hub.api.tests.factories import bearer, issue_token, referral_body
from prevent_hub.channel.tests.factories_trays import case_visible_to
from prevent_hub.complaints.tests.factories import complaint_received, matrix_complaint
from prevent_hub.panels.tests.factories import PanelMeetingFactory, meeting_visible_to
from prevent_hub.referrals.models import ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.venues.tests.factories import booking_visible_to_anyone

# url name → function(requesting user) → path kwargs for a record that user
# may see (object rules are tested with each capability; here, the roles).
SAMPLE_KWARGS = {
    "referral-detail": lambda user: {"reference": ReferralFactory(
        police_shared_at=timezone.now(), status=ReferralStatus.AWAITING_GATEWAY).reference},
    "case-detail": lambda user: {"case_id": case_visible_to(user).pk},
    "venue-booking-detail": lambda user: {"reference": booking_visible_to_anyone().reference},
    "complaint-detail": lambda user: {
        "reference": (matrix_complaint(user) if user else complaint_received()).reference},
    "panel-meeting-detail": lambda user: {
        "meeting_id": (meeting_visible_to(user) if user else PanelMeetingFactory()).pk},
}
# url name → the query an operation needs (a required parameter)
SAMPLE_QUERIES = {
    "statistics-year": "year=2023",
}
# url name → function() → a valid JSON body
SAMPLE_BODIES = {
    "referral-submit": referral_body,
}

OPERATIONS = list(api.operations())
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


def call(client, method, path, operation, user, **headers):
    name = getattr(operation, "url_name", None) or operation.view_func.__name__
    if "{" in path:
        assert name in SAMPLE_KWARGS, f"add sample kwargs for {name} to SAMPLE_KWARGS"
        url = reverse(f"{NAMESPACE}:{name}", kwargs=SAMPLE_KWARGS[name](user))
    else:
        url = path
    if name in SAMPLE_QUERIES:
        url = f"{url}?{SAMPLE_QUERIES[name]}"
    kwargs = {}
    if body_schema(operation) is not None:
        assert name in SAMPLE_BODIES, f"add a sample body for {name} to SAMPLE_BODIES"
        kwargs = {"data": json.dumps(SAMPLE_BODIES[name]()), "content_type": "application/json"}
    return client.generic(method, url, **kwargs, **headers)


# URLs under /api/ that are not operations: the OpenAPI document is public;
# the API root and anything unknown are problem+json 404s.
PUBLIC = {"openapi-json": 200}
NOT_FOUND = {"api-root", None}


def api_routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from api_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).lstrip("^").startswith("api"):
            yield prefix + str(entry.pattern), entry.name


ROUTES = list(api_routes())


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[route for route, _ in ROUTES])
def test_every_url_under_api_is_an_operation_or_accounted_for(client, route, name):
    route = re.sub(r"<int:[^>]+>", "1", route)
    url = "/" + re.sub(r"<[^>]+>", "PRV-2026-000001", route).lstrip("^").rstrip("$").replace("(?:/.*)?", "/x")
    operations = [op for _, _, op in OPERATIONS if getattr(op, "url_name", op.view_func.__name__) == name]
    if name in PUBLIC:
        assert client.get(url).status_code == PUBLIC[name]
    elif name in NOT_FOUND:
        assert client.get(url).status_code == 404
    else:
        assert operations, f"{route} ({name}) is neither an API operation nor listed here"
        for operation in operations:
            for method in operation.methods:
                assert client.generic(method, url).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_anonymous_calls_get_401(client, method, path, operation):
    response = call(client, method, path, operation, user=None)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_role_gets_what_the_matrix_says(client, role, method, path, operation):
    token, plaintext = issue_token(roles=[role])  # every scope
    action = requirement_of(operation).action
    allowed = action in ANY_SIGNED_IN_USER or role in ROLE_MATRIX[action]
    response = call(client, method, path, operation, token.user, **bearer(plaintext))
    if allowed:
        assert 200 <= response.status_code < 300, f"{role} should reach {method} {path}: {response.content}"
    else:
        assert response.status_code == 403, f"{role} should be refused {method} {path}"
