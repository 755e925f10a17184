"""Training compliance (under /staff/training/): the compliance table and
its downloads, and each organisation's learners with theirs."""
from django.urls import path

from . import compliance_views as views

O = "organisations/<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("compliance.csv", views.compliance_csv, name="compliance-csv"),
    path("compliance.xlsx", views.compliance_xlsx, name="compliance-xlsx"),
    path(O, views.organisation, name="organisation"),
    path(O + "learners.csv", views.organisation_csv, name="organisation-csv"),
    path(O + "learners.xlsx", views.organisation_xlsx, name="organisation-xlsx"),
]
