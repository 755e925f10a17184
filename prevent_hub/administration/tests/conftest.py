import pytest
from django.test import Client

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory


@pytest.fixture
def admin_client(staff_client):
    """A client signed in (two factors) as a system administrator: `admin_client.user`."""
    return staff_client(Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")


@pytest.fixture
def client_for(db):
    """`client_for(user)` → another client, signed in (two factors) as `user`."""

    def make(user):
        other = Client()
        sign_in(other, user)
        other.user = user
        return other

    return make


@pytest.fixture
def target(db):
    """A user for the administrator to manage."""
    return UserFactory(
        email="pat.target@test.shireford.example", full_name="Pat Target", job_title="Youth worker",
        roles=[Role.PANEL_MEMBER],
    )
