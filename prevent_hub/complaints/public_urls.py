"""The public complaint form (under /complaints/; /complaints/ itself is the
public information page, public:complaints, with the start button)."""

from django.urls import path

from . import public_views as views

app_name = "complain"

urlpatterns = [
    path("make-a-complaint/", views.start, name="start"),
    path("make-a-complaint/check-your-answers/", views.check, name="check"),
    path("make-a-complaint/sent/", views.sent, name="sent"),
    path("make-a-complaint/<slug:page>/", views.question, name="page"),
]
