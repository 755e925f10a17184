"""Who is calling the partner API, and may they?

Every operation declares what it needs with `@requires(scope, action)`: a
token scope (what the partner system was given) and an access Action (what
the account the token acts for may do, from prevent_hub.access). `guard`
runs before ninja parses anything, for every operation of the API:

1. the bearer token: missing, unknown, revoked or acting for a deactivated
   account → 401 (a presented token that fails is audited);
2. then, acting as the token's user in the audit trail (every event this call
   writes names the token): the declaration (none → 403, deny by default),
   the scope and the action → 403, audited;
3. then the body: too large → 413, not JSON → 415, unreadable JSON → 422; the
   rules across fields are checked on the raw body here, so a 422 names them
   with every other failing field.
"""

import json
import re
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from ninja.security import HttpBearer

from prevent_hub.access import Action, can
from prevent_hub.audit import context as audit_context
from prevent_hub.audit.services import audit_permission_denied, audit_refusal
from prevent_hub.core.network import client_ip, rate_limit_address
from prevent_hub.core.ratelimit import audit_rate_limited, ratelimit_count

from . import problems, selectors
from .models import PREFIX_LENGTH, TOKEN_START, ApiScope
from .problems import FieldError, RequestInvalid
from .services import api_token_touch

# Large enough for the longest referral (every text field full, written as
# \u escapes), small enough that nobody can make the server hold much.
MAX_BODY_BYTES = 256 * 1024
JSON_MEDIA_TYPES = frozenset({"application/json"})
REALM = 'Bearer realm="Prevent Hub partner API"'
# What the start of one of our tokens looks like (secrets.token_urlsafe).
_TOKEN_PREFIX = re.compile(re.escape(TOKEN_START) + f"[A-Za-z0-9_-]{{{PREFIX_LENGTH - len(TOKEN_START)}}}")


@dataclass(frozen=True)
class Requirement:
    scope: ApiScope
    action: Action


def requires(scope: ApiScope, action: Action):
    """Declare what an API operation needs: a token scope and an access action."""
    requirement = Requirement(ApiScope(scope), Action(action))

    def decorate(view):
        view.api_requirement = requirement
        return view

    return decorate


def requirement_of(operation) -> Requirement | None:
    return getattr(operation.view_func, "api_requirement", None)


class BearerToken(HttpBearer):
    """How the OpenAPI document describes our authentication. The token has
    been checked by `guard` before ninja asks."""

    openapi_bearerFormat = "opaque"

    def __call__(self, request):
        return getattr(request, "api_token", None)

    def authenticate(self, request, token):  # pragma: no cover - guard does it
        return None


def guard(run):
    """An API-wide ninja "view" decorator around each operation's run."""
    operation = run.__self__

    @wraps(run)
    def guarded(request, *args, **kwargs):
        refusal = _limited(request, purpose="api-address",
                           key=rate_limit_address(client_ip(request)),
                           limit=settings.API_REQUESTS_PER_HOUR_PER_ADDRESS)
        if refusal is not None:
            return refusal
        token, refusal = _authenticate(request)
        if refusal is not None:
            return refusal
        refusal = _limited(request, purpose="api-token", key=str(token.pk),
                           limit=settings.API_REQUESTS_PER_HOUR_PER_TOKEN)
        if refusal is not None:
            return refusal
        outer = audit_context.current()
        with audit_context.acting_as(
            token.user, request_id=outer.request_id, ip_address=outer.ip_address,
            user_agent=outer.user_agent, path=outer.path, pending=outer.pending,
            details={"api_token": token.prefix, "via": "api"},
        ):
            request.user = token.user
            request.api_token = token
            api_token_touch(token=token)
            refusal = _authorise(request, token, requirement_of(operation))
            if refusal is None:
                refusal = _read_body(request, operation)
            if refusal is not None:
                return refusal
            return run(request, *args, **kwargs)

    return guarded


def enforce_body_rules(view_func):
    """An API-wide ninja "operation" decorator: the body passed the schema,
    but not a rule across fields (see guard) → 422."""

    @wraps(view_func)
    def checked(request, *args, **kwargs):
        errors = getattr(request, "api_rule_errors", None)
        if errors:
            raise RequestInvalid(list(errors))
        return view_func(request, *args, **kwargs)

    return checked


