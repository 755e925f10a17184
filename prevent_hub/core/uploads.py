"""Checking files people upload (referral attachments, case documents), and
giving them back.

A file is accepted for what it contains, never for its name or the type the
browser claims: PDF, Word (.doc and .docx), OpenDocument text (.odt) and
images (JPEG, PNG, GIF). The first bytes are checked with `filetype`; Word and
OpenDocument files are zip archives (or, for old .doc, OLE2 compound files),
so those are opened and their declared document type checked too. Archives
that declare too much to unpack, or too many files, are refused before
anything is unpacked, and documents with macros (found by oletools, which reads every Office format,
and by the macro folders of OpenDocument) are refused. Every upload, these
and CSV files, is scanned by ClamAV first when CLAMD_URL is set (antivirus).

The file's own name is kept only to show people (path parts and control
characters removed, length limited); it is stored under a random name with
the extension of the type found, and given back with that extension.
"""

import unicodedata
import uuid
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from oletools.olevba import VBA_Parser

from .antivirus import MALWARE, malware_problem

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
IMAGES = {"image/jpeg", "image/png", "image/gif"}
ALLOWED = {PDF, DOC, DOCX, ODT, *IMAGES}

# The extension each accepted type is stored and given back with.
EXTENSIONS = {PDF: "pdf", DOC: "doc", DOCX: "docx", ODT: "odt", "image/jpeg": "jpg", "image/png": "png",
              "image/gif": "gif"}
MACROS = "The selected file contains macros. Save it without them (for example as a PDF) and try again"

WRONG_TYPE = (
    "The selected file must be a PDF, Word document, OpenDocument text or image (JPG, PNG or GIF)"
)
EMPTY = "The selected file is empty"
NAME_MAX = 150

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SMALL_ENTRY = 1024 * 1024  # never unpack more than this from an archive to look at it


