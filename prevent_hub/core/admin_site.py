import inspect

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PreventHubAdminSite(admin.AdminSite):
    """Django admin, for system administrators with a verified second factor,
    reached only through our own sign-in."""

    site_header = "Prevent Hub administration"
    site_title = "Prevent Hub administration"
    index_title = "Administration"

    def has_permission(self, request):
        from prevent_hub.access import Action, can

        user = request.user
        return bool(user.is_active and user.is_verified() and can(user, Action.DJANGO_ADMIN))

    def get_urls(self):
        from prevent_hub.access import Action

        urls = super().get_urls()
        # Declare the action for AccessMiddleware, which refuses undeclared staff views.
        _declare(urls, Action.DJANGO_ADMIN)
        return urls

    def login(self, request, extra_context=None):
        # One sign-in page for the whole service, with its lockout and second factor.
        # (Imported here: this module loads with the app registry, before auth views can.)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", self.site_url or "/"))


def _declare(patterns, action):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _declare(pattern.url_patterns, action)
        elif not inspect.ismethod(pattern.callback):
            # Only the admin's own login (a bound method) is left out: it just
            # redirects to our sign-in.
            pattern.callback.access_action = action


class PreventHubAdminConfig(AdminConfig):
    default_site = "prevent_hub.core.admin_site.PreventHubAdminSite"
