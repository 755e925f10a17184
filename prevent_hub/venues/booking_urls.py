"""The officer's pages for one booking (ASK → CHECK → DECIDE), included by
urls.py under /staff/venues/."""

from django.urls import path

from . import booking_views as views

B = "bookings/<str:reference>/"

urlpatterns = [
    path(B, views.booking_detail, name="booking"),
    path(B + "promotion/<int:pk>/", views.promotion_file, name="booking-promotion-file"),
    path(B + "checks/<str:line>/", views.check_record, name="booking-check"),
    path(B + "checks/<str:line>/evidence/", views.evidence_add, name="booking-evidence-add"),
    path(B + "evidence/<int:pk>/", views.evidence_file, name="booking-evidence-file"),
    path(B + "escalate/", views.escalate, name="booking-escalate"),
    path(B + "escalations/<int:pk>/advice/", views.advise, name="booking-advise"),
    path(B + "decide/", views.decide, name="booking-decide"),
    path(B + "appeals/<int:pk>/decide/", views.appeal_decide, name="booking-appeal-decide"),
    path(B + "cancel/", views.cancel, name="booking-cancel"),
    path(B + "letters/new/", views.letter_new, name="booking-letter-new"),
    path(B + "letters/new/<str:kind>/", views.letter_write, name="booking-letter-write"),
    path(B + "letters/<int:pk>/", views.letter, name="booking-letter"),
]
