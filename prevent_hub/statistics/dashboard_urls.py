"""The statistics dashboard (under /staff/statistics/; the app's urls.py
names them "statistics:...")."""

from django.urls import path

from . import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("categories/", dashboard_views.categories, name="categories"),
    path("<int:year>/", dashboard_views.dashboard, name="year"),
    path("<int:year>/download.<str:file_format>", dashboard_views.download, name="download"),
]
