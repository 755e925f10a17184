"""The public complaint form (helper A builds these)."""

app_name = "complain"

urlpatterns = []
