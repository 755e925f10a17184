"""Channel cases."""

app_name = "channel"
urlpatterns = []
