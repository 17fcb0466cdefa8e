"""Single sign-on in Debian's chromium: the login page's button, the provider round trip, the account page."""
import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE, new_page
from tests.factories import make_graduate
from tests.oidc_provider import OidcProvider

# The browser round trip, on the database production runs; the linking rules are tested on both in test_oidc.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]


@pytest.fixture
def provider():
    with OidcProvider() as provider:
        yield provider


@pytest.fixture
def settings(settings, provider):
    settings.oidc_issuer = provider.issuer
    settings.oidc_client_id = provider.client.client_id
    settings.oidc_client_secret = provider.client.client_secret
    return settings


def test_graduate_signs_in_with_the_campus_identity_on_a_phone(chromium, live_server, provider, session):
    graduate = make_graduate(session, email="wang.fang@example.edu.cn")
    provider.redirect_uris = [f"{live_server}/auth/oidc/callback"]
    provider.user = {"sub": "nk-2022001", "email": graduate.email, "email_verified": True, "name": "王芳"}

    page = new_page(chromium, live_server, PHONE)
    page.goto("/login?next=/account/sso")
    page.get_by_role("link", name="使用统一身份认证登录").click()

    page.wait_for_url("**/account/sso")
    expect(page.locator("header .account")).to_contain_text(graduate.display_name)
    expect(page.locator("#sso-identities")).to_contain_text("统一身份认证")
    assert page.js_errors == []
