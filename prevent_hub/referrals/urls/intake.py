"""Raising a concern: the public concern form, the practitioner referral form,
their drafts and secret resume links, and a signed-in user's own drafts.

Each form has the same set of pages, named intake:<prefix>-<page>, with
prefix "concern" (/raise-a-concern/, a member of the public) or "referral"
(/prevent-referral/, a practitioner).
"""

from django.urls import path

from prevent_hub.referrals.views import intake as views

app_name = "intake"


def _journey_urls(root, prefix):
    kwargs = {"prefix": prefix}
    return [
        path(f"{root}/", views.start, kwargs, name=f"{prefix}-start"),
        path(f"{root}/check-your-answers/", views.check, kwargs, name=f"{prefix}-check"),
        path(f"{root}/save/", views.save, kwargs, name=f"{prefix}-save"),
        path(f"{root}/saved/", views.saved, kwargs, name=f"{prefix}-saved"),
        path(f"{root}/sent/", views.submitted, kwargs, name=f"{prefix}-submitted"),
        path(f"{root}/resume/<str:token>/", views.resume, kwargs, name=f"{prefix}-resume"),
        path(f"{root}/attachments/<int:attachment_id>/remove/", views.attachment_remove, kwargs,
             name=f"{prefix}-attachment-remove"),
        path(f"{root}/<slug:page>/", views.question_with_uploads, kwargs, name=f"{prefix}-page"),
    ]


urlpatterns = [
    *_journey_urls("raise-a-concern", "concern"),
    *_journey_urls("prevent-referral", "referral"),
    path("prevent-referral/sent/copy.pdf", views.submitted_pdf, {"prefix": "referral"},
         name="referral-submitted-pdf"),
    path("staff/my-referrals/", views.my_drafts, name="my-drafts"),
    path("staff/my-referrals/<uuid:draft_id>/continue/", views.my_draft_continue, name="my-draft-continue"),
    path("staff/my-referrals/<uuid:draft_id>/delete/", views.my_draft_delete, name="my-draft-delete"),
]
