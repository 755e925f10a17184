from django.http import HttpResponse
from django.urls import path

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal


# Placeholder until the compliance pages land (replaced by the compliance branch).
@requires(Action.TRAINING_VIEW)
@shows_nothing_personal("placeholder")
def home(request):
    return HttpResponse("Training")


urlpatterns = [path("", home, name="home")]
