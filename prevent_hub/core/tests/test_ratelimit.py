"""Per-address counts for rate limits, kept in the database."""

import pytest
from django.test import RequestFactory

from prevent_hub.access.roles import Role
from prevent_hub.accounts.middleware import staff_is_verified
from prevent_hub.core.models import RateLimitCount
from prevent_hub.core.network import rate_limit_address
from prevent_hub.core.ratelimit import (
    WINDOW_SECONDS,
    limited_message,
    ratelimit_count,
    ratelimit_counts_purge,
    ratelimit_hit,
)

pytestmark = pytest.mark.django_db

HOUR = 1_800_000 * WINDOW_SECONDS  # the start of some hour


def request_from(address, user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


def test_counts_are_per_purpose_address_and_hour():
    assert ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR)[0] == 1
    assert ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR + 10)[0] == 2
    assert ratelimit_count(purpose="b", address="192.0.2.1", now=HOUR + 20)[0] == 1
    assert ratelimit_count(purpose="a", address="192.0.2.2", now=HOUR + 30)[0] == 1
    assert ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR + WINDOW_SECONDS)[0] == 1


def test_the_address_is_not_stored():
    ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR)
    row = RateLimitCount.objects.get()
    assert "192.0.2.1" not in row.key and len(row.key) == 64


def test_a_request_over_the_limit_is_told_how_many_minutes_to_wait(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    now = HOUR + 45 * 60 + 30  # 14½ minutes left in the hour
    request = request_from("198.51.100.7")
    assert ratelimit_hit(request, purpose="submit", now=now) is None
    assert ratelimit_hit(request, purpose="submit", now=now) is None
    assert ratelimit_hit(request, purpose="submit", now=now) == 15
    assert ratelimit_hit(request_from("198.51.100.8"), purpose="submit", now=now) is None
    assert ratelimit_hit(request, purpose="submit", now=HOUR + WINDOW_SECONDS) is None


def test_the_client_address_comes_from_the_trusted_proxy(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    from django.contrib.auth.models import AnonymousUser

    first.user = second.user = AnonymousUser()
    assert ratelimit_hit(first, purpose="p", now=HOUR) is None
    assert ratelimit_hit(second, purpose="p", now=HOUR) is None  # a different client behind the proxy
    assert ratelimit_hit(first, purpose="p", now=HOUR) is not None


def test_signed_in_staff_with_a_second_factor_are_not_limited(settings, staff_client):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 0
    client = staff_client(Role.PREVENT_COORDINATOR)
    user = client.user
    user.is_verified = lambda: True
    assert ratelimit_hit(request_from("192.0.2.9", user), purpose="p",
                         exempt=staff_is_verified(user)) is None
    user.is_verified = lambda: False
    assert ratelimit_hit(request_from("192.0.2.9", user), purpose="p",
                         exempt=staff_is_verified(user)) is not None


def test_past_hours_are_purged():
    ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR - 10)
    ratelimit_count(purpose="a", address="192.0.2.1", now=HOUR + 10)
    assert ratelimit_counts_purge(now=HOUR + 20) == 1
    assert RateLimitCount.objects.get().window == HOUR // WINDOW_SECONDS


def test_the_message_says_what_to_do():
    assert limited_message(1) == (
        "You have sent a lot of forms from this network in the last hour. Wait 1 minute and try again. "
        "What you typed has been kept.")
    assert "Wait 12 minutes" in limited_message(12)


def test_an_ipv6_64_counts_as_one_address(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    # Three addresses in one /64 (one household's allocation) share a limit...
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"):
        assert ratelimit_hit(request_from(address), purpose="p", now=HOUR) is None
    assert ratelimit_hit(request_from("2001:db8:1:2:abcd::1"), purpose="p", now=HOUR) is not None
    # ...another /64 has its own, and an IPv4-mapped address counts as its IPv4 one.
    assert ratelimit_hit(request_from("2001:db8:1:3::1"), purpose="p", now=HOUR) is None
    assert rate_limit_address("::ffff:192.0.2.7") == "192.0.2.7"
    assert rate_limit_address("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert rate_limit_address("192.0.2.7") == "192.0.2.7"


def test_reaching_the_limit_is_audited_about_once_a_minute(settings, monkeypatch):
    from prevent_hub.audit import services
    from prevent_hub.audit.models import AuditAction, AuditEvent

    monkeypatch.setattr(services.time, "time", lambda: HOUR + 30)
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    request = request_from("198.51.100.7")
    assert ratelimit_hit(request, purpose="complaint-submit", now=HOUR) is None
    assert not AuditEvent.objects.exists()
    for _ in range(30):
        assert ratelimit_hit(request, purpose="complaint-submit", now=HOUR) is not None
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
    assert refused.get().details == {"status": 429, "rate_limit": "complaint-submit"}
    # The 29 refused after the first that minute become one event when it is over.
    assert services.audit_refusal_tallies_write(now=HOUR + 90) == 1
    assert refused.order_by("sequence").last().details["refusals_counted"] == 29
