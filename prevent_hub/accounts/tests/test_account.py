"""Your account: new recovery codes."""

import pytest
from django.urls import reverse

from prevent_hub.accounts.models import RecoveryCode
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import UserFactory
from .helpers import (
    codes_on_page,
    enrol,
    next_code_for,
    sign_in_with_password,
    stored_matches,
    wrong_code_for,
)

ACCOUNT = reverse("accounts:account")
NEW_CODES = reverse("accounts:account-recovery-codes")


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example")


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(client, user):
    device, old_codes = enrol(user)
    sign_in_with_password(client, user)
    # Signed in with a recovery code: getting new codes must not sign this session out.
    client.post(reverse("accounts:second-factor-recovery"), {"code": old_codes[0]})
    assert client.get(ACCOUNT).status_code == 200
    assert "9 unused" in client.get(ACCOUNT).content.decode()

    response = client.post(NEW_CODES, {"code": next_code_for(device)})
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


def test_new_recovery_codes_need_a_code_from_the_app_now(client, user):
    device, old_codes = enrol(user)
    sign_in_with_password(client, user)
    client.post(reverse("accounts:second-factor"), {"code": next_code_for(device)})
    page = client.get(NEW_CODES)
    assert page.status_code == 200
    assert "enter the code your authenticator app shows now" in page.content.decode()
    before = set(RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True))
    for posted in ({}, {"code": wrong_code_for(device)}):
        refused = client.post(NEW_CODES, posted)
        assert refused.status_code == 200
        assert "govuk-error-summary" in refused.content.decode()
    assert set(RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True)) == before
    assert not AuditEvent.objects.filter(changed_fields=["recovery_codes"], object_id=str(user.pk)).exists()


def test_account_page_needs_the_second_factor(client, user):
    enrol(user)
    sign_in_with_password(client, user)
    assert client.get(ACCOUNT)["Location"].startswith(reverse("accounts:second-factor"))
