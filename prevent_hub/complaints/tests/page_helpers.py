"""What the complaint page tests share: a browser per signed-in user, the
page's addresses, and reading a page as a person would."""

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.audit.models import AuditAction, AuditEvent


def browser_for(user) -> Client:
    """A client signed in (both factors) as `user`: one per person in a test."""
    client = Client()
    sign_in(client, user)
    client.user = user
    return client


def url(name, complaint, **kwargs) -> str:
    return reverse(f"complaints:{name}", kwargs={"reference": complaint.reference, **kwargs})


def words(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def error_summary(response) -> str:
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return " ".join(summary.get_text(" ").split()) if summary else ""


def banner(response) -> str:
    found = BeautifulSoup(response.content, "html5lib").find(class_="govuk-notification-banner--success")
    return " ".join(found.get_text(" ").split()) if found else ""


def field_value(response, name) -> str:
    """What a text box or textarea on the page holds."""
    soup = BeautifulSoup(response.content, "html5lib")
    found = soup.find(["input", "textarea"], attrs={"name": name})
    if found is None:
        return ""
    return found.get("value", "") if found.name == "input" else found.get_text()


def links(response) -> set[str]:
    return {a["href"] for a in BeautifulSoup(response.content, "html5lib").find_all("a", href=True)}


def views_of(complaint):
    return AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk),
                                     action=AuditAction.VIEW)


def date_fields(name, day) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}
