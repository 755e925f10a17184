"""The public booking request and the booker's own pages (under /venue-hire/)."""

from django.urls import path

from . import public_views

app_name = "venue-hire"

urlpatterns = [
    path("booking/<str:token>/", public_views.booking, name="booking"),
]
