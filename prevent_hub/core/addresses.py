"""Postcodes and addresses: stored one way, shown the standard way, and
reduced to a key so the same address written twice is recognised.

Like core.names, this knows nothing about referrals or people.
"""

import re

from anyascii import anyascii

from .names import without_invisible

# A UK postcode: outward code (area, district) and inward code (sector, unit).
# The shape only; whether it exists is not our business.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_POSTCODE_WHOLE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")

# Words written more than one way in addresses, in their long form.
_ADDRESS_WORDS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive",
    "cl": "close", "ct": "court", "cres": "crescent", "cresc": "crescent", "gdns": "gardens",
    "gds": "gardens", "pl": "place", "sq": "square", "terr": "terrace", "ter": "terrace",
    "tce": "terrace", "wy": "way", "pk": "park", "hse": "house", "flt": "flat", "apt": "flat",
    "apartment": "flat", "no": "", "number": "",
}
_STREET_WORDS = frozenset({
    "road", "street", "avenue", "lane", "drive", "close", "court", "crescent", "gardens", "place",
    "square", "terrace", "way", "park", "grove", "hill", "row", "walk", "mews", "green", "rise",
})
# Lines that only say where a dwelling is within a building: joined to the next line.
_DWELLING_ONLY = re.compile(r"^(flat|unit|room|floor|\d+[a-z]?)( \w+)?$")


def normalise_postcode(value: str) -> str:
    """Upper case without spaces: "sf4 7qt" and "SF47QT" are the same."""
    return "".join((value or "").split()).upper()


def format_postcode(value: str) -> str:
    """The standard way to write a postcode: "SF47QT" → "SF4 7QT". Anything
    that is not the shape of a UK postcode is shown as it was stored."""
    normalised = normalise_postcode(value)
    if _POSTCODE_WHOLE.match(normalised):
        return f"{normalised[:-3]} {normalised[-3:]}"
    return value or ""


def postcode_in(text: str) -> str:
    """The first UK postcode written in `text` (normalised), or ""."""
    match = _POSTCODE.search(anyascii(without_invisible(text or "")).upper())
    return f"{match.group(1)}{match.group(2)}" if match else ""


def _address_lines(address: str) -> list[str]:
    lines = []
    for raw in re.split(r"[\n\r,]+", anyascii(without_invisible(address or "")).lower()):
        raw = _POSTCODE.sub(" ", raw.upper()).lower()
        words = [_ADDRESS_WORDS.get(word, word) for word in re.findall(r"[a-z0-9]+", raw)]
        line = " ".join(word for word in words if word)
        if line:
            lines.append(line)
    return lines


def address_key(address: str) -> str:
    """The part of an address that says which home it is, written one way:
    "Flat 2, 14 Acacia Rd., Shireford SF4 7QT" and "flat 2\\n14 acacia road"
    both give "flat 2 14 acacia road". The town and the postcode are left
    out (a postcode is compared on its own). Empty when the address has no
    house number or house name to go on, such as a street or a town alone."""
    lines = _address_lines(address)
    key = []
    for line in lines:
        key.append(line)
        if not _DWELLING_ONLY.match(line):
            break
    words = " ".join(key).split()
    # "12 Acacia Road Shireford" on one line: the town after the street goes.
    numbered = False
    for index, word in enumerate(words):
        numbered = numbered or any(ch.isdigit() for ch in word)
        if numbered and word in _STREET_WORDS:
            end = index + 1
            while end < len(words) and words[end] in _STREET_WORDS:  # "Park Road", "Green Lane"
                end += 1
            words = words[:end]
            break
    text = " ".join(words)
    # Without a number, only a house name says which home: a street
    # ("Acacia Road") or a town ("Shireford") on its own does not.
    if not any(ch.isdigit() for ch in text) and (len(lines) < 2 or text.split()[-1] in _STREET_WORDS):
        return ""
    return text[:200]


def address_postcode(address: str, postcode: str = "") -> str:
    """The postcode given for an address: its own field if filled in, else one
    written inside the address."""
    return normalise_postcode(postcode) or postcode_in(address)
