from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from prevent_hub.access.middleware import STAFF_PREFIX
from prevent_hub.audit.services import audit_pending_write

from .demo import is_demo_account
from .second_factor import has_confirmed_device


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
