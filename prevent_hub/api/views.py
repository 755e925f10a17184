"""The staff page for partner API tokens: see them all, revoke one.

Tokens are issued with `manage.py create_api_token` (the token is printed
once, on the server), never on a page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.core.formatting import govuk_date, govuk_datetime

from . import selectors, services
from .models import ApiScope


def _breadcrumbs(*trail):
    items = [
        {"text": "Home", "href": reverse("staff:home")},
        {"text": "Administration", "href": reverse("administration:index")},
    ]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _scope_labels(token):
    labels = dict(ApiScope.choices)
    return [f"{labels.get(scope, scope)} ({scope})" for scope in token.scopes]


def _row(token):
    return {
        "token": token,
        "scopes": _scope_labels(token),
        "created": govuk_date(token.created_at),
        "last_used": govuk_datetime(token.last_used_at, empty="Never"),
        "revoked": govuk_date(token.revoked_at),
    }


@requires(Action.API_TOKENS_MANAGE)
@require_GET
@shows_many("api.apitoken", part="partner API tokens")
def token_list(request):
    tokens = selectors.api_token_list(user=request.user)
    rows = [_row(token) for token in tokens]
    return render(request, "api/token_list.html", {
        "rows": rows, "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.API_TOKENS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("api.apitoken", part="revoke token confirmation")
def token_revoke(request, pk):
    token = selectors.api_token_get(user=request.user, pk=pk)
    if token is None:
        raise Http404("No such token")
    if request.method == "POST" and token.is_active:
        services.api_token_revoke(token=token, acting_user=request.user)
        messages.success(request, f"Token {token.prefix}… is revoked. Calls using it are now refused.")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {
        "row": _row(token),
        "breadcrumbs": _breadcrumbs(("API tokens", reverse("api:tokens"))),
    })
