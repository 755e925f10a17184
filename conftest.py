"""Fixtures shared by every test."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.accounts.tests.factories import UserFactory


def sign_in(client, user, *, second_factor=True):
    """Sign `user` in on `client`, with a verified second factor unless told not to."""
    client.force_login(user)
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test authenticator", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user


@pytest.fixture
def staff_client(db):
    """`staff_client(*roles)` → a new client signed in (two factors) as a new
    user with those roles. Each call is its own browser: a test with a
    coordinator and a police officer has two clients, and each acts as its user."""

    def make(*roles, **user_fields):
        user = UserFactory(roles=roles, **user_fields)
        client = Client()
        sign_in(client, user)
        client.user = user
        return client

    return make
