"""Staff pages for venue hire (under /staff/venues/)."""

app_name = "venues"

urlpatterns = []
