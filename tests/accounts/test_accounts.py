from portal.accounts import service
from portal.errors import NotAuthenticated, TooManyRequests
from tests.conftest import api_token, csrf_from
from tests.factories import PASSWORD, make_graduate

import pytest


def test_graduate_signs_up_through_the_form_and_lands_signed_in(client, session):
    token = csrf_from(client.get("/signup/graduate").text)
    response = client.post(
        "/signup/graduate",
        data={
            "csrf_token": token, "display_name": "王小红", "email": "Wang@Example.edu.cn", "password": "long-enough-1",
            "school": "天津大学", "student_number": "2022001", "major": "软件工程", "degree": "master",
            "graduation_year": "2026",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    user = service.get_user_by_email(session, "wang@example.edu.cn")
    assert user is not None and user.role == "graduate"
    assert service.graduate_profile(session, user.id).major == "软件工程"
    assert client.get("/api/v1/me").json()["email"] == "wang@example.edu.cn"


def test_signup_with_bad_fields_shows_errors_and_creates_nothing(client, session):
    token = csrf_from(client.get("/signup/graduate").text)
    response = client.post(
        "/signup/graduate",
        data={"csrf_token": token, "display_name": "x", "email": "not-an-email", "password": "short",
              "school": "天津大学", "student_number": "1", "major": "软件工程", "degree": "bachelor", "graduation_year": "abc"},
    )
    assert response.status_code == 422
    assert 'class="field has-error"' in response.text
    assert service.get_user_by_email(session, "not-an-email") is None


def test_form_post_without_csrf_token_is_refused(client, session):
    response = client.post("/login", data={"email": "a@b.cn", "password": "x"})
    assert response.status_code == 403
    response = client.post("/api/v1/graduates", json={})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_wrong_passwords_make_that_source_wait(session, settings):
    # A wait long enough that a slow machine cannot sleep through it between two attempts.
    settings = settings.model_copy(update={"login_base_delay_seconds": 120.0})
    graduate = make_graduate(session)
    for _ in range(settings.login_max_failures):
        with pytest.raises(NotAuthenticated):
            service.authenticate(session, settings=settings, email=graduate.email, password="wrong", ip="10.0.0.1")
    with pytest.raises(TooManyRequests):
        service.authenticate(session, settings=settings, email=graduate.email, password=PASSWORD, ip="10.0.0.1")


def test_api_token_and_problem_details(client, session):
    graduate = make_graduate(session)
    headers = api_token(client, graduate.email)
    assert client.get("/api/v1/me", headers=headers).json()["role"] == "graduate"
    bad = client.post("/api/v1/auth/token", json={"email": graduate.email, "password": "nope"})
    assert bad.status_code == 401 and bad.json()["status"] == 401


def test_session_cookie_is_httponly_and_samesite(client, session):
    graduate = make_graduate(session)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": graduate.email, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/"])
def test_sign_in_never_redirects_to_another_site(client, session, target):
    graduate = make_graduate(session)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": graduate.email, "password": PASSWORD, "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/me"


def test_the_not_found_page_still_knows_who_is_signed_in(session, client_for):
    graduate = make_graduate(session)
    page = client_for(graduate).get("/no-such-page")
    assert page.status_code == 404
    assert graduate.display_name in page.text and 'href="/login"' not in page.text