# 0. The rate limits -----------------------------------------------------------


def _limited(request, *, purpose, key, limit):
    """429 with Retry-After once `key` has made `limit` requests this hour."""
    count, seconds_left = ratelimit_count(purpose=purpose, address=key)
    if count <= limit:
        return None
    audit_rate_limited(purpose=purpose)
    return problems.problem(
        request, problems.TOO_MANY_REQUESTS,
        f"More than {limit} requests this hour. Wait {seconds_left} seconds and try again.",
        headers={"Retry-After": str(max(1, seconds_left))})


# 1. The token ------------------------------------------------------------------


def _authenticate(request):
    header = request.headers.get("Authorization", "")
    if not header:
        return None, _unauthenticated(
            request, "Send an API token in the Authorization header: Bearer <token>.", REALM)
    scheme, _, presented = header.partition(" ")
    presented = presented.strip()
    token = None
    if scheme.lower() == "bearer" and presented:
        token = selectors.api_token_for(presented)
    if token is None:
        reason = "unknown token" if scheme.lower() == "bearer" else "not a bearer token"
    elif token.revoked_at is not None:
        reason = "revoked token"
    elif not token.user.is_active:
        reason = "deactivated account"
    else:
        return token, None
    # Flood-controlled: a client trying token after token costs the trail
    # about one event a minute.
    audit_refusal(status=401, obj=token, object_type="" if token else "api.apitoken",
                  details={"via": "api", "reason": reason,
                           "api_token": token.prefix if token else _shown_prefix(presented)})
    return None, _unauthenticated(
        request, "The API token is not valid. It may have been revoked: ask for a new one.",
        f'{REALM}, error="invalid_token"')


def _shown_prefix(presented: str) -> str:
    # Only what we would show for one of our own tokens: never another
    # system's secret sent here by mistake.
    prefix = presented[:PREFIX_LENGTH]
    return prefix if _TOKEN_PREFIX.fullmatch(prefix) else ""


def _unauthenticated(request, detail, challenge):
    return problems.problem(request, problems.UNAUTHENTICATED, detail,
                            headers={"WWW-Authenticate": challenge})


# 2. The declaration, the scope, the action -------------------------------------


def _authorise(request, token, requirement):
    if requirement is None:
        audit_permission_denied(action="undeclared")
        return problems.problem(request, problems.FORBIDDEN,
                                "This operation declares no permission, so it is refused.")
    if not token.has_scope(requirement.scope):
        audit_permission_denied(action=requirement.scope)
        return problems.problem(
            request, problems.INSUFFICIENT_SCOPE,
            f"The API token does not have the {requirement.scope} scope.",
            headers={"WWW-Authenticate":
                     f'{REALM}, error="insufficient_scope", scope="{requirement.scope}"'})
    if not can(token.user, requirement.action):
        audit_permission_denied(action=requirement.action)
        return problems.problem(request, problems.FORBIDDEN,
                                "The account this API token acts for is not allowed to do this.")
    return None


# 3. The body -------------------------------------------------------------------


def body_schema(operation):
    """The pydantic model an operation reads its JSON body into, if any."""
    for model in operation.models:
        if model.__ninja_param_source__ == "body":
            name = getattr(model, "__read_from_single_attr__", None)
            return model.model_fields[name].annotation if name else model
    return None


def _read_body(request, operation):
    schema = body_schema(operation)
    if schema is None:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return problems.problem(request, problems.BODY_TOO_LARGE,
                                f"Send at most {MAX_BODY_BYTES // 1024} KB.")
    body = request.body
    if not body:
        return problems.validation_problem(
            request, [FieldError("", "Send the request body, as a JSON object")])
    if request.content_type not in JSON_MEDIA_TYPES:
        return problems.problem(request, problems.UNSUPPORTED_MEDIA_TYPE,
                                "Send the body as JSON, with Content-Type: application/json.")
    try:
        request.api_json = json.loads(body, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return problems.validation_problem(
            request, [FieldError("", "The request body is not valid JSON")])
    rules = getattr(schema, "rule_errors", None)
    request.api_rule_errors = rules(request.api_json) if rules else []
    return None


def _not_json(constant):
    raise ValueError(f"{constant} is not JSON")
