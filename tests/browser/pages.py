"""Helpers for the browser tests: device profiles, a page that records JavaScript errors, signing in."""
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}
SCREENSHOTS = "/tmp/jinying-journey-{name}.png"


def new_page(chromium, base_url: str, device: dict) -> Page:
    context = chromium.new_context(base_url=base_url, locale="zh-CN", **device)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # checked at the end: no page may throw
    return page


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("form[action='/login'] input[name=email]", email)
    page.fill("form[action='/login'] input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("header .account form[action='/logout']")).to_be_visible()


def signed_in_page(chromium, base_url: str, email: str, device: dict = DESKTOP) -> Page:
    page = new_page(chromium, base_url, device)
    sign_in(page, email)
    return page
