from django.http import Http404

from prevent_hub.access import Action, requires


@requires(Action.COMPLAINT_VIEW)
def complaint_page(request, reference):
    raise Http404
