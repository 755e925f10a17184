"""A URLconf with views that forget to declare an action, for the deny-by-default tests."""

from django.http import HttpResponse
from django.urls import include, path

from prevent_hub.access import Action, requires


def undeclared(request):
    return HttpResponse("should never be seen")


@requires(Action.AUDIT_SEARCH)
def auditors_only(request):
    return HttpResponse("audit ok")


urlpatterns = [
    path("staff/undeclared/", undeclared),
    path("staff/auditors-only/", auditors_only),
    path("", include("config.urls")),
]
