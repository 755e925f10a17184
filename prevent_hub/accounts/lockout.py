"""Lockout (django-axes) helpers: which account an attempt names, and when
its lockout ends."""

from axes.models import AccessAttempt
from django.conf import settings


def lockout_username(request, credentials=None) -> str:
    """The account a sign-in attempt names, as axes should count it: email
    addresses are case-insensitive here, so 'Sam@…' and 'sam@…' share one
    count (settings: AXES_USERNAME_CALLABLE)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = (credentials or {}).get(field) or (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get(field, "")
    return (typed or "").strip().lower()


def lockout_ends(username: str):
    """When the account's lockout ends, or None if it is not known."""
    if not username:
        return None
    attempt = (AccessAttempt.objects.filter(username__iexact=username, expiration__isnull=False)
               .select_related("expiration").order_by("-expiration__expires_at").first())
    return attempt.expiration.expires_at if attempt else None
