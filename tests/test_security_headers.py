"""Security headers on every response; no inline script anywhere; Swagger UI from vendored files; the lang cookie
Secure when cookies are."""
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal.web import TEMPLATES_DIR
from tests.factories import make_graduate

BASE_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\bhx-on[:-]", re.IGNORECASE)


def assert_secured(response) -> None:
    for name, value in BASE_HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0] and "unsafe-eval" not in policy


def test_every_kind_of_response_carries_the_headers(app, session):
    make_graduate(session)

    def explode():
        raise RuntimeError("boom")

    app.add_api_route("/test-explodes", explode, include_in_schema=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [client.get("/login"), client.get("/static/js/app.js"), client.get("/api/v1/me"),
                   client.get("/no-such-page"), client.get("/openapi.json"), client.get("/test-explodes")]
        assert [a.status_code for a in answers] == [200, 200, 401, 404, 200, 500]
        for response in answers:
            assert_secured(response)
            assert "strict-transport-security" not in response.headers


def test_hsts_only_behind_tls(app):
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/login").headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_language_cookie_is_secure_when_cookies_are(app, settings, client):
    settings.secure_cookies = True
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/lang/en", data={"csrf_token": token}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("lang=en") and "secure" in cookie and "httponly" in cookie


def test_no_template_has_inline_script_or_event_handler_attributes():
    offenders = [f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)}"
                 for path in Path(TEMPLATES_DIR).rglob("*.html")
                 for match in INLINE_SCRIPT.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_swagger_ui_comes_from_vendored_files(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


@pytest.mark.browser
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_pages_and_the_api_reference_work_under_the_policy(chromium, live_server):
    page = chromium.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server}/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=60000)
    page.goto(f"{live_server}/login")
    page.locator("form[action='/login']").wait_for()
    assert violations == []
