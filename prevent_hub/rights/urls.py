from django.urls import path

from . import views

app_name = "rights"

R = "<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.request_new, name="request-new"),
    path("approvals/", views.approvals, name="approvals"),
    path(R, views.request_detail, name="request"),
    path(R + "identity/", views.request_verify, name="request-verify"),
    path(R + "person/", views.request_person, name="request-person"),
    path(R + "venue-bookings/", views.request_venue_bookings, name="request-venue-bookings"),
    path(R + "complaints/", views.request_complaints, name="request-complaints"),
    path(R + "training-records/", views.request_learners, name="request-learners"),
    path(R + "extend/", views.request_extend, name="request-extend"),
    path(R + "decision/", views.request_decide, name="request-decide"),
    path(R + "restriction/lift/", views.restriction_lift, name="request-restriction-lift"),
    path(R + "bundle/", views.bundle_detail, name="bundle"),
    path(R + "bundle/prepare/", views.bundle_prepare, name="bundle-prepare"),
    path(R + "bundle/redact/<str:item_key>/<str:field_key>/", views.bundle_redact, name="bundle-redact"),
    path(R + "bundle/redactions/<int:redaction_pk>/remove/", views.redaction_remove,
         name="bundle-redaction-remove"),
    path(R + "bundle/approve/", views.bundle_approve, name="bundle-approve"),
    path(R + "bundle/release/", views.bundle_release, name="bundle-release"),
    path(R + "bundle.pdf", views.bundle_pdf_download, name="bundle-pdf"),
    path(R + "bundle.json", views.bundle_json_download, name="bundle-json"),
]
