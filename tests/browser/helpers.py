"""Steps shared by the browser tests."""

import re
from urllib.parse import urlsplit

from tests.factories import PASSWORD


def log_in(page, live_server, username):
    """Log in and wait until the page after the login form has loaded."""
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn/" not in url)


def follow(page, locator, path):
    """Click a link or a form's button; return once the page it leads to has loaded.

    `path` is what that page's URL path must be: a string (equal), or a compiled regex (full
    match). The wait is for a new navigation, so a form that redirects back to the page it was
    on is waited for too, and nothing looks at the old page after the click.
    """
    if isinstance(path, re.Pattern):
        def arrived(url):
            return path.fullmatch(urlsplit(url).path) is not None
    else:
        def arrived(url):
            return urlsplit(url).path == path
    with page.expect_navigation(url=arrived):
        locator.click()


def wait_until_true(page, expression: str, timeout_ms: int = 5000) -> None:
    """Poll a JavaScript expression until it is true.

    Not page.wait_for_function: that evaluates a string inside the page, which the app's
    Content-Security-Policy (no 'unsafe-eval') refuses; page.evaluate goes through the
    DevTools protocol instead.
    """
    waited = 0
    while not page.evaluate(expression):
        if waited >= timeout_ms:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(50)
        waited += 50


PHONE = {"width": 390, "height": 844}
