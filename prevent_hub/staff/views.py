from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "staff/home.html")


def not_found(request, path):
    """Unknown staff URLs need sign-in first, so the staff area's shape is not
    revealed to anonymous visitors; signed in, they are a plain 404."""
    raise Http404(path)
