"""Name keys: how a name is reduced so spelling variants find each other.

Kept apart from matching.py so models, services and the benchmark can make
keys without importing the search.
"""

import re
import unicodedata
from dataclasses import dataclass

import jellyfish

KEY_LENGTH = 40  # PersonName.given_key / family_key max_length

# Separators between names in a referral's "other names" box.
_OTHER_NAME_SEPARATORS = re.compile(r"[\n\r,;/]+|\s+(?:or|aka|a\.k\.a\.)\s+", re.IGNORECASE)


def fold(name: str) -> str:
    """Lower case ASCII letters only: accents folded (é → e), apostrophes,
    hyphens, spaces and anything else that is not a letter removed.
    "O'Néill-Smith" → "oneillsmith". Letters with no ASCII form (for example
    Arabic or Chinese script) are kept as they are, lower cased."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_letters = "".join(ch for ch in decomposed if "a" <= ch.lower() <= "z" and ch.isascii())
    if ascii_letters:
        return ascii_letters.lower()
    return "".join(ch for ch in (name or "").casefold() if ch.isalpha())


def name_key(name: str) -> str:
    """The phonetic key of one given or family name (Metaphone of the folded
    name), so "Mohammed" and "Muhammad", "Smith" and "Smyth", "Jon" and
    "John", "O'Neil" and "ONeill" share a key. Empty for an empty name. A name
    in a script with no ASCII form keys to its folded letters (exact match)."""
    folded = fold(name)
    if not folded:
        return ""
    if not folded.isascii():
        return folded[:KEY_LENGTH]
    return (jellyfish.metaphone(folded).upper() or folded.upper())[:KEY_LENGTH]


def initial(name: str) -> str:
    """The first letter of a name, folded ("Élodie" → "e"); empty if none."""
    return fold(name)[:1]


@dataclass(frozen=True)
class GivenName:
    """One name a referral gives for the person, split and keyed."""

    given_name: str
    family_name: str

    @property
    def given_key(self) -> str:
        return name_key(self.given_name)

    @property
    def family_key(self) -> str:
        return name_key(self.family_name)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def split_full_name(text: str, *, family_name_if_one_word: str = "") -> GivenName | None:
    """"Jon Paul Smyth" → given "Jon Paul", family "Smyth". One word on its own
    is taken as another given name used with `family_name_if_one_word` (the
    family name the referral gives): "Mo" beside "Mohammed Ali" is "Mo Ali"."""
    words = " ".join((text or "").split()).strip(" .")
    if not words:
        return None
    parts = words.split(" ")
    if len(parts) == 1:
        return GivenName(given_name=parts[0], family_name=family_name_if_one_word)
    return GivenName(given_name=" ".join(parts[:-1]), family_name=parts[-1])


def other_names(text: str, *, family_name: str = "") -> list[GivenName]:
    """The names in a referral's free-text "other names" box: one per line, or
    separated by commas, semicolons, slashes or "or"/"aka"."""
    names = []
    for chunk in _OTHER_NAME_SEPARATORS.split(text or ""):
        name = split_full_name(chunk, family_name_if_one_word=family_name)
        if name is not None and name not in names:
            names.append(name)
    return names


def referral_names(referral) -> list[GivenName]:
    """Every name a referral gives for its subject: the main name first, then
    the other names, without repeats."""
    names = []
    main = GivenName(
        given_name=" ".join(referral.subject_given_name.split()),
        family_name=" ".join(referral.subject_family_name.split()),
    )
    if main.full_name:
        names.append(main)
    for name in other_names(referral.subject_other_names, family_name=main.family_name):
        if name not in names:
            names.append(name)
    return names
