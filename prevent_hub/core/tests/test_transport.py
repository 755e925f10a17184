"""Request framing (ASVS V4.2.1): gunicorn, with our settings, refuses a request
whose length it could read two ways, so a proxy and the app server cannot
disagree about where one request ends and the next begins (request smuggling)."""

import runpy

import pytest
from django.conf import settings
from gunicorn.config import Config
from gunicorn.http.errors import InvalidHeader
from gunicorn.http.parser import RequestParser


def _our_gunicorn_config():
    cfg = Config()
    for name, value in runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def _parse(raw: bytes):
    return next(RequestParser(_our_gunicorn_config(), iter([raw]), ("127.0.0.1", 40000)))


@pytest.mark.parametrize("headers", [
    b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
    b"Content-Length: 4\r\nContent-Length: 40\r\n",
    b"Transfer-Encoding: chunked, identity\r\n",
])
def test_gunicorn_refuses_ambiguous_request_framing(headers):
    raw = b"POST /api/v1/referrals HTTP/1.1\r\nHost: prevent.shireford.example\r\n" + headers + b"\r\n0\r\n"
    with pytest.raises(InvalidHeader):
        _parse(raw)


def test_gunicorn_accepts_a_plainly_framed_request():
    request = _parse(b"POST /api/v1/referrals HTTP/1.1\r\nHost: prevent.shireford.example\r\n"
                     b"Content-Length: 4\r\n\r\n{}\r\n")
    assert request.method == "POST"
    assert ("CONTENT-LENGTH", "4") in request.headers
