"""gunicorn settings, shared by `make run` and production (override with env vars)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# How long an idle keep-alive connection is held open. gunicorn's 2 s equals a
# person's pause between pages: a request sent just as the server closes the
# idle connection is reset, and the client sees an error (the load benchmark
# did). Keep it longer than the idle time of whatever sits in front (a proxy's
# upstream keep-alive timeout must be shorter than this).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
accesslog = "-"
# Request lines carry no personal data in our URLs, but keep query strings out
# of the log all the same: search terms can be names.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _without_server_header():
    """gunicorn names itself in a Server header on every response; a server
    that names its software helps an attacker choose an exploit, so drop it.
    (gunicorn has no setting for this; the headers it writes itself come from
    Response.default_headers.)"""
    from gunicorn.http import wsgi

    written = wsgi.Response.default_headers
    if getattr(written, "without_server", False):
        return

    def default_headers(self):
        return [line for line in written(self) if not line.lower().startswith("server:")]

    default_headers.without_server = True
    wsgi.Response.default_headers = default_headers


_without_server_header()
