"""The partner API, version 1: /api/v1/, OpenAPI at /api/v1/openapi.json.

To add an area (cases, panel meetings), write a router in routers/ whose
operations each declare `@requires(scope, action)` and add it below: the
guard, the problem+json errors and the OpenAPI error responses apply to it
without anything else.
"""

import json
import re

from django.urls import reverse
from ninja import NinjaAPI
from ninja.parser import Parser

from prevent_hub.access.policy import DESCRIPTIONS

from . import problems
from .auth import MAX_BODY_BYTES, BearerToken, body_schema, enforce_body_rules, guard, requirement_of
from .routers.cases import router as cases_router
from .routers.complaints import router as complaints_router
from .routers.panel_meetings import router as panel_meetings_router
from .routers.referrals import router as referrals_router
from .routers.statistics import router as statistics_router
from .routers.training import router as training_router
from .routers.venue_bookings import router as venue_bookings_router
from .schemas import Problem, ValidationProblem

NAMESPACE = "api:v1"


class _Body(Parser):
    """The body guard already read (so it is parsed once)."""

    def parse_body(self, request):
        if hasattr(request, "api_json"):
            return request.api_json
        return json.loads(request.body)


class PartnerAPI(NinjaAPI):
    def operations(self):
        """(method, path, operation) for every operation: what the tests walk."""
        prefix = reverse(f"{self.urls_namespace}:api-root")
        for bound_router in self._get_bound_routers():
            for path, path_view in bound_router.path_operations.items():
                route = "/".join(part.strip("/") for part in (prefix, bound_router.prefix, path) if part)
                for operation in path_view.operations:
                    for method in operation.methods:
                        # As the OpenAPI document writes it: {id}, not {int:id}.
                        route = re.sub(r"\{\w+:(\w+)\}", r"{\1}", route)
                        yield method, "/" + route.rstrip("/"), operation

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _complete(schema, self)
        return schema


def create_api(*, namespace: str, routers: dict) -> PartnerAPI:
    """A partner API with our authentication, checks and errors around every
    operation of the given routers ({prefix: router})."""
    partner_api = PartnerAPI(
        title="Prevent Hub partner API",
        version="1",
        description=(
            "Submit Prevent referrals from partner systems and follow what happened to them. "
            "Every call needs a bearer token (ask the council's system administrator). "
            "Errors are RFC 9457 problem details (application/problem+json). "
            "See docs/api.md in the Prevent Hub source for the full guide."
        ),
        urls_namespace=namespace,
        openapi_url="/openapi.json",
        # The interactive docs page loads scripts from a CDN, which the Content
        # Security Policy forbids; docs/api.md documents the API instead.
        docs_url=None,
        auth=BearerToken(),
        parser=_Body(),
    )
    partner_api.add_decorator(guard, mode="view")
    partner_api.add_decorator(enforce_body_rules, mode="operation")
    problems.install(partner_api)
    for prefix, router in routers.items():
        partner_api.add_router(prefix, router)
    return partner_api


api = create_api(namespace=NAMESPACE, routers={
    "/referrals": referrals_router,
    "/cases": cases_router,
    "/panel-meetings": panel_meetings_router,
    "/venue-bookings": venue_bookings_router,
    "/complaints": complaints_router,
    "/training": training_router,
    "/statistics": statistics_router,
})


# The OpenAPI document: every error each operation can answer ------------------


def _problem_response(description, ref, headers=None):
    response = {"description": description,
                "content": {problems.PROBLEM_CONTENT_TYPE: {"schema": {"$ref": ref}}}}
    if headers:
        response["headers"] = headers
    return response


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _complete(schema, partner_api):
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, ValidationProblem):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(model_schema.pop("$defs", {}))
        components[model.__name__] = model_schema
    problem_ref, validation_ref = (f"#/components/schemas/{name}"
                                   for name in ("Problem", "ValidationProblem"))
    by_id = {(operation.operation_id or partner_api.get_openapi_operation_id(operation)): operation
             for _, _, operation in partner_api.operations()}
    for path, methods in schema["paths"].items():
        for details in methods.values():
            operation = by_id[details["operationId"]]
            requirement = requirement_of(operation)
            scopes = [str(requirement.scope)] if requirement else []
            details["security"] = [{name: scopes} for entry in details.get("security", [])
                                   for name in entry]
            if requirement:
                details["description"] = (
                    (details.get("description", "") + "\n\n").lstrip()
                    + f"Needs the `{requirement.scope}` scope, for an account allowed to: "
                    + _lower_first(DESCRIPTIONS[requirement.action]) + "."
                )
            responses = details["responses"]
            responses["401"] = _problem_response(
                "No API token, or one that is unknown, revoked or for a deactivated account.",
                problem_ref, {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}})
            responses["403"] = _problem_response(
                "The token lacks the scope, or its account may not do this.", problem_ref)
            if "{" in path:
                responses["404"] = _problem_response(
                    "Nothing with this identifier that the token's account may see.", problem_ref)
            if body_schema(operation) is not None:
                responses["413"] = _problem_response(
                    f"The body is larger than {MAX_BODY_BYTES // 1024} KB.", problem_ref)
                responses["415"] = _problem_response("The body is not JSON.", problem_ref)
            if body_schema(operation) is not None or any(
                parameter["in"] != "path" for parameter in details.get("parameters", [])
            ):
                responses["422"] = _problem_response(
                    "Something in the request is not valid: `errors` names every failing field.",
                    validation_ref)
            details["responses"] = dict(sorted(responses.items(), key=lambda item: str(item[0])))
