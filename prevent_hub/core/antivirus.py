"""Scanning uploaded files with ClamAV before they are accepted.

When CLAMD_URL is set (`unix:///run/clamav/clamd.ctl` or
`tcp://127.0.0.1:3310`), every uploaded file is sent to clamd with its
INSTREAM command: `zINSTREAM\\0`, then the file in chunks each preceded by its
length (4 bytes, big-endian), then a zero length. clamd answers
`stream: OK` or `stream: <signature> FOUND`. The protocol is a few lines, so
no client library is needed.

A file found to hold malware is refused, and the refusal audited (the
signature's name, never the file's content or name). A scanner that cannot be
reached, or answers anything else, refuses the upload too: a file is never
accepted unscanned when scanning is on (fail closed). With CLAMD_URL unset
(development, the demo, tests) nothing is scanned; production warns in
`manage.py check --deploy` (core.W003).
"""

import logging
import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings

from .signals import malware_found

logger = logging.getLogger(__name__)

MALWARE = "The selected file contains a virus or other malware, so it cannot be accepted"
NOT_CHECKED = ("The selected file could not be checked for viruses. Try again in a few minutes. "
               "What you typed has been kept")
CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached, or gave no answer we understand."""


def _connect() -> socket.socket:
    url = urlsplit(settings.CLAMD_URL)
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    if url.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(url.path)
        return sock
    if url.scheme == "tcp" and url.hostname:
        return socket.create_connection((url.hostname, url.port or 3310), timeout=timeout)
    raise ScannerUnavailable(f"CLAMD_URL must start unix:// or tcp://, not {url.scheme}://")


def scan(upload) -> str | None:
    """The name of the malware clamd finds in `upload`, or None if it is clean.
    Raises ScannerUnavailable when it cannot tell."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    finally:
        upload.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer == "stream: OK":
        return None
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return answer.removeprefix("stream: ").removesuffix(" FOUND").strip() or "unnamed"
    # "INSTREAM size limit exceeded. ERROR" and the like: not a clean answer.
    raise ScannerUnavailable(answer[:200] or "no answer")


def malware_problem(upload) -> str:
    """Why `upload` cannot be accepted as far as the virus scanner is
    concerned, or "" (also when scanning is off)."""
    if not settings.CLAMD_URL:
        return ""
    try:
        found = scan(upload)
    except ScannerUnavailable as error:
        logger.error("Virus scanner unavailable, upload refused: %s", error)
        return NOT_CHECKED
    if found is None:
        return ""
    logger.warning("Upload refused: virus scanner found %s", found)
    malware_found.send(sender=None, signature=found[:200], size=upload.size)  # audited (audit.signals)
    return MALWARE
