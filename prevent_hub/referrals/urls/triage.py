"""The Prevent team's triage: queue, referral pages, police sharing, gateway outcome."""

app_name = "triage"
urlpatterns = []
