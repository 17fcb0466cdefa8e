"""Sessions live on the server: signing out and password changes end them; API tokens are listed and revoked;
failed sign-ins slow down one account from one source, never lock an account for everyone."""
import re
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal.accounts import service
from portal.clock import utcnow
from portal.errors import Invalid, NotAuthenticated, TooManyRequests
from tests.conftest import api_token, csrf_from
from tests.factories import PASSWORD, make_graduate


def copy_of(client: TestClient, app) -> TestClient:
    """Another browser holding a copy of the client's cookies (a stolen or leaked session cookie)."""
    thief = TestClient(app)
    thief.cookies.update(dict(client.cookies))
    thief.headers["X-CSRF-Token"] = client.headers["X-CSRF-Token"]
    return thief


def test_a_copied_session_cookie_stops_working_after_sign_out(session, client_for, app):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    thief = copy_of(browser, app)
    assert thief.get("/api/v1/me").status_code == 200
    assert browser.post("/logout", follow_redirects=False).status_code == 303
    assert thief.get("/api/v1/me").status_code == 401
    assert thief.get("/me", follow_redirects=False).headers["location"].startswith("/login")


def test_a_password_change_ends_other_sessions_and_api_tokens(session, client_for, app, client):
    graduate = make_graduate(session)
    laptop = client_for(graduate)
    copied = copy_of(client_for(graduate), app)
    token = api_token(client, graduate.email)
    response = laptop.post("/account/password", data={"current_password": PASSWORD, "new_password": "a-new-password-2"})
    assert response.status_code == 200 and "alert success" in response.text
    assert laptop.get("/api/v1/me").status_code == 200
    assert copied.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=token).status_code == 401


def test_api_tokens_are_listed_and_revocable_by_their_owner_only(session, client):
    graduate, other = make_graduate(session), make_graduate(session)
    response = client.post("/api/v1/auth/token", json={"email": graduate.email, "password": PASSWORD, "name": "脚本"})
    mine = {"Authorization": f"Bearer {response.json()['access_token']}"}
    second = api_token(client, graduate.email)
    theirs = api_token(client, other.email)
    listed = client.get("/api/v1/me/tokens", headers=mine).json()
    assert [t["name"] for t in listed] == [None, "脚本"]
    assert "access_token" not in listed[0] and "token_hash" not in listed[0]
    first_id = listed[1]["id"]
    assert client.delete(f"/api/v1/me/tokens/{first_id}", headers=theirs).status_code == 404
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert client.delete(f"/api/v1/me/tokens/{first_id}", headers=second).status_code == 204
    assert client.get("/api/v1/me", headers=mine).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200
    assert [t["id"] for t in client.get("/api/v1/me/tokens", headers=second).json()] == [listed[0]["id"]]


def test_the_database_keeps_no_usable_token(session, client):
    from portal.accounts.models import UserSession

    graduate = make_graduate(session)
    token = api_token(client, graduate.email)["Authorization"].removeprefix("Bearer ")
    stored = session.exec(select(UserSession.token_hash)).all()
    assert stored and token not in stored
    forged = {"Authorization": f"Bearer {stored[0]}"}
    assert client.get("/api/v1/me", headers=forged).status_code == 401


def fail(session, settings, email, ip, times=1):
    for _ in range(times):
        try:
            service.authenticate(session, settings=settings, email=email, password="wrong-password", ip=ip)
        except (NotAuthenticated, TooManyRequests):
            pass


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_lock_out_attempt_from_many_sources_leaves_the_owner_able_to_sign_in(session, settings):
    owner = make_graduate(session)
    service.authenticate(session, settings=settings, email=owner.email, password=PASSWORD, ip="10.0.0.1")
    for n in range(12):
        fail(session, settings, owner.email, f"203.0.113.{n}", times=3)
    assert service.authenticate(session, settings=settings, email=owner.email, password=PASSWORD, ip="10.0.0.1")
    # From a source it never used, the owner still gets an attempt (and only waits, never is locked out).
    assert service.authenticate(session, settings=settings, email=owner.email, password=PASSWORD, ip="10.9.9.9")


def test_one_source_failing_on_one_account_waits_longer_and_longer(session, settings, monkeypatch):
    clock = [utcnow()]
    monkeypatch.setattr(service, "utcnow", lambda: clock[0])
    graduate = make_graduate(session)
    fail(session, settings, graduate.email, "10.0.0.1", times=settings.login_max_failures)
    waits = []
    for _ in range(3):
        with pytest.raises(TooManyRequests) as refused:
            service.authenticate(session, settings=settings, email=graduate.email, password=PASSWORD, ip="10.0.0.1")
        waits.append(refused.value.params["retry_after"])
        clock[0] += timedelta(seconds=waits[-1])
        fail(session, settings, graduate.email, "10.0.0.1")
    assert waits == [1, 2, 4]
    # Meanwhile the same account signs in from elsewhere without waiting.
    assert service.authenticate(session, settings=settings, email=graduate.email, password=PASSWORD, ip="10.0.0.2")


