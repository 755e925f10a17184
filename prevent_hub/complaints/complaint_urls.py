"""The complaint page and every step on it, recording a complaint received
other than online, and the wording of letters. "record/" and
"letter-wording/" come before "<reference>/", which would otherwise take
them for references."""

from django.urls import path

from . import complaint_views as views

C = "<str:reference>/"

urlpatterns = [
    path("record/", views.record, name="record"),
    path("letter-wording/", views.letter_templates, name="letter-templates"),
    path("letter-wording/<slug:kind>/", views.letter_template, name="letter-template"),
    path(C, views.complaint_page, name="complaint"),
    # Triage: scope, the record it concerns, consent, sharing, closing.
    path(C + "triage/", views.triage, name="complaint-triage"),
    path(C + "link/", views.link, name="complaint-link"),
    path(C + "unlink/", views.unlink, name="complaint-unlink"),
    path(C + "consent/", views.consent, name="complaint-consent"),
    path(C + "acknowledge/", views.acknowledge, name="complaint-acknowledge"),
    path(C + "pass-on/", views.pass_on, name="complaint-pass-on"),
    path(C + "share-with-stacu/", views.share_with_stacu, name="complaint-share-with-stacu"),
    path(C + "signpost/", views.signpost, name="complaint-signpost"),
    path(C + "extend/", views.extend, name="complaint-extend"),
    path(C + "withdraw/", views.withdraw, name="complaint-withdraw"),
    # The investigation. Notes have no page of their own: they are never edited.
    path(C + "investigator/", views.investigator, name="complaint-investigator"),
    path(C + "notes/add/", views.note_add, name="complaint-note-add"),
    path(C + "documents/add/", views.document_add, name="complaint-document-add"),
    path(C + "documents/<int:pk>/", views.document, name="complaint-document"),
    path(C + "points/add/", views.point_add, name="complaint-point-add"),
    path(C + "points/<int:number>/finding/", views.finding, name="complaint-finding"),
    path(C + "conclusions/", views.conclusions, name="complaint-conclusions"),
    # Letters.
    path(C + "response/", views.response, name="complaint-response"),
    path(C + "letters/<int:pk>/", views.letter, name="complaint-letter"),
]
