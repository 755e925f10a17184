"""Going through the public complaint form with a test client, as a parent
complaining about their son's school would."""

import datetime

from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from prevent_hub.complaints.public_views import SESSION_KEY


def page_answers(**overrides) -> dict:
    """What the parent posts on each question page (page slug → POST data)."""
    happened = timezone.localdate() - datetime.timedelta(days=14)
    answers = {
        "about-you": {"complainant_name": "Pat Example-Parent", "relationship": "parent_or_carer",
                      "relationship_other": ""},
        "person-affected": {"affected_person_name": "Sam Example-Child"},
        "how-to-contact-you": {"contact_preference": "email"},
        "contact-details": {"email": "pat.parent@example.org"},
        "adjustments": {"adjustments_needed": "yes", "adjustments": "Letters in large print, please."},
        "what-happened": {"what_happened": "The school referred my son to Prevent without speaking to us "
                                           "first."},
        "when-it-happened": {"happened_on-day": str(happened.day), "happened_on-month": str(happened.month),
                             "happened_on-year": str(happened.year), "happened_when": ""},
        "organisation": {"organisation_kind": "school", "organisation_name": "Testford Example Academy"},
        "outcome": {"outcome_wanted": "An explanation and an apology."},
        "share-with-the-organisation": {"organisation_consent": "given"},
        "share-with-stacu": {"stacu_consent": "refused"},
    }
    for page, values in overrides.items():
        answers[page] = {**answers[page], **values}
    return answers


def page_url(page, **query) -> str:
    url = reverse("complain:page", kwargs={"page": page})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def post(client, page, data=None, **extra):
    return client.post(page_url(page), {**(data or {}), **extra})


def fill(client, answers=None, *, until=None, skip=()):
    """Answer each question page in order, stopping before `until`. Returns the last response."""
    response = None
    for page, data in (answers or page_answers()).items():
        if page == until:
            break
        if page in skip:
            continue
        response = post(client, page, data)
        assert response.status_code == 302, (page, error_summary_text(response))
    return response


def draft(client) -> dict:
    return client.session[SESSION_KEY]["draft"]


def send(client, draft_id=None):
    draft_id = draft_id or draft(client)["id"]
    return client.post(reverse("complain:check"), {"draft": draft_id})


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def main_text(response) -> str:
    return " ".join(soup(response).find("main").get_text(" ").split())


def error_summary_text(response) -> str:
    summary = soup(response).find(class_="govuk-error-summary")
    return " ".join(summary.get_text(" ").split()) if summary else ""


def inline_error(response, field) -> str:
    """The error message shown at the field (GOV.UK puts it in its form group)."""
    found = soup(response).find(id=f"id_{field}-error") or soup(response).find(id=f"{field}-error")
    return " ".join(found.get_text(" ").split()) if found else ""


def summary_link(response, message) -> str:
    """Where the error summary's link with this message goes."""
    return soup(response).find(class_="govuk-error-summary").find("a", string=message)["href"]
