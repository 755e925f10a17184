"""The Prevent team's triage: queue, referral pages, police sharing, gateway outcome."""

from django.urls import path

from ..views import reporting, triage

app_name = "triage"
urlpatterns = [
    path("", triage.queue, name="queue"),
    path("export.csv", triage.export, name="export"),
    path("<str:reference>/", triage.referral_detail, name="referral"),
    path("<str:reference>/attachments/<int:pk>/", triage.attachment, name="attachment"),
    path("<str:reference>/referral.pdf", triage.referral_pdf_download, name="referral-pdf"),
    path("<str:reference>/share-with-police/", triage.share, name="share"),
    path("<str:reference>/gateway-outcome/", triage.gateway_outcome, name="gateway-outcome"),
    path("<str:reference>/reporting-details/", reporting.reporting_details, name="reporting-details"),
]
