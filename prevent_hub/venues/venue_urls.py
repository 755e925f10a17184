"""Venue administration, the dashboard and the calendars (under /staff/venues/)."""

from django.urls import path

from . import dashboard_views, venue_views

V = "venues/<int:pk>/"

urlpatterns = [
    # The dashboard, its CSV and the quarterly counts.
    path("", dashboard_views.dashboard, name="dashboard"),
    path("export.csv", dashboard_views.export, name="export"),
    path("counts/", dashboard_views.counts, name="counts"),
    path("counts.csv", dashboard_views.counts_export, name="counts-export"),
    # Calendars.
    path("calendars/", dashboard_views.calendars, name="calendars"),
    path(V + "calendar/", dashboard_views.calendar_month, name="calendar-month"),
    path(V + "calendar/week/", dashboard_views.calendar_week, name="calendar-week"),
    # Venues, rooms, opening hours and closures.
    path("venues/", venue_views.venue_list, name="venues"),
    path("venues/new/", venue_views.venue_new, name="venue-new"),
    path(V, venue_views.venue_detail, name="venue"),
    path(V + "change/", venue_views.venue_edit, name="venue-edit"),
    path(V + "rooms/new/", venue_views.room_new, name="room-new"),
    path(V + "rooms/<int:room_pk>/", venue_views.room_edit, name="room-edit"),
    path(V + "opening-hours/", venue_views.opening_hours, name="opening-hours"),
    path(V + "closures/new/", venue_views.closure_new, name="closure-new"),
    path(V + "closures/<int:closure_pk>/", venue_views.closure_detail, name="closure"),
    path(V + "closures/<int:closure_pk>/remove/", venue_views.closure_remove, name="closure-remove"),
    # Booking conditions and letters to bookers.
    path("conditions/", venue_views.conditions, name="conditions"),
    path("conditions/new/", venue_views.conditions_publish, name="conditions-publish"),
    path("conditions/<int:version>/", venue_views.conditions_version, name="conditions-version"),
    path("letters/", venue_views.letter_templates, name="letters"),
    path("letters/<slug:kind>/", venue_views.letter_template_edit, name="letter-edit"),
]
