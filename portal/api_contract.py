"""The API's refusals in its OpenAPI document, for every /api operation, including those of routers added later.

Errors are answered as application/problem+json (portal/errors_http.py) by shared machinery, not by each route:
an invalid Bearer token (401), CSRF and roles (403), objects that are not the caller's (404), service refusals
(400, 409, 422, 429), the body cap (413) and unavailable dependencies (503). So they are declared here, once,
from what each operation depends on, and a client generated from /openapi.json handles every one of them.
"""
import json

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from portal.deps import get_optional_user

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "about:blank#<code>, e.g. about:blank#not_found"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "What is wrong with which field.",
            "items": {
                "type": "object",
                "required": ["message"],
                "properties": {"field": {"type": ["string", "null"]}, "message": {"type": "string"}},
            },
        },
    },
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}
SAFE_METHODS = {"get", "head", "options"}

# status -> (description, applies(operation facts))
REFUSALS = {
    400: ("The request cannot be carried out as sent.", lambda f: True),
    401: ("Not signed in, or the Bearer token is invalid, expired or revoked.", lambda f: f["user"]),
    403: ("Not allowed for this account, or a cookie-borne request without its CSRF token.",
          lambda f: f["user"] or f["writes"]),
    404: ("Not found, or not the caller's to see.", lambda f: True),
    409: ("Conflicts with the current state.", lambda f: True),
    413: ("The request body is too large.", lambda f: f["writes"]),
    422: ("Some of the input is not valid; `errors` says where.", lambda f: True),
    429: ("Too many requests; wait as Retry-After says.", lambda f: True),
    503: ("A service the portal depends on is unavailable; try again later.", lambda f: True),
}


def depends_on(dependant, call) -> bool:
    return any(d.call is call or depends_on(d, call) for d in dependant.dependencies)


def problem_response(description: str, status: int) -> dict:
    response = {"description": description,
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def declare_refusals(schema: dict, routes: list) -> dict:
    facts_by_operation = {}
    for route in iter_route_contexts(routes):
        if getattr(route, "dependant", None) is not None and (route.path_format or "").startswith("/api/"):
            for method in route.methods:
                facts_by_operation[(route.path_format, method.lower())] = {
                    "user": depends_on(route.dependant, get_optional_user),
                    "writes": method.lower() not in SAFE_METHODS,
                }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            facts = facts_by_operation.get((path, method))
            if facts is None:
                continue
            responses = operation.setdefault("responses", {})
            for status, (description, applies) in REFUSALS.items():
                if applies(facts):
                    responses[str(status)] = problem_response(description, status)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    # FastAPI's own 422 body, replaced by the problem above wherever it was used.
    if "#/components/schemas/HTTPValidationError" not in json.dumps(schema.get("paths", {})):
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    build_schema = app.openapi

    def openapi():
        if app.openapi_schema is None:
            app.openapi_schema = declare_refusals(build_schema(), app.routes)
        return app.openapi_schema

    app.openapi = openapi
