"""Person records, people search and repeat-referral matching (mounted at /staff/people/)."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/merge/<int:other>/", views.merge_confirm, name="merge-confirm"),
    path("<int:pk>/not-the-same-as/<int:other>/", views.not_same, name="not-same"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("identify/<str:reference>/", views.identify, name="identify"),
]
