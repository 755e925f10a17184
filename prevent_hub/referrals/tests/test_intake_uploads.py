"""Attachments: accepted for what they contain (never their name or claimed
type), limited in size and number, shown by a cleaned name, stored under a
random one, and moved to the referral when it is sent."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from prevent_hub.core.tests.ole_files import ole_with_vba_project
from prevent_hub.core.uploads import (
    DOC,
    DOCX,
    ODT,
    attachment_check,
    content_type_of,
    display_name,
    download_name,
    stored_path,
)
from prevent_hub.referrals.models import Referral, ReferralAttachment

from .factories import TINY_PDF, ReferralAttachmentFactory
from .intake_helpers import PRACTITIONER_ANSWERS, fill, page_url, submit

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"


def zipped(entries, *, stored_first=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


DOCX_TYPES = (
    '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_BYTES = zipped([("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", "<Relationships/>"),
                     ("word/document.xml", "<w:document/>")])
# LibreOffice writes the parts in another order, which filetype alone misses.
DOCX_OTHER_ORDER = zipped([("_rels/.rels", "<Relationships/>"), ("docProps/app.xml", "<x/>"),
                           ("docProps/core.xml", "<x/>"), ("customXml/item1.xml", "<x/>"),
                           ("customXml/item2.xml", "<x/>"), ("word/document.xml", "<w:document/>"),
                           ("[Content_Types].xml", DOCX_TYPES)])
ODT_BYTES = zipped([("mimetype", ODT), ("content.xml", "<office:document-content/>")], stored_first=True)
DOC_BYTES = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "WordDocument".encode("utf-16-le")
             + b"\x00" * 200)


@pytest.mark.parametrize(("content", "expected"), [
    (TINY_PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"),
    (DOCX_BYTES, DOCX), (DOCX_OTHER_ORDER, DOCX), (ODT_BYTES, ODT), (DOC_BYTES, DOC),
])
def test_allowed_types_are_recognised_by_content(content, expected):
    assert content_type_of(SimpleUploadedFile("anything.bin", content)) == expected


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100,  # a Windows program
    b"<html><script>alert(1)</script></html>",
    b"just some text pretending to be a PDF",
    zipped([("evil.exe", "MZ")]),
    zipped([("[Content_Types].xml", DOCX_TYPES.replace("wordprocessingml.document.main",
                                                       "spreadsheetml.sheet.main")),
            ("xl/workbook.xml", "<x/>")]),
    zipped([("mimetype", "application/vnd.oasis.opendocument.spreadsheet")], stored_first=True),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "Workbook".encode("utf-16-le"),
    b"PK\x03\x04 not really a zip",
    b"\x1f\x8b\x08\x00 gzip",
])
def test_other_content_is_refused_whatever_its_name(content):
    assert content_type_of(SimpleUploadedFile("report.pdf", content)) is None


DOCUMENT = [("[Content_Types].xml", DOCX_TYPES), ("word/document.xml", "<w:document/>")]
OLE_WITH_VBA = ole_with_vba_project()


@pytest.mark.parametrize("parts", [
    # A macro project dressed up as .docx, under its usual name and under others.
    [*DOCUMENT, ("word/vbaProject.bin", "macro")],
    [*DOCUMENT, ("word/media/image1.bin", OLE_WITH_VBA)],
    [*DOCUMENT, ("customXml/item9.bin", OLE_WITH_VBA)],
])
def test_a_word_document_with_macros_is_refused_wherever_they_hide(parts):
    with pytest.raises(ValidationError, match="contains macros"):
        attachment_check(SimpleUploadedFile("report.docx", zipped(parts)))


def test_an_opendocument_with_basic_macros_is_refused():
    parts = [("mimetype", ODT), ("content.xml", "<office:document-content/>"),
             ("Basic/Standard/Module1.xml", "<script:module/>")]
    with pytest.raises(ValidationError, match="contains macros"):
        attachment_check(SimpleUploadedFile("notes.odt", zipped(parts, stored_first=True)))


def test_an_archive_that_unpacks_to_far_more_than_its_size_is_refused_unopened(settings):
    settings.UPLOAD_ARCHIVE_MAX_RATIO = 100
    bomb = zipped([*DOCUMENT, ("word/media/blank.xml", "0" * (5 * 1024 * 1024))])
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError, match="bomb.docx unpacks to far more than its size"):
        attachment_check(SimpleUploadedFile("bomb.docx", bomb))
    settings.UPLOAD_ARCHIVE_MAX_RATIO = 100_000
    settings.UPLOAD_ARCHIVE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="unpacks to far more"):
        attachment_check(SimpleUploadedFile("bomb.docx", bomb))


def test_an_archive_declaring_too_many_files_is_refused_unopened(settings):
    settings.UPLOAD_ARCHIVE_MAX_ENTRIES = 50
    crowded = zipped([*DOCUMENT, *((f"word/media/image{n}.bin", "x") for n in range(60))])
    with pytest.raises(ValidationError, match="crowded.docx holds more than 50 files inside it") as refused:
        attachment_check(SimpleUploadedFile("crowded.docx", crowded))
    assert refused.value.code == "archive_too_many_entries"
    settings.UPLOAD_ARCHIVE_MAX_ENTRIES = 100
    assert attachment_check(SimpleUploadedFile("crowded.docx", crowded)) == DOCX


def test_files_go_back_with_the_extension_of_what_they_are():
    assert download_name("report.docx", "application/pdf") == "report.pdf"
    assert download_name("photo", "image/png") == "photo.png"
    assert download_name("archive.tar.gz", DOCX) == "archive.tar.docx"
    assert stored_path("referrals", "application/pdf").endswith(".pdf")


@pytest.mark.parametrize(("name", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\evil.docx", "evil.docx"),
    ("C:\\Users\\someone\\notes.pdf", "notes.pdf"),
    ("report\u202egpj.exe.pdf", "reportgpj.exe.pdf"),
    ("line\nbreak\r\tname.pdf", "linebreakname.pdf"),
    ("..", "attachment"),
    ("", "attachment"),
    ("a" * 300 + ".pdf", "a" * 145 + "….pdf"),
    ("<script>alert(1)</script>.pdf", "script>.pdf"),
])
def test_file_names_are_cleaned_for_display(name, shown):
    assert display_name(name).startswith(shown)
    assert len(display_name(name)) <= 150


def upload(client, name, content, **extra):
    return client.post(page_url("referral", "attachments"),
                       {"action": "upload", "file": SimpleUploadedFile(name, content), **extra})


@pytest.fixture
def at_attachments(client):
    fill(client, "referral", PRACTITIONER_ANSWERS)
    return client


def test_a_pdf_is_attached_listed_and_sent_with_the_referral(at_attachments):
    client = at_attachments
    response = upload(client, "../../secret/chronology.pdf", TINY_PDF)
    assert response["Location"] == page_url("referral", "attachments")
    attachment = ReferralAttachment.objects.get()
    assert attachment.original_name == "chronology.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("referrals/") and "chronology" not in attachment.file.name
    assert default_storage.exists(attachment.file.name)
    page = client.get(response["Location"]).content.decode()
    assert "chronology.pdf has been attached" in page
    assert "chronology.pdf" in client.get(reverse("intake:referral-check")).content.decode()

    submit(client)
    attachment.refresh_from_db()
    assert attachment.referral == Referral.objects.get()
    assert attachment.draft is None


def test_a_hostile_file_name_is_shown_as_text(at_attachments):
    upload(at_attachments, "<img src=x onerror=alert(1)>.pdf", TINY_PDF)
    page = at_attachments.get(page_url("referral", "attachments")).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100,
     "The selected file must be a PDF, Word document, OpenDocument text or image (JPG, PNG or GIF)"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_refused_files_say_why_and_keep_nothing(at_attachments, name, content, message):
    response = upload(at_attachments, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReferralAttachment.objects.exists()


def test_no_file_selected(at_attachments):
    response = at_attachments.post(page_url("referral", "attachments"), {"action": "upload"})
    assert "Select a file" in response.content.decode()


@override_settings(REFERRAL_ATTACHMENT_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_and_not_stored(at_attachments):
    response = upload(at_attachments, "big.pdf", TINY_PDF + b"0" * 5000)
    assert response.status_code == 200
    assert "The selected file must be smaller than 1 KB" in response.content.decode()
    assert not ReferralAttachment.objects.exists()


def test_the_size_limit_is_stated_in_megabytes(at_attachments):
    page = at_attachments.get(page_url("referral", "attachments")).content.decode()
    assert "smaller than 10 MB" in page


@override_settings(REFERRAL_ATTACHMENTS_MAX=2)
def test_at_most_the_configured_number_of_files(at_attachments):
    for number in range(2):
        assert upload(at_attachments, f"file{number}.png", PNG).status_code == 302
    response = upload(at_attachments, "third.png", PNG)
    assert "You can attach up to 2 files. Remove one to add another" in response.content.decode()
    assert ReferralAttachment.objects.count() == 2
    page = at_attachments.get(page_url("referral", "attachments")).content.decode()
    assert "You have attached as many files as you can" in page


def test_a_file_can_be_removed_and_its_content_is_deleted(at_attachments, django_capture_on_commit_callbacks):
    upload(at_attachments, "notes.pdf", TINY_PDF)
    attachment = ReferralAttachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = at_attachments.post(
            reverse("intake:referral-attachment-remove", kwargs={"attachment_id": attachment.pk}))
    assert response["Location"] == page_url("referral", "attachments")
    assert not ReferralAttachment.objects.exists()
    assert not default_storage.exists(attachment.file.name)


def test_files_of_another_draft_cannot_be_removed(at_attachments):
    theirs = ReferralAttachmentFactory()
    at_attachments.post(reverse("intake:referral-attachment-remove", kwargs={"attachment_id": theirs.pk}))
    assert ReferralAttachment.objects.filter(pk=theirs.pk).exists()
