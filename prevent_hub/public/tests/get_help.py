"""Helpers for the "Get help or raise a concern" question tests."""

from django.urls import reverse

from prevent_hub.public.questions import BY_SLUG

START = reverse("public:get-help-start")
CHECK = reverse("public:get-help-check")
RESULT = reverse("public:get-help-result")


def question_url(slug, *, change=False):
    url = reverse("public:get-help-question", kwargs={"slug": slug})
    return f"{url}?change=yes" if change else url


def answer(client, slug, value, *, change=False):
    """Post one answer; returns the response (a redirect when it was accepted)."""
    key = BY_SLUG[slug].key
    return client.post(question_url(slug, change=change), {key: value} if value else {})


def walk(client, *steps):
    """Start afresh and answer each (slug, value) in turn, following the flow.

    Each answer must be accepted, and each question must be the one the flow
    asks next. Returns where the last answer leads.
    """
    location = client.get(START)["Location"]
    for slug, value in steps:
        assert location == question_url(slug), f"expected {slug}, the flow went to {location}"
        response = answer(client, slug, value)
        assert response.status_code == 302, f"{slug}={value} was not accepted"
        location = response["Location"]
    return location


# Answer paths by situation.
DANGER = [("immediate-danger", "yes")]
ONLINE_ONLY = [("immediate-danger", "no"), ("online-material", "yes"),
               ("worried-about-a-person", "no")]


def about_person(who, age, *, online=False):
    steps = [("immediate-danger", "no"), ("online-material", "yes" if online else "no")]
    if online:
        steps.append(("worried-about-a-person", "yes"))
    return [*steps, ("who-you-are", who), ("child-or-adult", age)]
