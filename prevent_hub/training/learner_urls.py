"""Learners and their completions (training administrators and
organisations' training leads), and every signed-in user's own record.
"learners/add/" comes before "learners/<reference>/", which would
otherwise take it for a reference."""

from django.urls import path

from . import learner_views as views
from . import own_views

L = "learners/<str:reference>/"

urlpatterns = [
    path("learners/", views.learners, name="learners"),
    path("learners/add/", views.learner_add, name="learner-add"),
    path(L, views.learner_page, name="learner"),
    path(L + "edit/", views.learner_edit, name="learner-edit"),
    path(L + "left/", views.learner_left, name="learner-left"),
    path(L + "completions/add/", views.completion_add, name="completion-add"),
    path(L + "completions/<int:pk>/evidence/", views.completion_evidence, name="completion-evidence"),
    path(L + "completions/<int:pk>/remove/", views.completion_remove, name="completion-remove"),
    path("yours/", own_views.own, name="own"),
    path("yours/add/", own_views.own_add, name="own-add"),
    path("yours/completions/<int:pk>/evidence/", own_views.own_evidence, name="own-evidence"),
]
