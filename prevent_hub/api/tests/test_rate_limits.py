"""The partner API's rate limits: per token and per client address, each
answered with 429 problem+json and Retry-After; refused tokens are audited
with flood control."""

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import bearer, issue_token, referral_body

pytestmark = pytest.mark.django_db


def read(client, plaintext, reference, address="192.0.2.10"):
    return client.get(f"/api/v1/referrals/{reference}", REMOTE_ADDR=address, **bearer(plaintext))


def test_a_token_over_its_hourly_limit_gets_429_with_retry_after(client, settings):
    settings.API_REQUESTS_PER_HOUR_PER_TOKEN = 3
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR],
                               scopes=["referrals:read", "referrals:submit"])
    _, other = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    reference = ReferralFactory().reference
    assert [read(client, plaintext, reference).status_code for _ in range(3)] == [200] * 3
    limited = read(client, plaintext, reference)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["type"] == "urn:prevent-hub:problem:too-many-requests"
    assert 1 <= int(limited["Retry-After"]) <= 3600
    # Nothing is done once limited, and another token is not affected.
    before = Referral.objects.count()
    refused = client.post("/api/v1/referrals", referral_body(), content_type="application/json",
                          **bearer(plaintext))
    assert refused.status_code == 429 and Referral.objects.count() == before
    assert read(client, other, reference).status_code == 200


def test_an_address_over_its_limit_is_refused_before_any_token_is_checked(client, settings):
    settings.API_REQUESTS_PER_HOUR_PER_ADDRESS = 2
    for _ in range(2):
        assert read(client, "ph_not-a-token", "PRV-2000-000001", address="2001:db8:5:6::1").status_code == 401
    # Another address in the same IPv6 /64 shares the allowance.
    limited = read(client, "ph_not-a-token", "PRV-2000-000001", address="2001:db8:5:6::99")
    assert limited.status_code == 429 and "Retry-After" in limited
    assert read(client, "ph_not-a-token", "PRV-2000-000001", address="192.0.2.99").status_code == 401


def test_hammering_unknown_tokens_writes_one_event_a_minute(client):
    for n in range(20):
        assert read(client, f"ph_guess{n:04d}", "PRV-2000-000001").status_code == 401
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
    assert refused.count() <= 2  # the first at once; a second only if a minute turned


def test_a_client_over_its_limit_is_audited_once_a_minute_not_per_request(client, settings):
    settings.API_REQUESTS_PER_HOUR_PER_ADDRESS = 1
    assert read(client, "ph_not-a-token", "PRV-2000-000001").status_code == 401
    assert [read(client, "ph_not-a-token", "PRV-2000-000001").status_code for _ in range(10)] == [429] * 10
    limited = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, details__status=429)
    assert limited.count() <= 2  # the first at once; a second only if a minute turned
    assert limited.first().details["rate_limit"] == "api-address"
    assert limited.first().ip_address == "192.0.2.10"
