"""Person records and repeat-referral matching."""

app_name = "people"
urlpatterns = []
