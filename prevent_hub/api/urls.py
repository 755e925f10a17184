"""The partner API (/api/v1/) and the staff page for API tokens (/staff/api-tokens/)."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.http import require_GET

from . import problems, views
from .api import api

logger = logging.getLogger(__name__)

app_name = "api"


def api_view(view):
    """Every URL under /api/: no sign-in redirect (the API answers 401 itself),
    no CSRF check, every answer problem+json, even from outside ninja's
    own handlers, and plain HTTP refused where API_REQUIRE_HTTPS is on."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.API_REQUIRE_HTTPS and not request.is_secure():
            # Refused, not redirected (SECURE_REDIRECT_EXEMPT): the token has
            # already crossed the network in the clear, and a client that
            # silently followed a redirect would never be fixed.
            logger.warning("Partner API called over plain HTTP: %s %s", request.method, request.path)
            return problems.problem(
                request, problems.HTTPS_REQUIRED,
                "Call the API at its https:// address. If this request carried a token, it was sent "
                "unencrypted: ask the council's system administrator to revoke it and issue a new one.")
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _not_found(request)
        except Exception:
            logger.exception("Partner API error on %s %s", request.method, request.path)
            return problems.server_error(request)
        if response.status_code == 405 and response.get("Content-Type") != problems.PROBLEM_CONTENT_TYPE:
            return problems.problem(
                request, problems.METHOD_NOT_ALLOWED,
                f"{request.method} is not allowed here. Allowed: {response.get('Allow', '')}.",
                headers={"Allow": response.get("Allow", "")})
        return response

    # Bearer tokens, never the session cookie: nothing for CSRF to protect.
    wrapped.csrf_exempt = True
    return login_not_required(wrapped)


def _not_found(request, *args, **kwargs):
    return problems.problem(request, problems.NOT_FOUND, "There is nothing here, or you may not see it.")


def api_urls(partner_api):
    """A PartnerAPI's URL patterns, each wrapped by api_view, for include()."""
    patterns, app, namespace = partner_api.urls
    wrapped = []
    for pattern in patterns:
        view = pattern.callback
        if pattern.name == "openapi-json":
            view = require_GET(view)  # readable without a token
        wrapped.append(URLPattern(pattern.pattern, api_view(view), pattern.default_args, pattern.name))
    return (wrapped, app), namespace


_patterns, _namespace = api_urls(api)

urlpatterns = [
    path("api/v1/", include(_patterns, namespace=_namespace)),
    # Anything else under /api/ is a problem+json 404, not the public site's page.
    re_path(r"^api(?:/.*)?$", api_view(_not_found)),
    path("staff/api-tokens/", views.token_list, name="tokens"),
    path("staff/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
