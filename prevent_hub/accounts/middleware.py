from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from prevent_hub.access.middleware import STAFF_PREFIX
from prevent_hub.audit.services import audit_pending_write

from .demo import is_demo_account
from .second_factor import has_confirmed_device
from .selectors import absolute_lifetime_description


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, also writing the request's audited reads
    (audit.services.audit_read) before the response leaves.

    They are written inside the session update's own transaction (see
    models.Session.save): an audited page then costs no extra commit. When the
    session is not saved (a visitor without one), they are written on their own.
    An error writing them replaces the response, so no read goes unrecorded.
    """

    def process_response(self, request, response):
        pending = getattr(request, "audit_pending", None)
        if pending and hasattr(request, "session"):
            request.session.audit_pending = pending
        response = super().process_response(request, response)
        if pending:
            with transaction.atomic():
                audit_pending_write(pending)
        return response


def demo_may_skip_second_factor(user) -> bool:
    """Only in demo mode (which production refuses to start with), only demo accounts."""
    return settings.DEMO_MODE and is_demo_account(user)


def staff_is_verified(user) -> bool:
    """Signed in with a verified second factor (or a demo account allowed to skip it)."""
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified()) or demo_may_skip_second_factor(user)


class SecondFactorMiddleware:
    """Every staff page needs a verified second factor: users who have one are
    asked for a code, users who have none are taken to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not request.path_info.startswith(STAFF_PREFIX) or not user.is_authenticated:
            return None
        if user.is_verified() or demo_may_skip_second_factor(user):
            return None
        name = "accounts:second-factor" if has_confirmed_device(user) else "accounts:second-factor-setup"
        return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def absolute_lifetime() -> timedelta:
    return timedelta(hours=settings.SESSION_ABSOLUTE_LIFETIME_HOURS)


class AbsoluteSessionLifetimeMiddleware:
    """End a signed-in session a fixed time after sign-in however busy it has
    been (settings.SESSION_ABSOLUTE_LIFETIME_HOURS; the idle timeout alone
    never ends a session in constant use).

    The next page asked for signs the person out, says why, and goes to
    sign-in with `next` set, so they come back where they were. A form sent
    after the limit is still handled, up to one idle timeout after it, so
    what someone was typing when the limit passed is saved (or shown back
    with its errors to correct): once it is saved the session ends, and
    sign-in returns them to where the form was going. Signing out is audited
    as any sign-out is (audit.signals).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asking who the user is loads the session, which notes its start.
        if not request.user.is_authenticated:
            return self.get_response(request)
        started = getattr(request.session, "started_at", None)
        if started is None:
            return self.get_response(request)
        deadline = started + absolute_lifetime()
        now = timezone.now()
        if now < deadline:
            return self.get_response(request)
        grace_ends = deadline + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        if request.method in SAFE_METHODS or now >= grace_ends:
            return self._sign_out(request, request.get_full_path())
        response = self.get_response(request)
        if response.status_code in (301, 302, 303) and response.get("Location", "").startswith("/"):
            return self._sign_out(request, response["Location"])
        return response

    @staticmethod
    def _sign_out(request, next_url):
        logout(request)
        messages.info(
            request,
            f"You have been signed out because you signed in more than {absolute_lifetime_description()} "
            "ago. Sign in again to carry on.",
        )
        return redirect_to_login(next_url, settings.LOGIN_URL)
