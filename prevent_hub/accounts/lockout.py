"""Lockout (django-axes) helpers: which account an attempt names, and when
its lockout ends."""

from axes.models import AccessAttempt
from django.conf import settings

from prevent_hub.core.email_addresses import canonical_email


def lockout_username(request, credentials=None) -> str:
    """The account a sign-in attempt names, as axes should count it: email
    addresses count in their canonical form (core.email_addresses), the one
    sign-in looks accounts up by, so 'Sam@…', 'sam@…' and 'ſam@…' share one
    count (settings: AXES_USERNAME_CALLABLE)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = (credentials or {}).get(field) or (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get(field, "")
    return canonical_email(typed or "")


def lockout_ends(username: str):
    """When the account's lockout ends, or None if it is not known."""
    if not username:
        return None
    attempt = (AccessAttempt.objects.filter(username=canonical_email(username), expiration__isnull=False)
               .select_related("expiration").order_by("-expiration__expires_at").first())
    return attempt.expiration.expires_at if attempt else None
