"""The complaints dashboard, counts and export (helper C builds these)."""

urlpatterns = []
