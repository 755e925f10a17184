"""Importing referrals from the council's earlier records (mounted at /staff/referral-imports/)."""

from django.urls import path

from . import views

app_name = "legacy_import"
urlpatterns = [
    path("", views.imports_page, name="imports"),
    path("example.csv", views.example_csv, name="example"),
    path("<int:pk>/", views.import_page, name="import"),
    path("<int:pk>/import/", views.import_start, name="import-start"),
]
