import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import resolve, reverse

from .checks import can, deny

# The API authenticates its own bearer tokens and declares scopes per endpoint.
STAFF_PREFIX = "/staff/"


def view_action(view_func):
    """The action a view declared with @requires (function or class view)."""
    action = getattr(view_func, "access_action", None)
    if action is None:
        action = getattr(getattr(view_func, "view_class", None), "access_action", None)
    return action


@functools.cache
def url_name_action(url_name: str, kwarg_names: tuple[str, ...] = ()):
    """The action the view behind `url_name` declares, for links shown only
    to those who may follow them. Looked up once per name: resolving a path
    walks the URL patterns (ten links on a case page cost a millisecond),
    and which view a name leads to does not change while the process runs."""
    return view_action(resolve(reverse(url_name, kwargs=dict.fromkeys(kwarg_names, "1"))).func)


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
