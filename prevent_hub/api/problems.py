"""Every error the partner API returns is an RFC 9457 problem document
(application/problem+json): {type, title, status, detail, instance}, and for a
422 an `errors` list naming every failing field with a JSON Pointer into the
request body (or the header or path parameter at fault).

The problem types are listed in PROBLEM_TYPES and in docs/api.md; clients
switch on `type` (or simply on the status code).
"""

import json
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
_TYPE = "urn:prevent-hub:problem:"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return _TYPE + self.slug


UNAUTHENTICATED = ProblemType("unauthenticated", 401, "A valid API token is needed")
INSUFFICIENT_SCOPE = ProblemType("insufficient-scope", 403, "The API token does not allow this")
FORBIDDEN = ProblemType("forbidden", 403, "Your account is not allowed to do this")
HTTPS_REQUIRED = ProblemType("https-required", 403, "The API is only served over HTTPS")
NOT_FOUND = ProblemType("not-found", 404, "Not found")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "Method not allowed")
BODY_TOO_LARGE = ProblemType("body-too-large", 413, "The request body is too large")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415, "The request body must be JSON")
VALIDATION_ERROR = ProblemType("validation-error", 422, "The request is not valid")
BAD_REQUEST = ProblemType("bad-request", 400, "Bad request")
TOO_MANY_REQUESTS = ProblemType("too-many-requests", 429, "Too many requests")
IDEMPOTENCY_KEY_REUSED = ProblemType("idempotency-key-reused", 409,
                                     "The Idempotency-Key was used for a different request")
SERVER_ERROR = ProblemType("server-error", 500, "Something went wrong on our side")

PROBLEM_TYPES = (
    UNAUTHENTICATED, INSUFFICIENT_SCOPE, FORBIDDEN, HTTPS_REQUIRED, NOT_FOUND, METHOD_NOT_ALLOWED,
    BODY_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, VALIDATION_ERROR, BAD_REQUEST, IDEMPOTENCY_KEY_REUSED,
    TOO_MANY_REQUESTS,
    SERVER_ERROR,
)


@dataclass(frozen=True)
class FieldError:
    """One failing field: `where` is a JSON Pointer into the body ("" for the
    body as a whole), or a header or path parameter name."""

    where: str
    detail: str
    location: str = "pointer"  # "pointer" (the body), "header" or "parameter"

    def as_json(self) -> dict:
        return {self.location: self.where, "detail": self.detail}


class RequestInvalid(Exception):
    """Raised anywhere in an API call to answer 422 with these field errors."""

    def __init__(self, errors: list[FieldError]):
        super().__init__(errors)
        self.errors = errors


def problem(request, kind: ProblemType, detail: str, *, errors=None, headers=None) -> HttpResponse:
    body = {"type": kind.uri, "title": kind.title, "status": kind.status, "detail": detail}
    if request is not None:
        body["instance"] = request.path
    if errors is not None:
        body["errors"] = [error.as_json() for error in _unique(errors)]
    response = HttpResponse(
        json.dumps(body), status=kind.status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_problem(request, errors: list[FieldError]) -> HttpResponse:
    count = len(_unique(errors))
    detail = ("1 field is not valid" if count == 1 else f"{count} fields are not valid") + (
        ": see `errors` for each one.")
    return problem(request, VALIDATION_ERROR, detail, errors=errors)


def _unique(errors):
    """One error per place: the first found (a type error beats a rule about
    the same field)."""
    seen, unique = set(), []
    for error in errors:
        key = (error.location, error.where)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


# JSON Pointers (RFC 6901) ------------------------------------------------------


def pointer(*parts) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


# Plain-English messages for pydantic's error types; anything else keeps
# pydantic's own message.
_MESSAGES = {
    "missing": "This field is required",
    "extra_forbidden": "This field is not part of the API: remove it",
    "string_type": "Must be a string",
    "int_type": "Must be a whole number",
    "int_parsing": "Must be a whole number",
    "int_parsing_size": "Is too large a number",
    "list_type": "Must be a list",
    "dict_type": "Must be an object",
    "model_type": "Must be an object",
    "model_attributes_type": "Must be an object",
    "enum": "Must be one of: {expected}",
    "literal_error": "Must be one of: {expected}",
    "string_too_short": "Must not be empty",
    "string_too_long": "Must be {max_length} characters or fewer",
    "too_long": "Must have {max_length} items or fewer",
    "greater_than_equal": "Must be {ge} or more",
    "less_than_equal": "Must be {le} or less",
    "string_pattern_mismatch": "Must match the pattern {pattern}",
    "string_unicode": "Must be valid Unicode text",
}


def pydantic_field_errors(ninja_errors: list[dict]) -> list[FieldError]:
    """ninja's ValidationError items (pydantic errors with a location starting
    with the source: "body", "header", "path", "query") as FieldErrors."""
    found = []
    for item in ninja_errors:
        loc = list(item.get("loc", ()))
        source = loc.pop(0) if loc else "body"
        message = _message(item)
        if source == "body":
            # ninja nests the body under the view's parameter name.
            if loc:
                loc.pop(0)
            found.append(FieldError(pointer(*loc), message))
        elif source == "header":
            found.append(FieldError(str(loc[0]) if loc else "", message, "header"))
        else:
            found.append(FieldError(str(loc[0]) if loc else "", message, "parameter"))
    return found


def _message(item: dict) -> str:
    template = _MESSAGES.get(item.get("type", ""))
    if template is None:
        message = item.get("msg", "Is not valid")
        # pydantic prefixes messages from our own validators.
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    try:
        return template.format(**(item.get("ctx") or {}))
    except (KeyError, IndexError):
        return item.get("msg", "Is not valid")


# Exception handlers ------------------------------------------------------------


def install(api) -> None:
    """Register a problem+json handler for every error an API call can raise."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        errors = pydantic_field_errors(exc.errors)
        # Rules across fields (see auth.guard) are checked on the raw body, so
        # they are reported alongside type errors, not after them.
        errors.extend(getattr(request, "api_rule_errors", ()))
        return validation_problem(request, errors)

    @api.exception_handler(RequestInvalid)
    def _invalid(request, exc):
        return validation_problem(request, exc.errors)

    @api.exception_handler(DjangoValidationError)
    def _model_validation(request, exc):
        # The service checks the model's own limits again; the schema should
        # have caught everything first, so this is a backstop.
        from .schemas import pointer_for_model_field

        if hasattr(exc, "error_dict"):
            errors = [
                FieldError(pointer_for_model_field(field), " ".join(messages))
                for field, messages in exc.message_dict.items()
            ]
        else:
            errors = [FieldError("", " ".join(exc.messages))]
        return validation_problem(request, errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem(request, UNAUTHENTICATED, "Send an API token: Authorization: Bearer <token>.",
                       headers={"WWW-Authenticate": 'Bearer realm="api"'})

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        # access.check has already written the refusal to the audit trail.
        return problem(request, FORBIDDEN, "Your account is not allowed to do this.")

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem(request, NOT_FOUND, "There is nothing here, or you may not see it.")

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        kind = next((kind for kind in PROBLEM_TYPES if kind.status == exc.status_code), BAD_REQUEST)
        return problem(request, kind, str(exc))

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        logger.exception("Partner API error on %s %s", request.method, request.path)
        return server_error(request)


def server_error(request) -> HttpResponse:
    return problem(request, SERVER_ERROR,
                   "The request could not be completed. It has been logged; try again later.")
