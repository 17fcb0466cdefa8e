"""Idempotency keys on the API's creating requests, over real HTTP (uvicorn) on the real databases."""
import threading

import httpx
import pytest
from sqlmodel import select

from portal.applications.models import Application
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_position, make_resume


@pytest.fixture
def applicant(session, client):
    graduate = make_graduate(session)
    make_resume(session, graduate)
    organization, _ = make_employer(session)
    positions = [make_position(session, organization) for _ in range(2)]
    return api_token(client, graduate.email), positions


def applications_of(session, position_id):
    session.expire_all()
    return session.exec(select(Application).where(Application.position_id == position_id)).all()


def test_a_retry_gets_the_first_answer_and_does_the_work_once(applicant, live_server, session):
    headers, (position, other) = applicant
    headers = {**headers, "Idempotency-Key": "apply-1"}
    with httpx.Client(base_url=live_server) as http:
        first = http.post("/api/v1/applications", json={"position_id": position.id}, headers=headers)
        again = http.post("/api/v1/applications", json={"position_id": position.id}, headers=headers)
        different = http.post("/api/v1/applications", json={"position_id": other.id}, headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert different.status_code == 422 and different.headers["content-type"] == "application/problem+json"
    assert len(applications_of(session, position.id)) == 1 and applications_of(session, other.id) == []


def test_concurrent_attempts_with_one_key_do_the_work_once(applicant, live_server, session):
    headers, (position, _) = applicant
    headers = {**headers, "Idempotency-Key": "burst"}
    answers, start = [], threading.Barrier(8)

    def attempt():
        start.wait()
        with httpx.Client(base_url=live_server, timeout=30) as http:
            answers.append(http.post("/api/v1/applications", json={"position_id": position.id}, headers=headers))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(applications_of(session, position.id)) == 1
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1


def test_bad_keys_are_refused_and_keys_are_documented(applicant, client):
    headers, (position, _) = applicant
    for key in ("x" * 201, "tab\there"):
        response = client.post("/api/v1/applications", json={"position_id": position.id},
                               headers={**headers, "Idempotency-Key": key})
        assert response.status_code == 400, key
    anonymous = client.post("/api/v1/auth/token", json={}, headers={"Idempotency-Key": "tab\there"})
    assert anonymous.status_code == 400
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/applications"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]


def test_a_refusal_commits_nothing_and_may_be_retried(applicant, client, session):
    headers, (position, _) = applicant
    headers = {**headers, "Idempotency-Key": "early"}
    assert client.post("/api/v1/applications", json={"position_id": 10**6}, headers=headers).status_code == 404
    retried = client.post("/api/v1/applications", json={"position_id": 10**6}, headers=headers)
    assert retried.status_code == 404 and "idempotent-replayed" not in retried.headers
