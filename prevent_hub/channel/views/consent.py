"""Consent to Channel support: asking, answers, withdrawal."""

urlpatterns = []
