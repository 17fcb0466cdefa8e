"""Oversized bodies are refused as they arrive, with a readable answer, on any route."""
from tests.conftest import csrf_from


def _oversized(settings) -> bytes:
    return b"x" * (settings.upload_max_bytes + 512 * 1024)


def test_an_oversized_form_is_refused_before_it_is_parsed(client, settings):
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        files={"junk": ("big.pdf", _oversized(settings), "application/pdf")},
        data={"csrf_token": token},
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]


def test_an_oversized_streamed_api_body_gets_a_problem(client, settings):
    body = _oversized(settings)

    def chunks():
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    response = client.post("/api/v1/auth/token", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["status"] == 413
