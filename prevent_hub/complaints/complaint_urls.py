"""The complaint page and everything done on it (helper B builds these)."""
from django.urls import path

from . import complaint_views

urlpatterns = [
    path("<str:reference>/", complaint_views.complaint_page, name="complaint"),
]
