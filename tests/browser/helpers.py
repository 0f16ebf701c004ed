"""Steps shared by the browser tests."""

import re
from urllib.parse import urlsplit

from tests.factories import PASSWORD


SECOND_FACTOR = "/totrinn/"


def log_in(page, live_server, username):
    """Log in, giving the second factor when asked, and wait until the page after that has loaded.

    The user gets a confirmed authenticator device first (the cast has none), ready to take
    the current code even if the same user logged in a moment ago (a code works once).
    """
    device = authenticator(username)
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn/" not in url)
    if urlsplit(page.url).path == SECOND_FACTOR:
        page.locator("main input[name=code]").fill(current_code(device))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: urlsplit(url).path != SECOND_FACTOR)


def log_in_here(page, username, path):
    """Log in on the login page the tab is on (with the second factor when asked); return once on `path`."""
    device = authenticator(username)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    target = path if isinstance(path, re.Pattern) else re.compile(re.escape(path))
    follow(page, page.get_by_role("button", name="Logg inn"),
           re.compile(f"{re.escape(SECOND_FACTOR)}|{target.pattern}"))
    if urlsplit(page.url).path == SECOND_FACTOR:
        page.locator("main input[name=code]").fill(current_code(device))
        follow(page, page.locator("main form button[type=submit]"), path)


def authenticator(username):
    """The user's confirmed TOTP device (made if missing), with no code used yet and no wait."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    device, _ = TOTPDevice.objects.get_or_create(
        user=User.objects.get(username=username), name="authenticator", defaults={"confirmed": True}
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    return device


def current_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


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


def with_password(**lookup):
    """An imported person logs in with Feide or ID-porten; here they get a password so the test can log them in."""
    from accounts.models import User

    user = User.objects.get(**lookup)
    user.set_password(PASSWORD)
    user.save()
    return user
