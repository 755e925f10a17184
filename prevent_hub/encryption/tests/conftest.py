import pytest

from prevent_hub.encryption import cipher, keys


@pytest.fixture(autouse=True)
def keys_as_they_were():
    """Each test here may forget or add keys; afterwards the process has the
    keys it had before, so a later test elsewhere (a pinned query count)
    does not pay for unwrapping them again."""
    saved = (dict(cipher._unwrapped), dict(cipher._aead), dict(cipher._current))
    yield
    keys.keks.cache_clear()
    with cipher._lock:
        for cache, before in zip((cipher._unwrapped, cipher._aead, cipher._current), saved, strict=True):
            cache.clear()
            cache.update(before)
