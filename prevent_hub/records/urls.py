from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.hold_place, name="hold-place"),
    path("holds/<int:pk>/", views.hold_detail, name="hold"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold-lift"),
    path("retention-runs/", views.runs, name="runs"),
    path("retention-runs/preview/", views.run_preview, name="run-preview"),
    path("retention-runs/<int:pk>/", views.run_detail, name="run"),
    path("retention-runs/<int:pk>/report.csv", views.run_csv, name="run-csv"),
]
