"""Password validators of our own, on top of Django's length, common-password
and similarity checks (AUTH_PASSWORD_VALIDATORS in config/settings/base.py).

- ContextWordsValidator: no word an attacker who knows about this service,
  the council or the person would try first (docs/administration.md lists
  them).
- BreachedPasswordValidator: no password known from a data breach elsewhere,
  asked of a Pwned Passwords-style range API without revealing the password.
"""

import hashlib
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

# The words about the work itself; the service's, council's and organisation's
# names and the person's own details are added from settings and the account.
SERVICE_WORDS = ("prevent", "channel", "radicalisation", "extremism", "safeguarding")
# Too general to bar on their own; they stay barred as part of a full name.
GENERIC_WORDS = frozenset({
    "county", "council", "borough", "district", "city", "hub", "the", "and", "of",
    "police", "service", "services", "limited", "ltd", "nhs", "trust",
})
# Shorter words would refuse passphrases for containing "ann" or "lee".
MIN_WORD_LENGTH = 4
# Letters people swap for look-alike digits and symbols.
_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a",
                             "5": "s", "$": "s", "7": "t", "+": "t", "8": "b", "9": "g"})


def _squash(text: str) -> str:
    """Lower case, look-alikes undone, everything but letters dropped: so
    "Pr3v-ent!" and "prevent" compare equal."""
    return re.sub(r"[^a-z]", "", text.lower().translate(_LOOKALIKES))


def _words_of(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z]+", text.lower()) if word]


def context_words(user=None) -> list[str]:
    """Every barred word, squashed, longest first (so an error names the whole
    name, not a piece of it)."""
    phrases = [settings.SERVICE_NAME, settings.COUNCIL_NAME, *SERVICE_WORDS,
               *getattr(settings, "PASSWORD_CONTEXT_WORDS", ())]
    if user is not None:
        organisation = getattr(user, "organisation", None) if getattr(user, "organisation_id", None) else None
        local_part = (getattr(user, "email", "") or "").partition("@")[0]
        phrases += [getattr(user, "full_name", "") or "", local_part]
        if organisation is not None:
            phrases.append(organisation.name)
    barred = set()
    for phrase in phrases:
        barred.add(_squash(phrase))
        barred.update(_squash(word) for word in _words_of(phrase) if word not in GENERIC_WORDS)
    return sorted((word for word in barred if len(word) >= MIN_WORD_LENGTH), key=lambda w: (-len(w), w))


class ContextWordsValidator:
    """Refuse a password containing a word from the context list (ASVS
    V6.1.2, V6.2.11), however it is capitalised or dressed up with digits and
    symbols standing in for letters."""

    def validate(self, password, user=None):
        squashed = _squash(password)
        for word in context_words(user):
            if word in squashed:
                raise ValidationError(
                    "Password must not include %(word)s. Do not use the name of this service, "
                    "the council or your organisation, words about Prevent work, or your own "
                    "name or email address",
                    code="password_context_word", params={"word": f"“{word}”"},
                )

    def get_help_text(self):
        return ("Your password must not include the name of this service, the council or your "
                "organisation, words about Prevent work, or your own name or email address.")


class BreachedPasswordValidator:
    """Refuse a password that has appeared in a known data breach (ASVS
    V6.2.12), using the k-anonymity range API of Pwned Passwords at
    settings.PASSWORD_BREACH_CHECK_URL: only the first 5 hex characters of the
    password's SHA-1 are sent, and the answer lists every breached hash
    starting with them, which is compared here.

    When the API cannot be reached the password is accepted and a warning
    logged: refusing would stop everyone setting a password while a third
    party is down, and the other validators still apply.
    """

    PREFIX_LENGTH = 5

    def validate(self, password, user=None):
        url = getattr(settings, "PASSWORD_BREACH_CHECK_URL", "")
        if not url:
            return
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        prefix, suffix = digest[:self.PREFIX_LENGTH], digest[self.PREFIX_LENGTH:]
        try:
            body = self._range(url, prefix)
        except (OSError, ValueError) as error:  # URLError, timeouts and bad answers
            logger.warning("Breached-password check skipped: %s unreachable (%s)", url, error)
            return
        for line in body.splitlines():
            found, _, count = line.strip().partition(":")
            # Padding lines (Add-Padding) carry a count of 0 and are not breaches.
            if found.upper() == suffix and count.strip() not in ("", "0"):
                raise ValidationError(
                    "This password has appeared in a data breach elsewhere, so it is not safe to "
                    "use. Choose a different password",
                    code="password_breached",
                )

    def _range(self, url: str, prefix: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - the address is a setting, https in production
            url.rstrip("/") + "/" + prefix,
            headers={"Add-Padding": "true", "User-Agent": settings.SERVICE_NAME},
        )
        timeout = getattr(settings, "PASSWORD_BREACH_CHECK_TIMEOUT", 3)
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read(1_000_000).decode("ascii")

    def get_help_text(self):
        return "Your password must not be one that has appeared in a data breach."
