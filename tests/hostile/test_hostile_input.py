"""Hostile input on every route the app has (discovered, so new domains are covered), pages and API, as each role:
NUL bytes, huge fields, deeply nested JSON, wrong content types and integers beyond any column get a 4xx answer,
never a 5xx, on the real PostgreSQL (which cannot store NUL and overflows on big integers)."""
import json
import re

import pytest
from fastapi.routing import iter_route_contexts

from tests.factories import make_application, make_employer, make_graduate, make_officer, make_position, make_resume

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)

OVERFLOW = 2**70
HUGE = "长" * 400_000  # 1.2 MB of UTF-8 in one field: under the body cap, far over any column
DEEP = "[" * 50_000 + "]" * 50_000
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SKIPPED = {"/logout", "/api/v1/auth/logout"}  # would end the session the rest of the run needs
PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def routes(app, *, api: bool):
    """(method, path with every parameter filled in) of the app's routes, API or pages."""
    seen = set()
    for context in iter_route_contexts(app.router.routes):
        path = context.path
        if path.startswith("/api/") != api or path.startswith(("/static", "/api/docs")) or path in SKIPPED:
            continue
        for method in sorted(context.methods or ()):
            if method in ("HEAD", "OPTIONS") or (method, path) in seen:
                continue
            seen.add((method, path))
            yield method, PARAM.sub("1", path)


@pytest.fixture
def signed_in(session, settings, app, client_for):
    graduate = make_graduate(session)
    make_resume(session, graduate)
    organization, recruiter = make_employer(session)
    make_application(session, graduate, make_position(session, organization), settings=settings)
    officer = make_officer(session, city_wide=True)
    return [client_for(user) for user in (graduate, recruiter, officer)]


def body_fields(app) -> list[str]:
    """Every property name of every JSON body the API documents."""
    schemas = app.openapi().get("components", {}).get("schemas", {})
    return sorted({name for schema in schemas.values() for name in schema.get("properties", {})})


def hostile_bodies(fields):
    nul = {name: "x\x00y" for name in fields} | {"title": "\x00", "name": "\x00", "email": "a\x00@b.cn"}
    return [
        ("wrong types", json.dumps({name: [[{"x": 1.7e308}]] for name in fields}), "application/json"),
        ("lone surrogates", json.dumps({name: "\ud800x" for name in fields}), "application/json"),
        ("NUL", json.dumps(nul), "application/json"),
        ("huge", json.dumps({name: HUGE for name in ("title", "description", "name", "note", "message", "q")}),
         "application/json"),
        ("deep", DEEP, "application/json"),
        ("overflow", json.dumps({name: OVERFLOW for name in ("position_id", "application_id", "id", "page",
                                                             "salary_min", "headcount", "graduation_year")}),
         "application/json"),
        ("wrong type", "position_id=1&title=x", "text/plain"),
        ("not json", "{'position_id': 1,", "application/json"),
    ]


def test_api_refuses_hostile_bodies_without_server_errors(app, signed_in):
    fields = body_fields(app)
    failures = []
    for http in signed_in:
        for method, path in routes(app, api=True):
            if method not in WRITES:
                continue
            for name, body, content_type in hostile_bodies(fields):
                response = http.request(method, path, content=body.encode(), headers={"Content-Type": content_type})
                if response.status_code >= 500:
                    failures.append(f"{method} {path} [{name}]: {response.status_code} {response.text[:120]}")
    assert not failures, "\n".join(failures)


def test_pages_refuse_hostile_forms_and_parameters_without_server_errors(app, signed_in):
    form = {name: "x\x00y" for name in ("title", "name", "description", "email", "q", "note", "message", "status",
                                          "school", "major", "district", "password", "position_id")}
    overflow_form = {name: str(OVERFLOW) for name in ("position_id", "application_id", "page", "salary_min",
                                                      "salary_max", "headcount", "graduation_year", "score")}
    failures = []
    for http in signed_in:
        for method, path in routes(app, api=False):
            overflowed = path.replace("/1", f"/{OVERFLOW}")
            attempts = [("GET", f"{path}?q=%00&page={OVERFLOW}&status=%00", None), ("GET", overflowed, None)]
            if method in WRITES:
                attempts = [(method, path, form), (method, path, overflow_form), (method, overflowed, form)]
            for verb, url, data in attempts:
                response = http.request(verb, url, data=data, follow_redirects=False)
                if response.status_code >= 500:
                    failures.append(f"{verb} {url[:80]}: {response.status_code}")
    assert not failures, "\n".join(failures)
