"""The partner API (/api/v1/) and the staff page for API tokens."""

app_name = "api"
urlpatterns = []
