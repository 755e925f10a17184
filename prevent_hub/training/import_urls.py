"""Importing training completions from a spreadsheet (training administrators)."""

from django.urls import path

from . import import_views as views

urlpatterns = [
    path("imports/", views.imports_page, name="imports"),
    path("imports/example.csv", views.example_csv, name="import-example"),
    path("imports/<int:pk>/", views.import_page, name="import"),
    path("imports/<int:pk>/import/", views.import_start, name="import-start"),
]
