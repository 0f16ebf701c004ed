"""Steps shared by the browser tests."""

from tests.factories import PASSWORD


def log_in(page, live_server, username):
    """Log in and wait until the page after the login form has loaded."""
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn/" not in url)


PHONE = {"width": 390, "height": 844}
