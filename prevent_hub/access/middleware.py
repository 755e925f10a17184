from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .checks import can, deny

# The API authenticates its own bearer tokens and declares scopes per endpoint.
STAFF_PREFIX = "/staff/"


def view_action(view_func):
    """The action a view declared with @requires (function or class view)."""
    action = getattr(view_func, "access_action", None)
    if action is None:
        action = getattr(getattr(view_func, "view_class", None), "access_action", None)
    return action


def demo_may_skip_second_factor(user) -> bool:
    """Only in demo mode (debug and demo data both on), only demo accounts."""
    from prevent_hub.accounts.demo import is_demo_account

    return settings.DEBUG and settings.DEMO_MODE and is_demo_account(user)


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
        from prevent_hub.accounts.second_factor import has_confirmed_device

        name = "accounts:second-factor" if has_confirmed_device(user) else "accounts:second-factor-setup"
        return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


class AccessMiddleware:
    """Deny by default under /staff/.

    Anonymous visitors go to sign-in. Signed-in users need the view to declare
    an action with @requires and a role that allows it; anything else is a
    403, written to the audit trail.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(STAFF_PREFIX):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        action = view_action(view_func)
        if action is None or not can(request.user, action):
            deny(request, action or "undeclared")
        return None
