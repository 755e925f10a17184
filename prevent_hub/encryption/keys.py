"""Key-encryption keys (KEKs): never in the database.

They come from `ENCRYPTION_KEYS` (`id:base64key,id:base64key`, the first is
current) or `ENCRYPTION_KEY_FILE` (one `id:base64key` a line; `#` comments).
A KEK only wraps the data keys kept in the database (encryption.DataKey), so
replacing it means re-wrapping a few rows, not re-encrypting every value.

This module imports nothing from Django's app registry: the production
settings call `configured_keks` to refuse to start without a usable key.
"""

import base64
import binascii
import re
import secrets
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32  # AES-256
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def parse_keys(text: str, *, source: str = "ENCRYPTION_KEYS") -> dict[str, bytes]:
    """`id:base64key` items (commas or new lines between them) → {id: key},
    in order, the current one first. Anything malformed is refused whole:
    a key half read would encrypt under the wrong key."""
    found: dict[str, bytes] = {}
    items = [item.strip() for line in text.splitlines() for item in line.split("#", 1)[0].split(",")]
    for item in filter(None, items):
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{source}: each key must be written id:base64key, the id of letters, digits, - or _.")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{source}: key {key_id!r} is not valid base64.") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: key {key_id!r} must be {KEY_BYTES} random bytes (it is {len(key)}); "
                "make one with `python manage.py generate_encryption_key`.")
        if key_id in found:
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} is given twice.")
        found[key_id] = key
    return found


def configured_keks(keys: str, key_file: str) -> dict[str, bytes]:
    """The KEKs from the environment's values, or ImproperlyConfigured when
    there are none or any is malformed."""
    if keys and key_file:
        raise ImproperlyConfigured("Set ENCRYPTION_KEYS or ENCRYPTION_KEY_FILE, not both.")
    if key_file:
        try:
            text = Path(key_file).read_text()
        except OSError as error:
            raise ImproperlyConfigured(f"ENCRYPTION_KEY_FILE cannot be read: {error.strerror}.") from None
        found = parse_keys(text, source="ENCRYPTION_KEY_FILE")
    else:
        found = parse_keys(keys)
    if not found:
        raise ImproperlyConfigured(
            "No encryption key: set ENCRYPTION_KEYS or ENCRYPTION_KEY_FILE (docs/encryption.md). Special-"
            "category data is encrypted with it, and the service does not start without one.")
    return found


def generate_key_line(key_id: str) -> str:
    """A new KEK as `id:base64key`."""
    if not KEY_ID.match(key_id):
        raise ValueError("A key id is letters, digits, '-' or '_' (at most 32).")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


@cache
def keks() -> dict[str, bytes]:
    """The KEKs from settings, current first (cached; `keks.cache_clear()`
    after the settings change, as tests do)."""
    from django.conf import settings

    return configured_keks(getattr(settings, "ENCRYPTION_KEYS", ""),
                           getattr(settings, "ENCRYPTION_KEY_FILE", ""))


def current_kek_id() -> str:
    return next(iter(keks()))
