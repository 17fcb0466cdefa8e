"""The OpenAPI document declares the refusals the API really gives, as application/problem+json, on every
operation (routers added later included), and the answers match what is declared."""
from portal.api_contract import PROBLEM_MEDIA_TYPE
from tests.conftest import api_token, csrf_from
from tests.factories import make_graduate


def test_every_api_operation_declares_its_refusals_as_problems(client):
    document = client.get("/openapi.json").json()
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail"]
    operations = [(path, method, op) for path, ops in document["paths"].items() if path.startswith("/api/")
                  for method, op in ops.items()]
    assert len(operations) > 20
    for path, method, operation in operations:
        declared = operation["responses"]
        for status in ("400", "404", "409", "422", "429", "503"):
            assert PROBLEM_MEDIA_TYPE in declared[status]["content"], (path, method, status)
        if method != "get":
            assert {"403", "413"} <= declared.keys(), (path, method)
    me = document["paths"]["/api/v1/me"]["get"]["responses"]
    assert "401" in me and "403" in me
    assert "Retry-After" in document["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]["headers"]
    assert "HTTPValidationError" not in str(document)


def test_the_declared_refusals_are_what_the_api_answers(client, session):
    graduate = make_graduate(session)
    headers = api_token(client, graduate.email)
    answers = {
        401: client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}),
        403: client.post("/api/v1/me/password", json={}),  # a cookie-borne write without its CSRF token
        404: client.delete("/api/v1/me/tokens/999999", headers=headers),
        422: client.post("/api/v1/me/password", json={"current_password": 1}, headers=headers),
    }
    for status, response in answers.items():
        assert response.status_code == status, (status, response.text)
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        body = response.json()
        assert {"type", "title", "status", "detail"} <= body.keys() and body["status"] == status
    assert answers[422].json()["errors"][0]["field"].endswith("current_password")
    csrf = csrf_from(client.get("/login").text)
    assert client.post("/api/v1/me/password", json={}, headers={"X-CSRF-Token": csrf}).status_code == 401
