"""Single sign-on, end to end over real HTTP: the portal under uvicorn, a real OIDC provider on loopback."""
import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from portal.accounts.models import OidcIdentity
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_employer, make_graduate, make_officer
from tests.oidc_provider import OidcProvider

CLIENT_ID, CLIENT_SECRET = "jinying-portal", "provider-secret"


@pytest.fixture
def provider():
    with OidcProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as provider:
        yield provider


@pytest.fixture
def settings(settings, provider):
    settings.oidc_issuer = provider.issuer
    settings.oidc_client_id = CLIENT_ID
    settings.oidc_client_secret = CLIENT_SECRET
    settings.oidc_display_name = "TestID"
    return settings


@pytest.fixture
def portal(live_server, provider):
    """(base URL, a browser-like HTTP client with its own cookie jar)."""
    provider.redirect_uris = [f"{live_server}/auth/oidc/callback"]
    with httpx.Client(base_url=live_server, follow_redirects=True, timeout=20) as browser:
        yield live_server, browser


def signed_in_email(browser: httpx.Client) -> str | None:
    response = browser.get("/api/v1/me")
    return response.json()["email"] if response.status_code == 200 else None


def sso_error(response: httpx.Response) -> str | None:
    marker = 'data-sso-error="'
    return response.text.split(marker, 1)[1].split('"', 1)[0] if marker in response.text else None


def test_verified_email_links_to_the_existing_graduate_and_signs_in(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session, email="li.lei@example.edu.cn")
    provider.user = {"sub": "tju-0001", "email": "Li.Lei@example.edu.cn", "email_verified": True, "name": "李雷"}

    response = browser.get("/auth/oidc/login", params={"next": "/account/sso"})

    assert response.status_code == 200 and str(response.url) == f"{base}/account/sso"
    assert signed_in_email(browser) == graduate.email
    identity = session.exec(select(OidcIdentity).where(OidcIdentity.user_id == graduate.id)).one()
    assert (identity.issuer, identity.subject) == (provider.issuer, "tju-0001")
    # The login page offers the provider by its configured name.
    assert "TestID" in httpx.get(f"{base}/login").text


def test_subject_link_is_reused_even_when_the_email_changes(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session, email="han.meimei@example.edu.cn")
    provider.user = {"sub": "tju-0002", "email": graduate.email, "email_verified": True}
    browser.get("/auth/oidc/login")
    assert signed_in_email(browser) == graduate.email

    provider.user = {"sub": "tju-0002", "email": "new-address@elsewhere.cn", "email_verified": False}
    with httpx.Client(base_url=base, follow_redirects=True) as other_browser:
        other_browser.get("/auth/oidc/login")
        assert signed_in_email(other_browser) == graduate.email
    session.expire_all()
    assert len(session.exec(select(OidcIdentity)).all()) == 1


def test_unverified_email_is_refused(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session)
    provider.user = {"sub": "tju-0003", "email": graduate.email, "email_verified": False}

    response = browser.get("/auth/oidc/login")

    assert response.status_code == 403 and sso_error(response) == "unverified"
    assert signed_in_email(browser) is None
    assert session.exec(select(OidcIdentity)).all() == []


def test_employers_cannot_use_single_sign_on(portal, provider, session):
    base, browser = portal
    _org, recruiter = make_employer(session)
    provider.user = {"sub": "corp-1", "email": recruiter.email, "email_verified": True}

    response = browser.get("/auth/oidc/login")

    assert response.status_code == 403 and sso_error(response) == "role"
    assert signed_in_email(browser) is None


def test_officer_signs_in_but_only_when_officers_are_allowed(portal, provider, session, settings):
    base, browser = portal
    officer = make_officer(session, city_wide=True)
    provider.user = {"sub": "gov-7", "email": officer.email, "email_verified": True}
    settings.oidc_roles = "graduate"
    response = browser.get("/auth/oidc/login")
    assert response.status_code == 403 and sso_error(response) == "role"

    settings.oidc_roles = "graduate,officer"
    browser.get("/auth/oidc/login")
    assert signed_in_email(browser) == officer.email


def test_unknown_verified_email_explains_then_graduate_signs_up_with_it(portal, provider, session):
    base, browser = portal
    provider.user = {"sub": "tju-0009", "email": "newcomer@example.edu.cn", "email_verified": True, "name": "新同学"}

    response = browser.get("/auth/oidc/login")

    assert response.status_code == 403 and sso_error(response) == "no_account"
    assert "newcomer@example.edu.cn" in response.text
    assert signed_in_email(browser) is None  # nobody was created silently

    form = browser.get("/auth/oidc/signup")
    assert 'value="newcomer@example.edu.cn"' in form.text and "readonly" in form.text
    response = browser.post("/auth/oidc/signup", data={
        "csrf_token": csrf_from(form.text), "email": "someone-else@evil.cn", "display_name": "新同学",
        "password": "long-enough-1", "school": "天津大学", "student_number": "2022009", "major": "软件工程",
        "degree": "bachelor", "graduation_year": "2026",
    }, follow_redirects=False)
    assert response.status_code == 303
    assert signed_in_email(browser) == "newcomer@example.edu.cn"

    with httpx.Client(base_url=base, follow_redirects=True) as later:
        later.get("/auth/oidc/login")
        assert signed_in_email(later) == "newcomer@example.edu.cn"


