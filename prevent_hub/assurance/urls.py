"""The Prevent duty assurance summary (under /staff/assurance/)."""

app_name = "assurance"

urlpatterns = []
