from django.http import HttpResponse
from django.urls import path

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal


# Placeholder until the learner pages land (replaced by the learners branch).
@requires(Action.TRAINING_OWN_RECORD)
@shows_nothing_personal("placeholder")
def own(request):
    return HttpResponse("Your training")


urlpatterns = [path("yours/", own, name="own")]
