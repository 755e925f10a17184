"""Vulnerability Assessment Framework assessments and their comparison."""

urlpatterns = []
