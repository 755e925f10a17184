"""How the second factor is kept: authenticator codes work only in their own
30-second step (ASVS V6.5.5), recovery codes are stored only as salted slow
hashes (V6.5.2), including the codes people held before that change."""

import importlib

import pytest
from django.apps import apps
from django.db.models import F
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.accounts import second_factor
from prevent_hub.accounts.models import RecoveryCode

from .factories import UserFactory
from .helpers import (
    code_for,
    enrol,
    let_throttling_pass,
    sign_in_with_password,
    stored_matches,
)

pytestmark = pytest.mark.django_db
VERIFY = reverse("accounts:second-factor")
RECOVERY = reverse("accounts:second-factor-recovery")
MIGRATIONS = "prevent_hub.accounts.migrations."


def test_a_code_from_the_previous_step_is_refused(client):
    user = UserFactory()
    device, _codes = enrol(user)
    assert device.tolerance == 0
    sign_in_with_password(client, user)
    # As if the enrolment's code were two steps ago, so the step before this
    # one has not been used: only the tolerance stands in its way.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=F("last_t") - 2)
    for stale in (code_for(device, steps_ahead=-1), code_for(device, steps_ahead=1)):
        if stale == code_for(device):
            continue  # the same six digits by chance: nothing to test with this one
        let_throttling_pass(user)
        assert client.post(VERIFY, {"code": stale}).status_code == 200
        assert client.get("/staff/").status_code == 302
    let_throttling_pass(user)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_existing_authenticators_lose_their_tolerance_but_keep_their_drift():
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="Old phone", confirmed=True, tolerance=1, drift=-1)
    migration = importlib.import_module(MIGRATIONS + "0009_totp_codes_in_their_own_step_only")
    migration.no_tolerance(apps, None)
    device.refresh_from_db()
    assert (device.tolerance, device.drift) == (0, -1)


def test_recovery_codes_held_before_hashing_still_work_once(client):
    user = UserFactory()
    enrol(user)
    RecoveryCode.objects.filter(device__user=user).delete()
    device = StaticDevice.objects.get(user=user)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in ("abcd2345", "wxyz6777")])
    migration = importlib.import_module(MIGRATIONS + "0008_recovery_codes_hashed")

    migration.hash_existing_codes(apps, None)

    assert not StaticToken.objects.exists()
    assert second_factor.recovery_codes_remaining(user) == 2
    assert not RecoveryCode.objects.filter(code_hash__contains="abcd2345").exists()
    assert stored_matches(user, "abcd-2345") == 1
    sign_in_with_password(client, user)
    assert client.post(RECOVERY, {"code": "ABCD-2345"}).status_code == 302
    assert second_factor.recovery_codes_remaining(user) == 1
    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, user)
    let_throttling_pass(user)
    assert client.post(RECOVERY, {"code": "abcd-2345"}).status_code == 200


def test_recovery_code_hashes_are_salted_and_slow(settings):
    settings.RECOVERY_CODE_HASH_ITERATIONS = 1234
    first, second = (second_factor.recovery_code_hash("abcd2345") for _ in range(2))
    assert first != second, "salted: the same code hashes differently each time"
    algorithm, iterations, salt, _digest = first.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "1234") and len(salt) >= 16


def test_the_production_hash_rounds_are_slow():
    from config.settings import base

    assert base.RECOVERY_CODE_HASH_ITERATIONS >= 100_000
