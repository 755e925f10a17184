"""Is a secret key fit for production? Plain Python: settings import it."""

import math
from collections import Counter

MIN_LENGTH = 50
MIN_DISTINCT = 12
# Shannon entropy of the key's own characters: a key from
# secrets.token_urlsafe(64) has about 5.5 bits a character (some 470 in all),
# secrets.token_hex about 4.
MIN_BITS_PER_CHARACTER = 3.5
MIN_BITS = 200
REPEAT = 8
INSECURE_MARKERS = ("insecure", "dev-only", "test-only", "change-me", "changeme", "secret", "password")


def weakness(key: str) -> str:
    """Why `key` is too weak, or "" if it will do."""
    if len(key) < MIN_LENGTH:
        return f"it is shorter than {MIN_LENGTH} characters"
    if any(marker in key.lower() for marker in INSECURE_MARKERS):
        return "it contains a word that marks a placeholder"
    if len(set(key)) < MIN_DISTINCT:
        return f"it uses fewer than {MIN_DISTINCT} different characters"
    counts = Counter(key)
    bits = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_BITS_PER_CHARACTER or bits * len(key) < MIN_BITS:
        return "its characters are too predictable"
    # In a random key no run of REPEAT characters comes twice.
    runs = [key[i:i + REPEAT] for i in range(len(key) - REPEAT + 1)]
    if len(set(runs)) < len(runs):
        return "it repeats a pattern"
    return ""
