"""What changes on a page without reloading it, in Debian's chromium."""
import pytest
from playwright.sync_api import expect

from portal.demo import OFFICER_EMAIL
from tests.browser.pages import DESKTOP

pytestmark = pytest.mark.browser


def test_tab_counts_follow_a_verification_without_a_reload(open_page):
    page = open_page(DESKTOP, OFFICER_EMAIL)
    page.goto("/officer/organizations?status=pending")
    pending = page.locator("#organization-tabs a[href*='status=pending'] .count")
    verified = page.locator("#organization-tabs a[href*='status=verified'] .count")
    waiting, done = int(pending.inner_text()), int(verified.inner_text())
    assert waiting >= 1, "the demo has an organisation waiting for verification"
    page.evaluate("window.__samePage = true")  # survives only if the page is never reloaded

    page.locator("form[action$='/verify'] button").first.click()
    expect(pending).to_have_text(str(waiting - 1))
    expect(verified).to_have_text(str(done + 1))
    assert page.evaluate("window.__samePage === true")
    page.context.close()
