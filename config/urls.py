from django.contrib import admin
from django.urls import include, path

from prevent_hub.core.views import favicon, healthz, security_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("", include("prevent_hub.accounts.urls")),
    path("staff/django-admin/", admin.site.urls),
    path("staff/administration/", include("prevent_hub.administration.urls")),
    path("staff/audit/", include("prevent_hub.audit.urls")),
    path("staff/referrals/", include("prevent_hub.referrals.urls.triage")),
    path("staff/people/", include("prevent_hub.people.urls")),
    path("staff/cases/", include("prevent_hub.channel.urls")),
    path("staff/panels/", include("prevent_hub.panels.urls")),
    path("staff/venues/", include("prevent_hub.venues.urls")),
    path("staff/complaints/", include("prevent_hub.complaints.urls")),
    path("staff/training/", include("prevent_hub.training.urls")),
    path("staff/assurance/", include("prevent_hub.assurance.urls")),
    path("staff/statistics/", include("prevent_hub.statistics.urls")),
    path("staff/referral-imports/", include("prevent_hub.legacy_import.urls")),
    path("staff/rights/", include("prevent_hub.rights.urls")),
    path("staff/records/", include("prevent_hub.records.urls")),
    path("", include("prevent_hub.api.urls")),
    path("", include("prevent_hub.referrals.urls.intake")),
    path("venue-hire/", include("prevent_hub.venues.public_urls")),
    path("complaints/", include("prevent_hub.complaints.public_urls")),
    path("staff/", include("prevent_hub.staff.urls")),
    path("", include("prevent_hub.public.urls")),
]
