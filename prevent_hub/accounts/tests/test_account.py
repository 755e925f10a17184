"""Your account: new recovery codes."""

import pytest
from django.urls import reverse

from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import UserFactory
from .helpers import codes_on_page, enrol, sign_in_with_password, stored_matches

ACCOUNT = reverse("accounts:account")
NEW_CODES = reverse("accounts:account-recovery-codes")


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example")


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(client, user):
    _device, old_codes = enrol(user)
    sign_in_with_password(client, user)
    # Signed in with a recovery code: getting new codes must not sign this session out.
    client.post(reverse("accounts:second-factor-recovery"), {"code": old_codes[0]})
    assert client.get(ACCOUNT).status_code == 200
    assert "9 unused" in client.get(ACCOUNT).content.decode()

    response = client.post(NEW_CODES)
    assert response["Location"] == reverse("accounts:recovery-codes") + "?next=%2Fstaff%2Faccount%2F"
    shown = codes_on_page(client.get(response["Location"]).content.decode())
    assert len(shown) == 10
    assert [stored_matches(user, code) for code in shown] == [1] * 10
    assert not any(stored_matches(user, code) for code in old_codes)
    assert client.get(response["Location"])["Location"] == ACCOUNT  # once only
    assert client.get(ACCOUNT).status_code == 200
    assert "10 unused" in client.get(ACCOUNT).content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), changed_fields=["recovery_codes"]
    ).count() == 1


def test_getting_new_codes_is_post_only(staff_client):
    assert staff_client().get(NEW_CODES).status_code == 405


def test_account_page_needs_the_second_factor(client, user):
    enrol(user)
    sign_in_with_password(client, user)
    assert client.get(ACCOUNT)["Location"].startswith(reverse("accounts:second-factor"))
