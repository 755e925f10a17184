"""Checking files attached to a referral.

A file is accepted for what it contains, never for its name or the type the
browser claims: PDF, Word (.doc and .docx), OpenDocument text (.odt) and
images (JPEG, PNG, GIF). The first bytes are checked with `filetype`; Word and
OpenDocument files are zip archives (or, for old .doc, OLE2 compound files),
so those are opened and their declared document type checked too.

The file's own name is kept only to show people (path parts and control
characters removed, length limited); it is stored under a random name.
"""

import unicodedata
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
IMAGES = {"image/jpeg", "image/png", "image/gif"}
ALLOWED = {PDF, DOC, DOCX, ODT, *IMAGES}

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


def _zip_document_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = {info.filename: info for info in archive.infolist()}
            mimetype = entries.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 200:
                if archive.read(mimetype).strip() == ODT.encode():
                    return ODT
                return None
            types = entries.get("[Content_Types].xml")
            if (types is not None and types.file_size <= _SMALL_ENTRY and "word/document.xml" in entries
                    and "word/vbaProject.bin" not in entries
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
        return _zip_document_type(upload)
    if head.startswith(_OLE2):
        return DOC if _is_word_97(upload) else None
    return None


def attachment_check(upload) -> str:
    """Check an uploaded file. Returns its content type; raises ValidationError
    with a message saying what is wrong."""
    if upload.size == 0:
        raise ValidationError(EMPTY, code="empty")
    if upload.size > settings.REFERRAL_ATTACHMENT_MAX_BYTES:
        raise ValidationError(too_large_message(), code="too_large")
    content_type = content_type_of(upload)
    if content_type not in ALLOWED:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    upload.seek(0)
    return content_type


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
