"""Encrypting and decrypting values (AES-256-GCM) and blind indexes
(HMAC-SHA256), with the data keys unwrapped once per process.

A stored value is `ph1:<data key id>:<base64(nonce | ciphertext)>`; the
associated data is the column's name (`app.Model.field`), so a value copied
into another column does not decrypt. An empty string stays empty: the
database shows that nothing was written there, never what.
"""

import base64
import hashlib
import hmac
import secrets
import threading
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction

from . import keys
from .models import DataKey, KeyPurpose

PREFIX = "ph1:"
NONCE_BYTES = 12
INDEX_CHARS = 24  # hex: 96 bits of the HMAC, plenty to keep category codes apart


class EncryptionError(Exception):
    pass


class KeyUnavailable(EncryptionError):
    """A value's data key, or the KEK wrapping it, is not here."""


_lock = threading.Lock()
_unwrapped: dict[str, bytes] = {}
_aead: dict[str, AESGCM] = {}
_current: dict[str, tuple[str, float]] = {}  # purpose → (key id, when looked up)


def forget_keys() -> None:
    """Drop every unwrapped key and the current key's id (after rotation;
    tests that change keys)."""
    with _lock:
        _unwrapped.clear()
        _aead.clear()
        _current.clear()
    keys.keks.cache_clear()


def _associated(key_id: str, purpose: str, kek_id: str) -> bytes:
    return f"prevent-hub data key {key_id} {purpose} {kek_id}".encode()


def wrap(key: bytes, *, key_id: str, purpose: str, kek_id: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.keks()[kek_id]).encrypt(nonce, key, _associated(key_id, purpose, kek_id))
    return base64.b64encode(nonce + sealed).decode()


def unwrap(row: DataKey) -> bytes:
    kek = keys.keks().get(row.kek_id)
    if kek is None:
        raise KeyUnavailable(
            f"Data key {row.id} is wrapped by key-encryption key {row.kek_id!r}, which is not in "
            "ENCRYPTION_KEYS / ENCRYPTION_KEY_FILE. Put it back (docs/encryption.md, rotation).")
    raw = base64.b64decode(row.wrapped)
    try:
        return AESGCM(kek).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                   _associated(row.id, row.purpose, row.kek_id))
    except InvalidTag:
        raise KeyUnavailable(
            f"Data key {row.id} does not open with key-encryption key {row.kek_id!r}.") from None


def _remember(row: DataKey) -> bytes:
    key = unwrap(row)
    with _lock:
        _unwrapped[row.id] = key
        _aead[row.id] = AESGCM(key)
    return key


def _key(key_id: str) -> bytes:
    key = _unwrapped.get(key_id)
    if key is None:
        try:
            row = DataKey.objects.get(pk=key_id)
        except DataKey.DoesNotExist:
            raise KeyUnavailable(f"Data key {key_id} is not in the database.") from None
        key = _remember(row)
    return key


def new_key(purpose: str) -> DataKey:
    """A new data (or index) key, wrapped under the current KEK, saved."""
    key = secrets.token_bytes(keys.KEY_BYTES)
    key_id = secrets.token_hex(6)
    kek_id = keys.current_kek_id()
    row = DataKey.objects.create(id=key_id, purpose=purpose, kek_id=kek_id,
                                 wrapped=wrap(key, key_id=key_id, purpose=purpose, kek_id=kek_id))
    with _lock:
        _unwrapped[row.id] = key
        _aead[row.id] = AESGCM(key)
    return row


def current_key_id(purpose: str = KeyPurpose.DATA) -> str:
    """The key new values are encrypted under. Looked up once, then again
    every ENCRYPTION_CURRENT_KEY_RECHECK_SECONDS (another process may have
    rotated); made on first use if there is none."""
    recheck = getattr(settings, "ENCRYPTION_CURRENT_KEY_RECHECK_SECONDS", 60)
    known = _current.get(purpose)
    if known and (recheck is None or time.monotonic() - known[1] < recheck):
        return known[0]
    row = DataKey.objects.filter(purpose=purpose, retired_at__isnull=True).order_by("-created_at").first()
    if row is None:
        # Its own savepoint: a caller's rolled-back write must not take the
        # key with it while this process keeps using it.
        with transaction.atomic():
            row = new_key(purpose)
    elif row.id not in _unwrapped:
        _remember(row)
    _current[purpose] = (row.id, time.monotonic())
    return row.id


def encrypt(plaintext: str, column: str, *, key_id: str | None = None) -> str:
    if plaintext == "":
        return ""
    key_id = key_id or current_key_id()
    _key(key_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _aead[key_id].encrypt(nonce, plaintext.encode(), column.encode())
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def key_id_of(stored: str) -> str | None:
    return stored[len(PREFIX):].split(":", 1)[0] if stored.startswith(PREFIX) else None


def decrypt(stored: str, column: str) -> str:
    """The plaintext of a stored value. A value not yet encrypted (written
    before encryption, until the migration or rotation reaches it) is
    returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    key_id, _, body = stored[len(PREFIX):].partition(":")
    if key_id not in _aead:
        _key(key_id)
    raw = base64.b64decode(body)
    try:
        return _aead[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode()).decode()
    except InvalidTag:
        raise EncryptionError(
            f"A value of {column} does not decrypt: altered, or moved from another column.") from None


def blind_index(value: str, column: str) -> str:
    """HMAC-SHA256 of a category code under the index key, truncated: equal
    codes give equal indexes, so a column can be counted and filtered by
    code without the code being stored. Empty stays empty."""
    if value == "" or value is None:
        return ""
    key = _key(current_key_id(KeyPurpose.INDEX))
    digest = hmac.new(key, f"{column}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:INDEX_CHARS]
