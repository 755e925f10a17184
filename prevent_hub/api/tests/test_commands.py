"""create_api_token and revoke_api_token."""

import io

import pytest
from django.core.management import CommandError, call_command

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.api.models import ApiToken, token_hash
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import ApiTokenFactory

pytestmark = pytest.mark.django_db


def run(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_once_and_keeps_only_its_hash():
    user = UserFactory(email="partner@test.shireford.example")
    output = run("create_api_token", "--user", "Partner@test.shireford.example",
                 "--scope", "referrals:submit", "--scope", "referrals:read", "--name", "Test MASH system")
    printed = [line for line in output.splitlines() if line.startswith("ph_")]
    assert len(printed) == 1
    plaintext = printed[0]
    assert output.count(plaintext) == 1
    assert "will not be shown again" in output
    token = ApiToken.objects.get()
    assert token.user == user
    assert token.scopes == ["referrals:read", "referrals:submit"]
    assert token.name == "Test MASH system"
    assert token.token_hash == token_hash(plaintext)
    assert plaintext not in str(ApiToken.objects.values().get())
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="api.apitoken")
    assert event.request_id == "create_api_token"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--user", "nobody@test.shireford.example", "--scope", "referrals:read"], "There is no account"),
    (["--user", "inactive@test.shireford.example", "--scope", "referrals:read"], "deactivated"),
    (["--user", "active@test.shireford.example", "--scope", "referrals:all"], "Unknown scope referrals:all"),
])
def test_create_refuses_clearly(arguments, message):
    UserFactory(email="inactive@test.shireford.example", is_active=False)
    UserFactory(email="active@test.shireford.example")
    with pytest.raises(CommandError, match=message):
        run("create_api_token", *arguments)
    assert not ApiToken.objects.exists()


def test_create_needs_a_scope():
    UserFactory(email="active@test.shireford.example")
    with pytest.raises(CommandError):
        run("create_api_token", "--user", "active@test.shireford.example")


def test_revoke_by_prefix():
    token = ApiTokenFactory()
    output = run("revoke_api_token", token.prefix)
    assert f"Revoked API token {token.prefix}" in output
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(token.pk)).exists()
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke_api_token", token.prefix)
    with pytest.raises(CommandError, match="There is no API token"):
        run("revoke_api_token", "ph_nothere")
