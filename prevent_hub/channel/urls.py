"""Channel cases."""

from django.urls import path

from . import views

app_name = "channel"
urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
]
