"""The API's refusals in its OpenAPI document, for every /api operation, including those of routers added later.

Errors are answered as application/problem+json (portal/errors_http.py) by shared machinery, not by each route:
a missing, invalid or revoked sign-in (401; the token endpoint's wrong password too), CSRF and roles (403),
objects that are not the caller's (404), service refusals (400, 409, 422, 429), the body cap on requests with a
body (413) and unavailable dependencies (503). Any service may raise any of them, so they are declared here, once,
and a client generated from /openapi.json handles every one of them.
"""
import json

from fastapi import FastAPI

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

# status -> (description, whether an operation that only reads may answer it)
REFUSALS = {
    400: ("The request cannot be carried out as sent.", True),
    401: ("Not signed in; or the Bearer token, or the password, is not valid.", True),
    403: ("Not allowed for this account, or a cookie-borne request without its CSRF token.", True),
    404: ("Not found, or not the caller's to see.", True),
    409: ("Conflicts with the current state.", True),
    413: ("The request body is too large.", False),
    422: ("Some of the input is not valid; `errors` says where.", True),
    429: ("Too many requests; wait as Retry-After says.", True),
    503: ("A service the portal depends on is unavailable; try again later.", True),
}


def problem_response(description: str, status: int) -> dict:
    response = {"description": description,
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def declare_refusals(schema: dict) -> dict:
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, (description, on_reads) in REFUSALS.items():
                if on_reads or method not in SAFE_METHODS:
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
            app.openapi_schema = declare_refusals(build_schema())
        return app.openapi_schema

    app.openapi = openapi
