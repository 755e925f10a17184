from django.urls import path, re_path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    # Keep last.
    re_path(r"^(?P<path>.+)$", views.not_found, name="not-found"),
]
