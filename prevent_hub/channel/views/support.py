"""The support plan (s.36(5)), its providers and actions, and delivery of sessions."""

urlpatterns = []
