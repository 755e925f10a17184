"""Fixtures shared by every test."""

import pytest
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
def staff_client(client, db):
    """`staff_client(*roles)` → a client signed in (two factors) as a new user with those roles."""

    def make(*roles, **user_fields):
        user = UserFactory(roles=roles, **user_fields)
        sign_in(client, user)
        client.user = user
        return client

    return make
