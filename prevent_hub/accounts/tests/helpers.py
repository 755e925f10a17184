"""Helpers for the sign-in tests: codes computed from a device's key, as an
authenticator app would."""

import re
import time
from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.accounts import second_factor
from prevent_hub.accounts.models import RecoveryCode, RecoveryCodeHasher

from .factories import TEST_PASSWORD


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` steps later or earlier).
    The server accepts only the current step's code, so this waits out the
    last second of a step rather than hand over a code about to expire."""
    device.refresh_from_db()
    into_step = (time.time() - device.t0) % device.step
    if into_step > device.step - 1:
        time.sleep(device.step - into_step + 0.05)
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def next_code_for(device: TOTPDevice) -> str:
    """The code for a later sign-in, as if 30 seconds had gone by since the
    device's last code was used (a step's code works only once)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=F("last_t") - 1)
    return code_for(device)


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, steps_ahead=n) for n in range(-2, 4)}
    return next(f"{n:06d}" for n in range(100000, 999999) if f"{n:06d}" not in accepted)


def let_throttling_pass(user):
    """As if the wait django-otp imposes after wrong codes had gone by."""
    past = timezone.now() - timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=past)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator and recovery codes for `user` (service level)."""
    device = second_factor.totp_device_for_setup(acting_user=user)
    result = second_factor.second_factor_enrol(acting_user=user, device=device, token=code_for(device))
    assert result.check.outcome is second_factor.Outcome.VERIFIED
    device.refresh_from_db()
    return device, result.recovery_codes


def sign_in_with_password(client, user, next_url="/staff/", **extra):
    return client.post(
        reverse("accounts:sign-in"),
        {"username": user.email, "password": TEST_PASSWORD, "next": next_url},
        **extra,
    )


def codes_on_page(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", html)


def stored_matches(user, code: str) -> int:
    """How many of the user's stored recovery-code hashes `code` matches."""
    hasher = RecoveryCodeHasher()
    typed = code.replace("-", "").lower()
    stored = RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True)
    return sum(hasher.verify(typed, code_hash) for code_hash in stored)


def another_session_reference(user) -> str:
    """The account page's reference for a new session of `user` on another
    browser (as if they had signed in there too)."""
    from django.contrib.auth import SESSION_KEY

    from prevent_hub.accounts.selectors import session_reference
    from prevent_hub.accounts.sessions import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store.create()
    return session_reference(store.session_key)
