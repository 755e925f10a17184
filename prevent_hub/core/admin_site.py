from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PreventHubAdminSite(admin.AdminSite):
    """Django admin, reached only through our own sign-in."""

    site_header = "Prevent Hub administration"
    site_title = "Prevent Hub administration"
    index_title = "Administration"

    def login(self, request, extra_context=None):
        # One sign-in page for the whole service, with its lockout and second factor.
        # (Imported here: this module loads with the app registry, before auth views can.)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", self.site_url or "/"))


class PreventHubAdminConfig(AdminConfig):
    default_site = "prevent_hub.core.admin_site.PreventHubAdminSite"
