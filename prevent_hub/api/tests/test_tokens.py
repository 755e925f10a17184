"""Bearer tokens: issued once, kept as a hash, refused when revoked or when
their account is deactivated, limited by scope and by the account's roles,
and every use audited."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.api.models import ApiToken
from prevent_hub.api.services import api_token_issue, api_token_revoke
from prevent_hub.audit.context import acting_as
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import bearer, issue_token, referral_body

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def submit(client, token):
    return client.post("/api/v1/referrals", json.dumps(referral_body()),
                       content_type="application/json", **bearer(token))


def read(client, token, reference="PRV-2000-000001", **headers):
    return client.get(f"/api/v1/referrals/{reference}", **(bearer(token) if token else {}), **headers)


def test_only_a_hash_of_the_token_is_kept():
    token, plaintext = issue_token(scopes=["referrals:submit"])
    assert plaintext.startswith("ph_")
    assert len(plaintext) > 40
    assert token.prefix == plaintext[:10]
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert plaintext not in json.dumps(stored, default=str)
    # Issuing is audited, without the token.
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="api.apitoken")
    assert plaintext not in json.dumps(event.details)
    assert event.details["api_token"] == token.prefix


def test_each_token_is_different():
    _, first = issue_token(scopes=["referrals:read"])
    _, second = issue_token(scopes=["referrals:read"])
    assert first != second


@pytest.mark.parametrize(("scopes", "message"), [
    ([], "Give at least one scope"),
    (["referrals:everything"], "Unknown scope referrals:everything"),
])
def test_issuing_needs_known_scopes(scopes, message):
    from prevent_hub.accounts.tests.factories import UserFactory

    with pytest.raises(ValidationError, match=message), acting_as(None):
        api_token_issue(user=UserFactory(), scopes=scopes)


def test_no_token_is_401_with_a_challenge(client):
    response = read(client, None)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert response.json()["type"] == "urn:prevent-hub:problem:unauthenticated"
    # Nothing was presented, so there is nothing to audit.
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()


@pytest.mark.parametrize("header", [
    "Bearer ph_not-a-real-token-at-all", "Basic dXNlcjpwYXNz", "Bearer", "ph_abc",
])
def test_an_invalid_token_is_401_and_audited(client, header):
    response = read(client, None, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor is None
    assert event.details["via"] == "api"
    assert event.path == "/api/v1/referrals/PRV-2000-000001"


def test_a_revoked_token_is_refused(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    referral = ReferralFactory()
    assert read(client, plaintext, referral.reference).status_code == 200
    with acting_as(None):
        api_token_revoke(token=token, acting_user=None)
    assert read(client, plaintext, referral.reference).status_code == 401
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).get()
    assert event.details == {"via": "api", "reason": "revoked token", "api_token": token.prefix,
                             "status": 401}
    assert event.object_id == str(token.pk)


def test_a_token_for_a_deactivated_account_is_refused(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    token.user.is_active = False
    token.user.save()
    assert read(client, plaintext).status_code == 401
    assert AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED).details["reason"] == (
        "deactivated account")


def test_a_token_without_the_scope_gets_403(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:submit"])
    response = read(client, plaintext, ReferralFactory().reference)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "urn:prevent-hub:problem:insufficient-scope"
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'scope="referrals:read"' in response["WWW-Authenticate"]
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == token.user
    assert event.details == {"api_token": token.prefix, "via": "api", "needed": "referrals:read",
                             "status": 403}


def test_the_scope_is_checked_before_the_body(client):
    _, plaintext = issue_token(scopes=["referrals:read"])
    response = client.post("/api/v1/referrals", b"not json", content_type="text/plain", **bearer(plaintext))
    assert response.status_code == 403


def test_an_account_without_the_role_gets_403_even_with_the_scope(client):
    token, plaintext = issue_token(roles=[Role.CHANNEL_CHAIR], scopes=["referrals:read"])
    response = read(client, plaintext, ReferralFactory().reference)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:prevent-hub:problem:forbidden"
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == token.user
    assert event.details["needed"] == "referrals.view"


def test_every_use_is_audited_with_the_token(client):
    token, plaintext = issue_token(roles=[Role.POLICE_PRACTITIONER])
    shared = ReferralFactory(police_shared_at=timezone.now(), status=ReferralStatus.AWAITING_GATEWAY)
    before = AuditEvent.objects.count()
    submit(client, plaintext)
    read(client, plaintext, shared.reference)
    read(client, plaintext, ReferralFactory().reference)  # not shared: 404
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert [event.action for event in events] == [
        AuditAction.CREATE, AuditAction.VIEW, AuditAction.PERMISSION_DENIED]
    for event in events:
        assert event.actor == token.user
        assert event.details["api_token"] == token.prefix
        assert event.details["via"] == "api"


def test_last_used_is_noted_at_most_once_a_minute(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    assert token.last_used_at is None
    read(client, plaintext)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    read(client, plaintext)
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - datetime.timedelta(minutes=2))
    read(client, plaintext)
    token.refresh_from_db()
    assert token.last_used_at > first_use - datetime.timedelta(minutes=2)


def test_a_token_does_not_sign_anyone_in(client):
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    read(client, plaintext)
    assert "sessionid" not in client.cookies
    response = client.get("/staff/", **bearer(plaintext))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_page_audit_is_unchanged_by_api_calls(client, staff_client):
    # A signed-in page view after API calls still names the signed-in user,
    # with no token in its details.
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    read(client, plaintext)
    staff = staff_client(Role.SYSTEM_ADMINISTRATOR)
    staff.get(f"/staff/administration/users/{staff.user.pk}/")
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="accounts.user").get()
    assert event.actor == staff.user
    assert "api_token" not in event.details
