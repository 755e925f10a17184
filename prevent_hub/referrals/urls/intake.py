"""Raising a concern: the public concern form, the practitioner referral form,
their drafts and secret resume links, and a signed-in user's own drafts."""

app_name = "intake"
urlpatterns = []
