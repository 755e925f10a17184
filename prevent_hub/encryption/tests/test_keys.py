"""Key-encryption keys come from outside the database, and a malformed one is
refused rather than half read."""

import base64
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from prevent_hub.encryption import cipher, keys
from prevent_hub.encryption.models import DataKey


def _line(key_id):
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def test_keys_are_read_in_order_the_first_being_current():
    found = keys.parse_keys(f"{_line('new')}, {_line('old')}")
    assert list(found) == ["new", "old"]
    assert all(len(key) == 32 for key in found.values())


def test_a_key_file_has_one_key_a_line_and_comments(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"# rotated 2026-04-01\n{_line('k2')}\n{_line('k1')}  # the old one\n")
    assert list(keys.configured_keks("", str(path))) == ["k2", "k1"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "No encryption key"),
    ("k1:" + base64.b64encode(b"x" * 16).decode(), "must be 32 random bytes"),
    ("k1:%%%", "not valid base64"),
    ("justakey", "id:base64key"),
    ("bad id!:" + base64.b64encode(b"x" * 32).decode(), "id:base64key"),
    # Fixed bytes, not random: xdist workers must collect the same test ids.
    ("same:" + base64.b64encode(b"\x01" * 32).decode() + ",same:" + base64.b64encode(b"\x02" * 32).decode(),
     "given twice"),
])
def test_malformed_or_missing_keys_are_refused(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.configured_keks(text, "")


def test_both_sources_at_once_are_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="not both"):
        keys.configured_keks(_line("a"), str(tmp_path / "keys"))


def test_a_generated_key_line_is_accepted():
    assert list(keys.parse_keys(keys.generate_key_line("k20260401"))) == ["k20260401"]


@pytest.mark.django_db
def test_data_keys_are_stored_only_wrapped(settings):
    row = cipher.new_key("data")
    stored = DataKey.objects.get(pk=row.pk)
    key = cipher.unwrap(stored)
    assert len(key) == 32
    assert base64.b64encode(key).decode() not in stored.wrapped
    assert key not in base64.b64decode(stored.wrapped)


@pytest.mark.django_db
def test_a_data_key_whose_kek_is_gone_says_which_kek_to_put_back(settings):
    row = cipher.new_key("data")
    settings.ENCRYPTION_KEYS = _line("other")
    keys.keks.cache_clear()
    with pytest.raises(cipher.KeyUnavailable, match=f"{row.kek_id!r}"):
        cipher.unwrap(DataKey.objects.get(pk=row.pk))
