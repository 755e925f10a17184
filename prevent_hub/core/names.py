"""Name keys: how a name is reduced so that spellings of it find each other.

Used wherever a person is looked for by name: repeat-referral matching, people
search, the triage queue and the Channel case list. It knows nothing about
referrals or people, so every app can use it without depending on another.

A key is made in three steps (docs/decisions/0010-repeat-referral-matching.md):

1. **Transliterate** to ASCII with anyascii, a maintained library covering
   every script (Cyrillic, Greek, Arabic, Urdu, Bengali, Gujarati, Gurmukhi,
   Chinese …) and the letters Unicode decomposition cannot take apart (Ł, ı,
   ß, ø, đ, þ). Invisible formatting characters, bidirectional controls
   among them, are removed first, so they never reach a key.
   Arabic script writes a name's first vowel as alef or ain, which
   transliterate to nothing or to a mark; they are read as "a" first.
2. **Fold** to lower-case letters a-z, dropping everything else, and even out
   what transliteration conventions disagree on: "dzh" for "j" (Джон →
   Dzhon), "th" for "t" (Смит, Smith), "kh" for "h" (Ахмед → Akhmed),
   "sh" for "s" (Gujarati શ → s), a nasal before g, k, j or c as "n"
   (ਸਿੰਘ → simgh), a y or w that is not followed by a vowel as the vowel it
   stands for (يوسف → ywsf), and a final "h" that is not part of "th", "sh",
   "ch", "ph" or "gh" (فاطمة → ftmh).
3. **Metaphone** (jellyfish), with whatever vowel it keeps at the start
   written as "A", since scripts that write few vowels cannot say which one
   it was (عمران → amrn for Imran, عمر → amr for Omar).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import jellyfish
from anyascii import anyascii
from django.db.models import Q

KEY_LENGTH = 40  # the key columns' max_length

# Separators between names in a free-text "other names" box.
_OTHER_NAME_SEPARATORS = re.compile(r"[\n\r,;/]+|\s+(?:or|aka|a\.k\.a\.)\s+", re.IGNORECASE)
_NOT_LETTERS = re.compile(r"[^a-z]+")
_REWRITES = (
    # A final h, but not the h of th, sh, ch, ph or gh (Smith, Keith).
    (re.compile(r"(?<=[^cstpg])h$"), ""),
    (re.compile(r"dzh"), "j"),
    (re.compile(r"th"), "t"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"(?<=[aeiouy])m(?=[gkjc])"), "n"),
    (re.compile(r"(?<=.)y(?![aeiou])"), "i"),
    (re.compile(r"(?<=.)w(?![aeiou])"), "u"),
)
_VOWELS = frozenset("AEIOU")
# Arabic-script letters that begin a name with a vowel sound (alef in its
# forms, ain), at the start of a word.
_ARABIC_INITIAL_VOWEL = re.compile(r"(?<![\w])[\u0627\u0623\u0625\u0622\u0671\u0639]")


def without_invisible(text: str) -> str:
    """`text` without format characters (Unicode category Cf: bidirectional
    controls, zero-width joiners, soft hyphens), which change how a name looks
    or reads without being part of it."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# Characters that reorder the text around them: embeddings and overrides
# (U+202A–U+202E) and isolates (U+2066–U+2069). In a name they can make
# "Demo\u202eNOSRED" show as "DemoDERSON" (the "Trojan Source" trick). The
# marks U+200E/U+200F/U+061C, which change nothing around them, may stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def neutralise_bidi(value):
    """`value` (text, or a list of texts) without bidirectional embedding,
    override and isolate controls. Applied to what people submit, so a name
    shows as it reads everywhere it appears: pages, PDFs, CSV files, emails."""
    if isinstance(value, str):
        return _BIDI_CONTROLS.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(neutralise_bidi(each) for each in value)
    return value


def fold(name: str) -> str:
    """Lower-case ASCII letters only, in any script: "O'Néill-Smith" →
    "oneillsmith", "Łukasz" → "lukasz", "Дмитрий" → "dmitriy", "王小明" →
    "wangxiaoming". Empty if the name has no letters."""
    text = unicodedata.normalize("NFKC", without_invisible(name or ""))
    text = _ARABIC_INITIAL_VOWEL.sub("a", text)
    return _NOT_LETTERS.sub("", anyascii(text).lower())


