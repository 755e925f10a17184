import re
import unicodedata
import uuid
from time import perf_counter

from django.db import connection
from django.http import Http404

# A proxy may pass its own request id; accept it only if it looks like one, so a
# hostile header cannot smuggle text into logs and audit rows.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id, echoed in X-Request-ID, for logs and audit events."""

    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(self.header, "")
        request.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class ServerTimingMiddleware:
    """Adds a Server-Timing header with the view's time and query count.

    Only switched on for benchmarks (settings.SERVER_TIMING): query counts are
    nobody else's business.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed_ms = (perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={elapsed_ms:.2f}, db;desc="{queries} queries"'
        return response


# Control characters (NUL above all: PostgreSQL cannot store it) and lone
# surrogates name no page here; they reach no view, database or audit row.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs"})


class UnsafePathMiddleware:
    """A path with a control character or a lone surrogate in it is not found
    (404), whatever the URL patterns would make of it. The partner API answers
    such paths itself, as problem+json, and checks its own path parameters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and any(
                unicodedata.category(character) in _UNSAFE_CATEGORIES for character in request.path):
            raise Http404("No such page")
        return self.get_response(request)


# Where every answer is private. Downloads (Content-Disposition: attachment)
# are private wherever they are served.
PRIVATE_PREFIXES = ("/staff/", "/api/")


class PrivateResponsesMiddleware:
    """No browser or proxy keeps a copy of a staff page, an API answer or a
    download: `Cache-Control: private, no-store` on each, set here once rather
    than view by view (a new view cannot forget it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path_info.startswith(PRIVATE_PREFIXES)
                or response.get("Content-Disposition", "").startswith("attachment")):
            response["Cache-Control"] = "private, no-store"
        return response
