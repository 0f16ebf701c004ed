"""Playwright driving Debian's Chromium against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

from .helpers import wait_until_true

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by fixtures in that thread are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Mark the tests under tests/browser/ (the hook sees every item of the session)."""
    for item in items:
        if Path(item.path).resolve().is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("IOP_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}, and IOP_REQUIRE_BROWSER is set (CI).")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium to run browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused = []
    # The app's own pages must never trip its Content-Security-Policy.
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture
def axe_check():
    """Run axe on the page; fail listing every WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A click may have started a navigation: axe must not run on the page being torn down.
        page.wait_for_load_state("load")
        wait_until_true(page, "document.readyState === 'complete' && document.documentElement !== null")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def screenshot():
    """Save a screenshot under test-artifacts/ (not committed)."""

    def save(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return save
