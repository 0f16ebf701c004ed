"""The application pages on a phone: nothing is wider than the screen.

Steps 1–5 themselves are walked in test_walk.py."""

import pytest

from applications.models import Application
from tests.applications.factories import ApplicationFactory

from .helpers import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_nothing_overflows_a_phone_screen(browser, live_server, guardian, minor):
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    phone = browser.new_context(locale="nb-NO", viewport=PHONE).new_page()
    log_in(phone, live_server, guardian.username)
    for path in ["/", f"/soknader/{application.pk}/godkjenning/"]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
