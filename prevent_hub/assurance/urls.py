"""The Prevent duty assurance summary (under /staff/assurance/)."""
from django.http import HttpResponse
from django.urls import path

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal

app_name = "assurance"


# Placeholder until the summary lands (replaced by the assurance branch).
@requires(Action.ASSURANCE_VIEW)
@shows_nothing_personal("placeholder")
def summary(request):
    return HttpResponse("Prevent duty assurance")


urlpatterns = [path("", summary, name="summary")]
