"""The public booking request and the booker's own pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


@login_not_required
def booking(request, token):
    raise Http404