def test_the_signing_password_prompt_cannot_lock_the_signer_out(session, settings):
    """Agreements re-confirm the signer through authenticate(); its failures only slow that source down."""
    from portal.agreements.service import _confirm_password

    signer = make_graduate(session)
    for _ in range(12):
        with pytest.raises((Invalid, TooManyRequests)):
            _confirm_password(session, settings=settings, user=signer, password="typo-typo-1", ip="10.0.0.5")
    assert service.authenticate(session, settings=settings, email=signer.email, password=PASSWORD, ip="10.0.0.6")


def test_the_token_endpoint_takes_as_long_for_unknown_addresses(session, client):
    """Its timing must not tell which addresses have accounts: an unknown one costs a password hash too."""
    graduate = make_graduate(session)

    def median_seconds(email: str) -> float:
        times = []
        for n in range(3):
            started = time.perf_counter()
            response = client.post("/api/v1/auth/token", json={"email": email, "password": f"wrong-guess-{n}"},
                                   headers={"X-Forwarded-For": "x"})
            times.append(time.perf_counter() - started)
            assert response.status_code == 401
        return sorted(times)[1]

    known, unknown = median_seconds(graduate.email), median_seconds("nobody@example.edu.cn")
    assert unknown > known * 0.5, (known, unknown)


def test_common_passwords_are_refused(client):
    token = csrf_from(client.get("/signup/graduate").text)
    for password in ["12345678", "password1", "qwertyuiop", "iloveyou", "88888888", "aaaaaaaaaa"]:
        response = client.post("/signup/graduate", data={
            "csrf_token": token, "display_name": "王小红", "email": "wang@example.edu.cn", "password": password,
            "school": "天津大学", "student_number": "2022001", "major": "软件工程", "degree": "master",
            "graduation_year": "2026"})
        assert response.status_code == 422, password
        assert "常见" in response.text, password


def test_passwords_made_of_the_email_or_name_are_refused(session):
    graduate = make_graduate(session)
    with pytest.raises(Invalid) as refused:
        service.change_password(session, user=graduate, current_password=PASSWORD,
                                new_password=graduate.email.partition("@")[0] + "-2026")
    assert refused.value.field == "new_password"


def test_sign_ups_from_one_source_are_throttled(client, settings):
    settings.signup_max_per_hour = 2
    answers = []
    for n in range(3):
        response = client.post("/api/v1/graduates", headers={"X-CSRF-Token": csrf_from(client.get("/login").text)},
                               json={"email": f"new{n}@example.edu.cn", "password": "long-enough-pass-1",
                                     "display_name": "新同学", "school": "天津大学", "student_number": f"20{n}",
                                     "major": "软件工程", "degree": "bachelor", "graduation_year": 2026})
        answers.append(response.status_code)
    assert answers == [201, 201, 429]
    assert response.headers["Retry-After"] == "3600"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_owner_revokes_a_token_from_the_tokens_page(session, client, client_for):
    graduate, other = make_graduate(session), make_graduate(session)
    token = api_token(client, graduate.email)
    browser = client_for(graduate)
    page = browser.get("/account/tokens")
    assert page.status_code == 200 and "API 令牌" in page.text
    token_id = int(re.search(r"/account/tokens/(\d+)/revoke", page.text).group(1))
    assert client_for(other).post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert browser.post(f"/account/tokens/{token_id}/revoke", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert "/revoke" not in browser.get("/account/tokens").text


def test_ended_sessions_and_old_attempts_are_purged_on_schedule(session, settings, client):
    from portal.accounts.models import LoginAttempt, UserSession

    graduate = make_graduate(session)
    api_token(client, graduate.email)
    live = api_token(client, graduate.email)
    ended, _ = session.exec(select(UserSession).order_by(UserSession.id)).all()
    ended.revoked_at = utcnow() - timedelta(days=31)
    session.add(LoginAttempt(key="ip:10.0.0.9", created_at=utcnow() - timedelta(days=settings.login_known_source_days + 1)))
    session.commit()
    service.purge_expired_job(session, settings=settings)
    assert [s.id for s in session.exec(select(UserSession)).all()] == [ended.id + 1]
    assert session.exec(select(LoginAttempt).where(LoginAttempt.key == "ip:10.0.0.9")).all() == []
    assert client.get("/api/v1/me", headers=live).status_code == 200


def test_a_tokens_last_use_is_kept_without_counting_as_the_requests_work(session, client):
    """Refreshing last_used_at must not claim the request's Idempotency-Key before the work is done."""
    from portal.accounts.models import UserSession

    graduate = make_graduate(session)
    headers = api_token(client, graduate.email)
    row = session.exec(select(UserSession)).one()
    row.last_used_at = utcnow() - timedelta(hours=1)
    session.add(row)
    session.commit()
    refused = client.post("/api/v1/me/password", json={"current_password": "wrong-one-1", "new_password": "x" * 12},
                          headers={**headers, "Idempotency-Key": "change-1"})
    assert refused.status_code == 422
    session.expire_all()
    assert session.get(UserSession, row.id).last_used_at > utcnow() - timedelta(minutes=1)
    retried = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "tianjin-2026-pw"},
                          headers={**headers, "Idempotency-Key": "change-1"})
    assert retried.status_code == 204, retried.text
