"""A "Name or reference" search box, for the lists people work from (the
triage queue, the Channel case list).

What was typed is read as a reference if it is shaped like one (PRV-2026-000123
for a referral, CH-2026-000045 for a Channel case; any case, spaces or hyphens
between the parts, the number with or without its leading zeros), and as a name
otherwise, to be matched by name keys (core.names), so any spelling in any
script finds it. It knows nothing about referrals or cases: each list decides
what a reference or a name matches.
"""

import functools
import re
from dataclasses import dataclass

from django import forms

from .names import NameQuery, tidy

REFERRAL = "PRV"
CASE = "CH"

# Text that starts like a reference but is not one: a mistyped reference,
# not a name.
_REFERENCE_START = re.compile(r"^(PRV|CH)[\s-]*\d", re.IGNORECASE)


@functools.cache
def _reference_pattern(prefixes: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(prefix) for prefix in prefixes)
    return re.compile(rf"^({alternatives})[\s-]*(\d{{4}})[\s-]*(\d{{1,9}})$", re.IGNORECASE)


def prefixed_reference_in(text: str, *prefixes: str) -> str:
    """"ven 2026 123" → "VEN-2026-000123" when `text` is shaped like a
    reference starting with one of `prefixes` (any case, spaces or hyphens
    between the parts, the number with or without its leading zeros); ""
    otherwise. Every kind of record numbered PREFIX-YEAR-NUMBER is searched
    for this way: referrals, cases, venue bookings, complaints."""
    match = _reference_pattern(prefixes).match(tidy(text))
    if not match:
        return ""
    prefix, year, number = match.groups()
    return f"{prefix.upper()}-{year}-{int(number):06d}"


def reference_in(text: str) -> str | None:
    """"prv 2026-123" → "PRV-2026-000123"; None if `text` is not shaped like a
    referral's or a case's reference."""
    return prefixed_reference_in(text, REFERRAL, CASE) or None


@dataclass(frozen=True)
class NameOrReference:
    """What was typed: `text` as typed (tidied, to show back and put in links)
    and either the `reference` it is or the `name` to look for."""

    text: str
    reference: str = ""
    name: NameQuery | None = None

    @property
    def prefix(self) -> str:
        """"PRV" or "CH" for a reference; empty for a name."""
        return self.reference.split("-", 1)[0] if self.reference else ""

    def for_audit(self) -> dict:
        """Which kind of search it was, never what was typed: names do not go
        into the audit trail."""
        return {"reference": True} if self.reference else {"name": True}


class NameOrReferenceField(forms.CharField):
    """A text box whose value is a NameOrReference (None when left empty).

    A name with no letters, and text that starts like a reference but is not
    one, are refused with a message saying what to type."""

    default_error_messages = {
        "no_letters": "Enter a name with at least one letter, or a reference",
        "bad_reference": "Enter a reference like PRV-2026-000123 or CH-2026-000045, or a name",
    }

    def __init__(self, *, label="Name or reference", max_length=200,
                 help_text="Any spelling of a name, or a reference like PRV-2026-000123", **kwargs):
        error_messages = {"max_length": f"{label} must be {max_length:,} characters or fewer",
                          **kwargs.pop("error_messages", {})}
        widget = forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off",
                                        "govuk": {"classes": "govuk-!-width-full"}})
        super().__init__(label=label, max_length=max_length, help_text=help_text, required=False,
                         widget=widget, error_messages=error_messages, **kwargs)

    def clean(self, value):
        text = tidy(super().clean(value))
        if not text:
            return None
        reference = reference_in(text)
        if reference:
            return NameOrReference(text=text, reference=reference)
        if _REFERENCE_START.match(text):
            raise forms.ValidationError(self.error_messages["bad_reference"], code="bad_reference")
        name = NameQuery.parse(text)
        if name is None:
            raise forms.ValidationError(self.error_messages["no_letters"], code="no_letters")
        return NameOrReference(text=text, name=name)
