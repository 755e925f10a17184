"""Where and in what a session started, for the 'your sessions' list on the
account page. Recorded once at sign-in; the session store keeps it after that."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from prevent_hub.core.network import client_ip

from .models import Session


@receiver(user_logged_in, dispatch_uid="accounts.session_started")
def record_session_start(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return
    # login() has just cycled the key, which saved the new row.
    Session.objects.filter(session_key=key).update(
        user=user,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        created_at=timezone.now(),
    )