def _start_at_provider(browser: httpx.Client, path: str = "/auth/oidc/login?next=/account/sso") -> tuple[str, dict]:
    """Runs the flow up to the provider's redirect back; returns (callback URL, authorize parameters)."""
    to_provider = browser.get(path, follow_redirects=False)
    assert to_provider.status_code == 302
    authorize_url = to_provider.headers["location"]
    back = httpx.get(authorize_url, follow_redirects=False)
    assert back.status_code == 302, back.text
    return back.headers["location"], {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}


def test_wrong_state_is_refused(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session)
    provider.user = {"sub": "tju-0004", "email": graduate.email, "email_verified": True}
    callback, _params = _start_at_provider(browser)
    query = parse_qs(urlsplit(callback).query)

    forged = browser.get("/auth/oidc/callback", params={"code": query["code"][0], "state": "forged-state"})
    assert forged.status_code == 400 and sso_error(forged) == "state"
    assert signed_in_email(browser) is None

    # The right state, but in another browser (a login-CSRF attempt): refused too.
    with httpx.Client(base_url=base, follow_redirects=True) as attacker:
        stolen = attacker.get(callback)
        assert stolen.status_code == 400 and sso_error(stolen) == "state"
        assert signed_in_email(attacker) is None


def test_pkce_verifier_is_sent_and_required(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session)
    provider.user = {"sub": "tju-0005", "email": graduate.email, "email_verified": True}
    callback, params = _start_at_provider(browser)
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    token_url = f"{provider.issuer}/token"
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"]}
    auth = (CLIENT_ID, CLIENT_SECRET)

    # Whoever steals the code but not the verifier gets nothing.
    no_verifier = httpx.post(token_url, data=form, auth=auth)
    assert no_verifier.status_code == 400 and no_verifier.json()["error"] == "invalid_request"
    wrong_verifier = httpx.post(token_url, data={**form, "code_verifier": "x" * 64}, auth=auth)
    assert wrong_verifier.status_code == 400 and wrong_verifier.json()["error"] == "invalid_grant"

    # The portal holds the verifier: the same code works for it, and what it sent hashes to the challenge.
    done = browser.get(callback)
    assert done.status_code == 200 and signed_in_email(browser) == graduate.email
    verifier = provider.token_requests[-1]["code_verifier"]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == params["code_challenge"]


def test_provider_without_pkce_challenge_would_refuse(provider):
    """The provider really enforces PKCE: an authorize request without a challenge gets no code."""
    provider.redirect_uris = ["http://127.0.0.1:9/cb"]
    response = httpx.get(f"{provider.issuer}/authorize", params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": "http://127.0.0.1:9/cb",
        "scope": "openid email", "state": "s", "nonce": "n",
    }, follow_redirects=False)
    location = response.headers["location"]
    assert "error=invalid_request" in location and "code=" not in location


@pytest.mark.parametrize("forgery", ["signature", "nonce", "audience", "issuer", "expired"])
def test_id_tokens_that_do_not_verify_are_refused(portal, provider, session, forgery):
    """The ID token is checked against the provider's JWKS, our nonce, our client id, the issuer and its expiry."""
    from joserfc.jwk import RSAKey

    base, browser = portal
    graduate = make_graduate(session)
    provider.user = {"sub": "tju-0010", "email": graduate.email, "email_verified": True}
    if forgery == "signature":  # same key id as the published key, other key material
        provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": provider.key.kid})
    else:
        provider.id_token_overrides = {
            "nonce": {"nonce": "not-the-nonce-we-sent"}, "audience": {"aud": ["some-other-client"]},
            "issuer": {"iss": "http://127.0.0.1:1"}, "expired": {"exp": 1_000_000_000, "iat": 999_990_000},
        }[forgery]

    response = browser.get("/auth/oidc/login?next=/account/sso")

    assert response.status_code == 400 and sso_error(response) == "token", response.text[-800:]
    assert signed_in_email(browser) is None
    assert session.exec(select(OidcIdentity)).all() == []


def test_provider_error_is_a_readable_page(portal, provider, session):
    base, browser = portal
    provider.consent = False
    response = browser.get("/auth/oidc/login")
    assert response.status_code == 400 and sso_error(response) == "denied"
    assert signed_in_email(browser) is None


