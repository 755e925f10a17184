"""Emails to account holders: a link to reset a forgotten password, and a link
for a new account to set its first password (the administration screens call
`send_set_password_email` when they create a user).

Both are sent by a background task after the current transaction commits, so
a rolled-back account creation sends nothing and the reset page takes the same
time whether or not the address has an account.
"""

from django.db import transaction

from .models import User
from .tasks import password_link_email_send


def _base_url(request) -> str:
    # The host was checked against ALLOWED_HOSTS when the request arrived.
    return request.build_absolute_uri("/")


def _enqueue(user: User, request, purpose: str) -> None:
    if not user.is_active:
        return
    kwargs = {"user_id": user.pk, "purpose": purpose, "base_url": _base_url(request)}
    transaction.on_commit(lambda: password_link_email_send.enqueue(**kwargs))


def send_set_password_email(user: User, request) -> None:
    """Invite a new account holder to set their password (then their second factor)."""
    _enqueue(user, request, "set")


def send_password_reset_email(user: User, request) -> None:
    _enqueue(user, request, "reset")
