"""The complaints dashboard, its CSV, and the quarterly counts with theirs.
These come before the complaint pages' "<reference>/", so "counts/" is
never read as a reference."""
from django.urls import path

from . import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("export.csv", dashboard_views.export, name="export"),
    path("counts/", dashboard_views.counts, name="counts"),
    path("counts.csv", dashboard_views.counts_export, name="counts-export"),
]
