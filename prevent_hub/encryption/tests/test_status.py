"""`encryption_status`: every encrypted field, its rows per data key (and the
KEK wrapping it), in plaintext and empty."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from prevent_hub.encryption import cipher
from prevent_hub.encryption.fields import REGISTRY
from prevent_hub.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _status(*args):
    out = io.StringIO()
    call_command("encryption_status", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_lists_every_encrypted_field_with_rows_per_key():
    ReferralFactory(concern_description="Fictional status text", complex_needs_details="")
    key_id = cipher.current_key_id()
    text = _status()
    for label in REGISTRY:
        assert f"  {label}: " in text
    line = next(row for row in text.splitlines() if "referrals.Referral.concern_description:" in row)
    assert f"{key_id} (" in line and "plaintext: 0" in line
    empty_line = next(row for row in text.splitlines() if "referrals.Referral.complex_needs_details:" in row)
    assert "empty: 1" in empty_line or "empty: " in empty_line
    assert "Fictional status text" not in text


def test_check_fails_while_a_value_is_in_plaintext():
    referral = ReferralFactory(concern_description="Placeholder")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_referral SET gateway_reasons = %s WHERE id = %s",
                       ["Plain fictional reasons", referral.pk])
    with pytest.raises(SystemExit) as stopped:
        _status("--check")
    assert stopped.value.code == 1
    line = next(row for row in _status().splitlines() if "referrals.Referral.gateway_reasons:" in row)
    assert "plaintext: 1" in line
