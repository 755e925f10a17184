"""Person records and repeat-referral matching (mounted at /staff/people/)."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("identify/<str:reference>/", views.identify, name="identify"),
]
