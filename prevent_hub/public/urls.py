from django.urls import path

from . import views
from .views import PublicPage

app_name = "public"

# (path, url name, template) for each page of public information.
PAGES = [
    ("", "home", "public/home.html"),
    ("channel/", "channel", "public/channel.html"),
    ("get-help/", "get-help", "public/get_help.html"),
    ("online-radicalisation/", "online-radicalisation", "public/online_radicalisation.html"),
    ("practitioners/", "practitioners", "public/practitioners.html"),
    ("venue-hire/", "venue-hire", "public/venue_hire.html"),
    ("complaints/", "complaints", "public/complaints.html"),
    ("privacy/", "privacy", "public/privacy.html"),
    ("accessibility/", "accessibility", "public/accessibility.html"),
    ("cookies/", "cookies", "public/cookies.html"),
    ("feedback/", "feedback", "public/feedback.html"),
]

urlpatterns = [
    path(route, PublicPage.as_view(template_name=template), name=name)
    for route, name, template in PAGES
]

# "Get help or raise a concern": the guided questions (see questions.py).
urlpatterns += [
    path("get-help/questions/", views.get_help_start, name="get-help-start"),
    path("get-help/questions/check-your-answers/", views.get_help_check, name="get-help-check"),
    path("get-help/questions/who-can-help/", views.get_help_result, name="get-help-result"),
    path("get-help/questions/<slug:slug>/", views.get_help_question, name="get-help-question"),
]
