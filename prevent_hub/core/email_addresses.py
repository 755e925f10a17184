"""One canonical form for the email addresses people sign in with.

Sign-in, lockout, password reset, account creation and the audit trail all
compare addresses in this form, and accounts store it, so a look-alike letter
can neither reach someone else's account nor count as another name for the
lockout (an outside review found "ſam@…" (long s) reaching "sam@…" through
the database's UPPER() on PostgreSQL while the lockout counted it apart).

The form is Unicode NFKC (compatibility letters such as ſ, the Kelvin sign or
fullwidth letters become their plain ones), then case-folded, trimmed.
"""

import unicodedata


def canonical_email(typed: str) -> str:
    return unicodedata.normalize("NFKC", (typed or "").strip()).casefold()


def plain_email_problem(address: str) -> str:
    """Why an address may not name a new account, or "". Only plain ASCII
    addresses are given accounts, so no two can look alike."""
    if not address.isascii():
        return ("Enter an email address using only the letters a to z, numbers and the "
                "symbols . _ % + - @")
    return ""
