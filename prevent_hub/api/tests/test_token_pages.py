"""The staff page for API tokens."""

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import ApiTokenFactory

pytestmark = pytest.mark.django_db


def test_system_administrators_see_every_token(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    token = ApiTokenFactory(name="Test MASH <system>")
    page = client.get("/staff/api-tokens/").content.decode()
    assert token.prefix in page
    assert token.user.email in page
    assert "Test MASH &lt;system&gt;" in page
    assert "Submit referrals (referrals:submit)" in page
    assert token.plaintext not in page
    assert token.token_hash not in page


def test_the_administration_page_links_to_it(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    assert 'href="/staff/api-tokens/"' in client.get("/staff/administration/").content.decode()


def test_revoking_asks_first_then_revokes(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    token = ApiTokenFactory()
    confirm = client.get(f"/staff/api-tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Revoke this API token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/staff/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == client.user
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="api.apitoken")
    assert event.actor == client.user
    page = client.get(response["Location"]).content.decode()
    assert f"Token {token.prefix}… is revoked" in page
    assert "Revoked" in page
    # A second attempt changes nothing.
    again = client.get(f"/staff/api-tokens/{token.pk}/revoke/")
    assert "already revoked" in again.content.decode()


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.AUDITOR])
def test_other_roles_are_refused(staff_client, role):
    client = staff_client(role)
    token = ApiTokenFactory()
    assert client.get("/staff/api-tokens/").status_code == 403
    assert client.post(f"/staff/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