def size_text(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{max(1, round(size / 1024))} KB"


def too_large_message() -> str:
    return f"The selected file must be smaller than {size_text(settings.REFERRAL_ATTACHMENT_MAX_BYTES)}"


# Spreadsheet uploads (training records, earlier referrals, population
# figures) are CSV files: a workbook is refused with how to save one as CSV.
CSV_WRONG_TYPE = "The selected file must be a CSV file"
CSV_WORKBOOK = ("The selected file is a spreadsheet workbook, not a CSV file: in your spreadsheet, "
                "save it as “CSV UTF-8 (comma delimited)” and upload that")
_WORKBOOK_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # xlsx/ods (zip), xls (OLE)


def is_workbook(head: bytes) -> bool:
    return head.startswith(_WORKBOOK_STARTS)


def csv_too_large(max_bytes: int) -> str:
    return f"The selected file must be smaller than {size_text(max_bytes)}"


def csv_upload_problem(upload, *, max_bytes: int) -> str:
    """Why an uploaded file cannot be a CSV file, from its size and its first
    bytes (never its name or the type the browser claims), or ""."""
    import filetype

    if upload.size == 0:
        return EMPTY
    if upload.size > max_bytes:
        return csv_too_large(max_bytes)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if is_workbook(head):
        return CSV_WORKBOOK
    if b"\x00" in head or filetype.guess(head) is not None:
        return CSV_WRONG_TYPE
    return malware_problem(upload)


def display_name(name: str) -> str:
    """The uploader's file name, safe to show: no folders, no control or
    formatting characters (such as right-to-left overrides), at most NAME_MAX
    characters with the extension kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX - len(extension) - 2] + "…." + extension
        else:
            name = name[: NAME_MAX - 1] + "…"
    return name or "attachment"


class ArchiveTooLarge(Exception):
    """A zip that says it unpacks to more than is safe to look inside."""


class ArchiveTooManyEntries(ArchiveTooLarge):
    """A zip that declares more files than any document holds."""


def _refuse_bombs(archive: zipfile.ZipFile):
    """Refuse, from what the archive declares (nothing unpacked yet), one that
    holds more than UPLOAD_ARCHIVE_MAX_ENTRIES files, would unpack to more
    than UPLOAD_ARCHIVE_MAX_BYTES or is compressed more than
    UPLOAD_ARCHIVE_MAX_RATIO times (a "zip bomb")."""
    infos = archive.infolist()
    # Many tiny entries stay under the size and ratio limits but still cost a
    # checker (or the person who opens the file) time and memory for each one.
    if len(infos) > settings.UPLOAD_ARCHIVE_MAX_ENTRIES:
        raise ArchiveTooManyEntries
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if (unpacked > settings.UPLOAD_ARCHIVE_MAX_BYTES
            or unpacked > settings.UPLOAD_ARCHIVE_MAX_RATIO * max(packed, 1)):
        raise ArchiveTooLarge


def _zip_document_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _refuse_bombs(archive)
            entries = {info.filename: info for info in archive.infolist()}
            mimetype = entries.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 200:
                if archive.read(mimetype).strip() == ODT.encode():
                    return ODT
                return None
            types = entries.get("[Content_Types].xml")
            if (types is not None and types.file_size <= _SMALL_ENTRY and "word/document.xml" in entries
                    and _DOCX_MAIN in archive.read(types)):
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    return None


def _is_word_97(upload) -> bool:
    """An OLE2 compound file holding a WordDocument stream (an old .doc, not
    an Excel or PowerPoint file)."""
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        window = tail + chunk
        if _WORD_STREAM in window:
            return True
        tail = window[-len(_WORD_STREAM):]
    return False


def content_type_of(upload) -> str | None:
    """The allowed type the file's content shows it to be, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    if mime in IMAGES or mime == PDF:
        return mime
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_type(upload)  # may raise ArchiveTooLarge
    if head.startswith(_OLE2):
        return DOC if _is_word_97(upload) else None
    return None


def has_macros(upload, content_type: str) -> bool:
    """Whether a document carries macros: VBA or XLM in any Office format
    (oletools: .doc, .docx/.docm and their relatives, however the parts are
    named), or Basic or script folders in OpenDocument."""
    upload.seek(0)
    if content_type in (ODT, DOCX):
        with zipfile.ZipFile(upload) as archive:
            names = [name.lower() for name in archive.namelist()]
        if content_type == ODT:
            return any(name.startswith(("basic/", "scripts/")) for name in names)
        # The usual part names, even when what they hold is not one oletools reads.
        if any(name.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for name in names):
            return True
        upload.seek(0)
    if content_type not in (DOC, DOCX):
        return False
    data = upload.read()
    parser = VBA_Parser("upload", data=data)
    try:
        return bool(parser.detect_vba_macros() or parser.detect_xlm_macros())
    except Exception:  # noqa: BLE001 - a document oletools cannot read is not one we can vouch for
        return True
    finally:
        parser.close()


def attachment_check(upload) -> str:
    """Check an uploaded file. Returns its content type; raises ValidationError
    with a message saying what is wrong."""
    if upload.size == 0:
        raise ValidationError(EMPTY, code="empty")
    if upload.size > settings.REFERRAL_ATTACHMENT_MAX_BYTES:
        raise ValidationError(too_large_message(), code="too_large")
    # Scanned before any parser here (zipfile, oletools) reads it.
    if problem := malware_problem(upload):
        raise ValidationError(problem, code="malware" if problem == MALWARE else "not_scanned")
    try:
        content_type = content_type_of(upload)
    except ArchiveTooManyEntries:
        raise ValidationError(
            "The selected file %(name)s holds more than %(limit)s files inside it, so it cannot be "
            "checked: save it again as a PDF and try again", code="archive_too_many_entries",
            params={"name": display_name(upload.name),
                    "limit": settings.UPLOAD_ARCHIVE_MAX_ENTRIES}) from None
    except ArchiveTooLarge:
        raise ValidationError(
            "The selected file %(name)s unpacks to far more than its size, so it cannot be checked: "
            "save it again as a PDF and try again", code="archive_too_large",
            params={"name": display_name(upload.name)}) from None
    if content_type not in ALLOWED:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    if has_macros(upload, content_type):
        raise ValidationError(MACROS, code="macros")
    upload.seek(0)
    return content_type


def stored_path(folder: str, content_type: str) -> str:
    """Where an accepted file is stored: a random name (the uploader's may be
    hostile or identify someone) with the extension of the type found."""
    return f"{folder}/{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"


def download_name(original_name: str, content_type: str) -> str:
    """The name a file is given back with: the uploader's, with the extension
    of the type found (a PDF uploaded as "report.docx" comes back as
    "report.pdf", so it opens in the right program and no other)."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{stem or 'attachment'}.{EXTENSIONS.get(content_type, 'bin')}"


def protected_file_response(stored, *, original_name: str, content_type: str) -> FileResponse:
    """A stored upload, to download: as an attachment under download_name,
    with its checked type and nosniff (the audit event is the caller's; the
    middleware makes every download private, no-store). 404 if it is gone."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(original_name, content_type),
        content_type=content_type if content_type in EXTENSIONS else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def upload_form_is_valid(request, form, field: str) -> bool:
    """Whether a bound upload form is valid. A file SizeLimitUploadHandler
    stopped reading never arrived to be checked: the form is refused with
    the size limit on `field`."""
    if not getattr(request, "upload_too_large", False):
        return form.is_valid()
    form.is_valid()
    form.errors.pop(field, None)
    form.add_error(field, too_large_message())
    return False


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file part once it is over the attachment limit, so a
    huge upload is never written to disk whole. The request is marked, and
    the view says the file is too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REFERRAL_ATTACHMENT_MAX_BYTES:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
