"""What the training page tests share: reading a page as a person would,
the files people upload, and the audit events a page writes."""

import io
import zipfile

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from prevent_hub.audit.models import AuditAction, AuditEvent

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX_TYPES = ('<Types><Override PartName="/word/document.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def words(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def main_words(response) -> str:
    return " ".join(soup(response).select_one("main").get_text(" ").split())


def error_summary(response) -> str:
    found = soup(response).find(class_="govuk-error-summary")
    return " ".join(found.get_text(" ").split()) if found else ""


def field_error(response, name) -> str:
    """The error message shown beside field `name`."""
    page = soup(response)
    field = page.find(attrs={"name": name}) or page.find(attrs={"name": f"{name}-day"})
    # A date's boxes each sit in a form group of their own, inside the date's.
    for group in field.find_parents(class_="govuk-form-group") if field else ():
        message = group.find(class_="govuk-error-message")
        if message:
            return " ".join(message.get_text(" ").split())
    return ""


def banner(response) -> str:
    found = soup(response).find(class_="govuk-notification-banner")
    return " ".join(found.get_text(" ").split()) if found else ""


def field_value(response, name) -> str:
    found = soup(response).find(["input", "textarea"], attrs={"name": name})
    if found is None:
        return ""
    return found.get("value", "") if found.name == "input" else found.get_text()


def links(response) -> set[str]:
    return {a["href"] for a in soup(response).find_all("a", href=True)}


def date_fields(name, day) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, "application/pdf")


def word_with_macros(name="certificate.docx"):
    """A .docx carrying a VBA project (as a macro-enabled document does)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", "macro")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/vnd.openxmlformats-officedocument."
                                                       "wordprocessingml.document")


def script_as_pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, b"<script>alert(1)</script>", "application/pdf")


def events(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def searches():
    return AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="training.learner")
