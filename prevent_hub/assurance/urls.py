"""The Prevent duty assurance summary (under /staff/assurance/)."""
from django.urls import path

from . import views

app_name = "assurance"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("<int:year>/", views.summary, name="summary-year"),
    path("<int:year>/assurance.csv", views.summary_csv, name="summary-csv"),
    path("<int:year>/assurance.xlsx", views.summary_xlsx, name="summary-xlsx"),
]