def name_key(name: str) -> str:
    """The phonetic key of one given or family name, so "Mohammed",
    "Muhammad" and "محمد", "Smith" and "Smyth", "Łukasz" and "Lukasz",
    "Imran" and "عمران" share a key. Empty for a name with no letters."""
    folded = fold(name)
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    if not folded:
        return ""
    code = jellyfish.metaphone(folded).upper() or folded.upper()
    if code[0] in _VOWELS:
        code = "A" + code[1:]
    return code[:KEY_LENGTH]


def initial(name: str) -> str:
    """The first letter of a name, folded ("Élodie" → "e"); empty if none."""
    return fold(name)[:1]


def tidy(text: str) -> str:
    """A name as typed, with runs of spaces and invisible characters removed."""
    return " ".join(without_invisible(text or "").split())


@dataclass(frozen=True)
class GivenName:
    """One name given for a person, split into given and family names. Its
    keys are worked out once, when first asked for, or taken as stored."""

    given_name: str
    family_name: str

    @classmethod
    def keyed(cls, given_name: str, family_name: str, given_key: str, family_key: str) -> "GivenName":
        """A name read from a table that stores its keys."""
        name = cls(given_name, family_name)
        name.__dict__.update(given_key=given_key, family_key=family_key)
        return name

    @cached_property
    def given_key(self) -> str:
        return name_key(self.given_name)

    @cached_property
    def family_key(self) -> str:
        return name_key(self.family_name)

    @cached_property
    def initial(self) -> str:
        return initial(self.given_name)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def split_full_name(text: str, *, family_name_if_one_word: str = "") -> GivenName | None:
    """"Jon Paul Smyth" → given "Jon Paul", family "Smyth". One word on its own
    is taken as another given name used with `family_name_if_one_word`: "Mo"
    beside "Mohammed Ali" is "Mo Ali"."""
    words = tidy(text).strip(" .")
    if not words:
        return None
    parts = words.split(" ")
    if len(parts) == 1:
        return GivenName(given_name=parts[0], family_name=family_name_if_one_word)
    return GivenName(given_name=" ".join(parts[:-1]), family_name=parts[-1])


def other_names(text: str, *, family_name: str = "") -> list[GivenName]:
    """The names in a free-text "other names" box: one per line, or separated
    by commas, semicolons, slashes or "or"/"aka"."""
    names = []
    for chunk in _OTHER_NAME_SEPARATORS.split(text or ""):
        name = split_full_name(chunk, family_name_if_one_word=family_name)
        if name is not None and name not in names:
            names.append(name)
    return names


def all_names(given_name: str, family_name: str, other_names_text: str = "") -> list[GivenName]:
    """Every name given for someone: the main name first, then the other
    names, without repeats."""
    names = []
    main = GivenName(given_name=tidy(given_name), family_name=tidy(family_name))
    if main.full_name:
        names.append(main)
    for name in other_names(other_names_text, family_name=main.family_name):
        if name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class NameQuery:
    """What someone typed into a "name" search box, as keys to look up.

    One word matches a given or a family name. Two or more words are a given
    name (or names) and a family name, in either order."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "NameQuery | None":
        words = tuple(word for word in tidy(text).split(" ") if name_key(word))
        return cls(words) if words else None

    @property
    def single_key(self) -> str:
        return name_key(self.words[0]) if len(self.words) == 1 else ""

    @property
    def as_name(self) -> GivenName | None:
        if len(self.words) < 2:
            return None
        return GivenName(given_name=" ".join(self.words[:-1]), family_name=self.words[-1])

    def condition(self, prefix: str = "") -> Q:
        """The rows of a name table (with `given_key` and `family_key`
        columns, reached through `prefix`) this query finds: one word against
        either name; several as given and family names, in either order."""
        given, family = f"{prefix}given_key", f"{prefix}family_key"
        if self.single_key:
            return Q(**{given: self.single_key}) | Q(**{family: self.single_key})
        name = self.as_name
        return (Q(**{family: name.family_key, given: name.given_key})
                | Q(**{family: name.given_key, given: name.family_key}))