def test_expired_flow_is_refused(portal, provider, session, app):
    base, browser = portal
    graduate = make_graduate(session)
    provider.user = {"sub": "tju-0006", "email": graduate.email, "email_verified": True}
    browser.get("/login")  # builds the client
    from portal.accounts import oidc
    oidc.client(app).framework.expires_in = -1
    response = browser.get("/auth/oidc/login")
    assert response.status_code == 400 and sso_error(response) == "expired"
    assert signed_in_email(browser) is None


def test_signed_in_graduate_links_an_identity_with_another_email(portal, provider, session):
    base, browser = portal
    graduate = make_graduate(session, email="personal@qq.example")
    page = browser.get("/login")
    browser.post("/login", data={"email": graduate.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    provider.user = {"sub": "tju-0007", "email": "official@tju.example", "email_verified": True}

    sso_page = browser.get("/account/sso")
    assert "/auth/oidc/link" in sso_page.text
    linked = browser.post("/auth/oidc/link", data={"csrf_token": csrf_from(sso_page.text)})
    assert linked.status_code == 200 and "linked=1" in str(linked.url)

    with httpx.Client(base_url=base, follow_redirects=True) as later:
        later.get("/auth/oidc/login")
        assert signed_in_email(later) == graduate.email

    # Linking needs the CSRF token: a cross-site form cannot start it.
    assert browser.post("/auth/oidc/link", data={}).status_code == 403


def test_identity_of_another_account_cannot_be_linked(portal, provider, session):
    base, browser = portal
    first = make_graduate(session, email="first@example.edu.cn")
    second = make_graduate(session, email="second@example.edu.cn")
    session.add(OidcIdentity(user_id=first.id, issuer=provider.issuer, subject="tju-0008"))
    session.commit()
    page = browser.get("/login")
    browser.post("/login", data={"email": second.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    provider.user = {"sub": "tju-0008", "email": first.email, "email_verified": True}

    sso_page = browser.get("/account/sso")
    response = browser.post("/auth/oidc/link", data={"csrf_token": csrf_from(sso_page.text)})
    assert response.status_code == 409 and sso_error(response) == "conflict"
    session.expire_all()
    assert [i.user_id for i in session.exec(select(OidcIdentity))] == [first.id]


def test_sso_routes_are_absent_when_not_configured(client, settings):
    settings.oidc_issuer = None
    assert "/auth/oidc/login" not in client.get("/login").text
    assert client.get("/auth/oidc/login", follow_redirects=False).status_code == 404


def test_redirect_uri_is_under_the_base_url_outside_local_use():
    from portal.accounts.oidc_routes import callback_url
    from portal.settings import Settings

    production = Settings(_env_file=None, environment="production", secret_key="s" * 40,
                          base_url="https://jiuye.tj.example.cn/")
    assert callback_url(None, production) == "https://jiuye.tj.example.cn/auth/oidc/callback"
    explicit = production.model_copy(update={"oidc_redirect_uri": "https://sso-gw.example.cn/cb"})
    assert callback_url(None, explicit) == "https://sso-gw.example.cn/cb"


def test_every_sso_message_has_a_chinese_translation():
    import ast
    from pathlib import Path

    from jinja2.ext import babel_extract

    from portal import i18n

    root = Path(__file__).resolve().parents[2]
    msgids = set()
    for name in ("oidc_error.html", "oidc_no_account.html", "sso.html"):
        with (root / "templates" / "accounts" / name).open("rb") as handle:
            for _, _, message, _ in babel_extract(handle, ("_",), [], {}):
                msgids |= {m for m in (message if isinstance(message, tuple) else (message,)) if m}
    # Messages are the first string with a space passed to the errors, SsoRefused and _problem.
    for name in ("oidc.py", "oidc_routes.py"):
        for node in ast.walk(ast.parse((root / "portal" / "accounts" / name).read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "SsoRefused", "_problem", "Conflict", "Invalid", "NotFound", "Forbidden"
            ):
                msgids |= {a.value for a in node.args if isinstance(a, ast.Constant)
                           and isinstance(a.value, str) and " " in a.value}
    assert len(msgids) > 25
    catalogue = i18n.catalogue("zh_CN")
    assert sorted(m for m in msgids if m not in catalogue) == []


def test_unlink_own_identity_only(session, client_for, provider):
    graduate, other = make_graduate(session), make_graduate(session)
    mine = OidcIdentity(user_id=graduate.id, issuer=provider.issuer, subject="tju-0011")
    theirs = OidcIdentity(user_id=other.id, issuer=provider.issuer, subject="tju-0012")
    session.add_all([mine, theirs])
    session.commit()
    browser = client_for(graduate)

    assert browser.post(f"/account/sso/{theirs.id}/unlink").status_code == 404
    assert "TestID" in browser.get("/account/sso").text
    response = browser.post(f"/account/sso/{mine.id}/unlink", follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert [i.subject for i in session.exec(select(OidcIdentity))] == ["tju-0012"]
