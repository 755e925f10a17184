"""Demo accounts may skip the second factor, and only in demo mode with debug on."""

import pytest
from django.urls import reverse

from conftest import sign_in
from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.core.demo import DEMO_PASSWORD

from .factories import UserFactory


@pytest.fixture
def demo_user(db):
    return UserFactory(email=f"coordinator@{DEMO_DOMAIN}")


@pytest.fixture
def real_user(db):
    return UserFactory(email="sam@test.shireford.example")


def reaches_staff_home(client, user):
    sign_in(client, user, second_factor=False)
    return client.get("/staff/").status_code == 200


@pytest.mark.parametrize(("debug", "demo_mode", "skips"), [
    (True, True, True),
    (False, True, True),  # `make run` serves the demo with debug off
    (True, False, False),
    (False, False, False),
])
def test_demo_accounts_skip_the_second_factor_only_in_demo_mode(
    client, settings, demo_user, debug, demo_mode, skips
):
    settings.DEBUG = debug
    settings.DEMO_MODE = demo_mode
    assert reaches_staff_home(client, demo_user) is skips
    if not skips:
        assert client.get("/staff/")["Location"].startswith(reverse("accounts:second-factor-setup"))


def test_real_accounts_never_skip_it(client, settings, real_user):
    settings.DEBUG = True
    settings.DEMO_MODE = True
    assert not reaches_staff_home(client, real_user)


@pytest.mark.django_db
@pytest.mark.parametrize(("debug", "demo_mode", "shown"), [
    (True, True, True), (False, True, True), (True, False, False), (False, False, False),
])
def test_sign_in_page_mentions_the_shortcut_only_when_it_applies(client, settings, debug, demo_mode, shown):
    settings.DEBUG = debug
    settings.DEMO_MODE = demo_mode
    html = client.get(reverse("accounts:sign-in")).content.decode()
    assert (f"ending @{DEMO_DOMAIN}" in html) is shown
    assert ("without a code from an authenticator app" in html) is shown
    # Nothing secret, ever: no demo password, no list of accounts.
    assert DEMO_PASSWORD not in html
    assert f"coordinator@{DEMO_DOMAIN}" not in html
