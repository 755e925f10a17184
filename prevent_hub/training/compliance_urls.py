"""Training compliance (under /staff/training/): the compliance table and
its downloads, and each organisation's learners with theirs."""
from django.urls import path

from . import compliance_views as views

ORGANISATION = "organisations/<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("compliance.csv", views.compliance_csv, name="compliance-csv"),
    path("compliance.xlsx", views.compliance_xlsx, name="compliance-xlsx"),
    path(ORGANISATION, views.organisation, name="organisation"),
    path(ORGANISATION + "learners.csv", views.organisation_csv, name="organisation-csv"),
    path(ORGANISATION + "learners.xlsx", views.organisation_xlsx, name="organisation-xlsx"),
]
