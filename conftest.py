"""Fixtures shared by every test."""

import importlib

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


# Reference data that data migrations load: (migration module, loader).
REFERENCE_DATA_LOADERS = [
    ("prevent_hub.directory.migrations.0002_default_contacts", "load_defaults"),
    ("prevent_hub.directory.migrations.0003_public_pages_contacts", "load_added"),
    ("prevent_hub.directory.migrations.0005_default_routing_rules", "load_rules"),
    ("prevent_hub.core.migrations.0003_default_bank_holidays", "load"),
    ("prevent_hub.channel.migrations.0004_vaf_framework_version_1", "load"),
    ("prevent_hub.retention.migrations.0001_initial", "load_defaults"),
    ("prevent_hub.venues.migrations.0002_defaults", "load"),
    ("prevent_hub.complaints.migrations.0002_letter_templates", "load"),
    ("prevent_hub.retention.migrations.0002_training_record", "load_default"),
    ("prevent_hub.training.migrations.0002_courses", "load"),
    ("prevent_hub.reporting.migrations.0002_national_categories", "load"),
]


@pytest.fixture
def reference_data(transactional_db):
    """What the data migrations load (contacts, routing rules, bank holidays,
    the VAF wording, the retention schedule, venue booking conditions and
    letters, the wording of letters to complainants, training courses, the
    national reporting categories). A transactional test
    before this one may have emptied the database, so load it again; the
    loaders never duplicate or overwrite. (serialized_rollback does not help
    after other transactional tests: its restore collides with the content
    types they re-create.)"""
    from django.apps import apps

    for module_name, loader in REFERENCE_DATA_LOADERS:
        getattr(importlib.import_module(module_name), loader)(apps, None)
