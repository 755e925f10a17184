from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
    path("records/<str:object_type>/<str:object_id>/", views.record_access, name="record-access"),
]
