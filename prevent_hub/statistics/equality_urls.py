"""Equality monitoring and the area's population figures (under /staff/statistics/)."""

from django.urls import path

from . import equality_views, population_views

urlpatterns = [
    path("equality/", equality_views.equality_page, name="equality"),
    path("equality/<int:year>/", equality_views.equality_page, name="equality-year"),
    path("equality/<int:year>/equality.csv", equality_views.equality_download, name="equality-download"),
    path("population/", population_views.population_list, name="population"),
    path("population/example.csv", population_views.population_example, name="population-example"),
    path("population/load/", population_views.population_load, name="population-load"),
    path("population/load/confirm/", population_views.population_load_confirm,
         name="population-load-confirm"),
    path("population/<int:year>/", population_views.population_set, name="population-set"),
]
