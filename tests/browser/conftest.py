"""Browser fixtures: Debian's chromium driven by Playwright (skipped with a reason when it is missing, failed under CI)."""
import pytest
from playwright.sync_api import sync_playwright

from tests.services import CHROMIUM_ARGS, chromium_path


@pytest.fixture
def chromium():
    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
