"""Rotation: a new KEK re-wraps the data keys (the old KEK can then go); a new
data key re-encrypts every value, resumably, in committed batches."""

import base64
import io
import secrets

import pytest
from django.core.management import call_command
from django.db import connection

from prevent_hub.audit.models import AuditEvent
from prevent_hub.encryption import cipher, keys, selectors, services
from prevent_hub.encryption.models import DataKey
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _line(key_id):
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


@pytest.fixture
def fresh_keys(settings):
    cipher.forget_keys()
    return settings


def _stored(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT concern_description FROM referrals_referral WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_new_kek_rewraps_every_data_key_and_the_old_one_can_then_be_removed(fresh_keys):
    referral = ReferralFactory(concern_description="Fictional text A", ethnicity="white")
    old = fresh_keys.ENCRYPTION_KEYS.split(",")[0]
    new = _line("newkek")
    fresh_keys.ENCRYPTION_KEYS = f"{new},{old}"
    cipher.forget_keys()
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"newkek"}
    # The old KEK gone: everything still reads.
    fresh_keys.ENCRYPTION_KEYS = new
    cipher.forget_keys()
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.concern_description, fresh.ethnicity) == ("Fictional text A", "white")
    assert AuditEvent.objects.filter(object_type="encryption.datakey", details__rotation="rewrap").exists()


def test_a_new_data_key_reencrypts_every_value_and_the_old_key_can_be_deleted(fresh_keys):
    referrals = [ReferralFactory(concern_description=f"Fictional text {n}", ethnicity="asian")
                 for n in range(5)]
    before = cipher.current_key_id()
    call_command("rotate_encryption_keys", "--new-data-key", "--batch", "2", "--delete-unused",
                 stdout=io.StringIO())
    after = cipher.current_key_id()
    assert after != before
    assert all(_stored(r.pk).startswith(f"ph1:{after}:") for r in referrals)
    assert not DataKey.objects.filter(pk=before).exists()
    cipher.forget_keys()
    assert sorted(Referral.objects.filter(pk__in=[r.pk for r in referrals])
                  .values_list("concern_description", flat=True)) == [f"Fictional text {n}" for n in range(5)]
    # The blind index did not change with the data key: statistics still count.
    asian = cipher.blind_index("asian", "referrals.Referral.ethnicity")
    assert Referral.objects.filter(ethnicity_index=asian, pk__in=[r.pk for r in referrals]).count() == 5


def test_an_interrupted_reencryption_resumes_where_it_stopped(fresh_keys):
    referrals = [ReferralFactory(concern_description=f"Fictional text {n}") for n in range(7)]
    services.data_key_replace()
    current = cipher.current_key_id()
    column = next(c for c in services.encrypted_columns()
                  if c.label == "referrals.Referral.concern_description")
    pending = services.pending_rows(column, key_id=current)
    # Stopped after two batches of two: four rows moved, committed, the rest waiting.
    assert services.reencrypt_column(column, batch=2, max_batches=2) == 4
    assert services.pending_rows(column, key_id=current) == pending - 4
    # Run again: it carries on with what is left only.
    assert services.reencrypt_column(column, batch=2) == pending - 4
    assert services.pending_rows(column, key_id=current) == 0
    assert [Referral.objects.get(pk=r.pk).concern_description for r in referrals] == [
        f"Fictional text {n}" for n in range(7)]


def test_plaintext_left_from_before_encryption_is_encrypted_by_a_run(fresh_keys):
    referral = ReferralFactory(concern_description="Placeholder")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_referral SET concern_description = %s WHERE id = %s",
                       ["Old fictional plaintext", referral.pk])
    assert selectors.rows_by_key()["referrals.Referral.concern_description"][selectors.PLAINTEXT] >= 1
    call_command("rotate_encryption_keys", "--resume", stdout=io.StringIO())
    assert _stored(referral.pk).startswith("ph1:")
    assert selectors.PLAINTEXT not in selectors.rows_by_key()["referrals.Referral.concern_description"]
    assert Referral.objects.get(pk=referral.pk).concern_description == "Old fictional plaintext"


def test_rotation_audit_events_hold_no_values(fresh_keys):
    ReferralFactory(concern_description="Fictional secret text for audit")
    call_command("rotate_encryption_keys", "--new-data-key", stdout=io.StringIO())
    events = AuditEvent.objects.filter(object_type="encryption.datakey")
    assert events.exists()
    assert not any("Fictional secret" in repr((e.details, e.changed_fields)) for e in events)


def test_keys_are_cached_so_reading_values_costs_no_queries(fresh_keys, django_assert_num_queries):
    referral = ReferralFactory(concern_description="Fictional cached text")
    row = Referral.objects.get(pk=referral.pk)  # noqa: F841 - the key is unwrapped here once
    with django_assert_num_queries(1):
        assert Referral.objects.get(pk=referral.pk).concern_description == "Fictional cached text"
    assert keys.current_kek_id()
