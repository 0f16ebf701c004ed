"""The warning before the idle logout (static/js/idle.js), and a text written before it that survives it.

The server's clock is moved by setting the session's last-request time back (accounts/idle.py
writes it at most once a minute, so a page loaded within that minute is told less than the whole
limit); the page's clock by Playwright's fake clock.
"""

import re
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils.translation import gettext, ngettext, override

from accounts import idle
from audit.models import AccessEvent
from iop.models import Plan
from tests.iop.factories import PlanFactory, PlanSubjectFactory

from tests.factories import PASSWORD

from . import helpers
from .helpers import follow, log_in, wait_until_true
from .test_drafts import NOTICE, wait_for_draft

pytestmark = pytest.mark.django_db(transaction=True)

DIALOG_OPEN = "document.getElementById('idle-dialog').open"
SETTLED = "document.getAnimations().every(animation => animation.playState === 'finished')"  # the dialog's fade-in


def nb(text: str) -> str:
    """What the page shows (bokmål once translated; the English text until then)."""
    with override("nb"):
        return gettext(text)


def log_in_here(page, username, path):
    """Log in on the login page the tab is on (with the second factor if asked); return once back on `path`."""
    second_factor = getattr(helpers, "SECOND_FACTOR", None)
    device = helpers.authenticator(username) if second_factor else None
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    if not second_factor:
        follow(page, page.get_by_role("button", name="Logg inn"), path)
        return
    follow(page, page.get_by_role("button", name="Logg inn"), re.compile(f"{re.escape(second_factor)}|{path}"))
    if urlsplit(page.url).path == second_factor:
        page.locator("main input[name=code]").fill(helpers.current_code(device))
        follow(page, page.locator("main form button[type=submit]"), path)


def session_of(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)


def set_back(page, seconds: int) -> int:
    """Pretend the login's last request was `seconds` earlier; return the stored time."""
    session = session_of(page)
    session[idle.LAST_SEEN] -= seconds
    session.save()
    return session[idle.LAST_SEEN]


@pytest.fixture
def subject_page(page, live_server, teacher, minor):
    subject = PlanSubjectFactory(plan=PlanFactory(student=minor, stage=Plan.Stage.TEACHERS),
                                 subject=minor.enrollments.get().subject)
    return f"/iop/fag/{subject.pk}/"


def test_the_warning_appears_and_its_button_keeps_the_login(page, live_server, settings, teacher, subject_page,
                                                            axe_check):
    settings.SESSION_IDLE_MINUTES = 2
    settings.SESSION_IDLE_WARNING_SECONDS = 100
    log_in(page, live_server, teacher.username)
    before = set_back(page, 50)  # within the minute: the next page is not written, and has 70 s left
    page.goto(f"{live_server.url}{subject_page}")
    dialog = page.get_by_role("alertdialog", name=nb("Are you still there?"))
    wait_until_true(page, DIALOG_OPEN)
    assert dialog.is_visible()
    with override("nb"):
        warning = ngettext("You will be logged out in %(minutes)s minute because you have not been active.",
                           "You will be logged out in %(minutes)s minutes because you have not been active.", 2)
    assert page.get_by_text(warning % {"minutes": 2}).is_visible()
    stay = dialog.get_by_role("button", name=nb("Stay logged in"))
    wait_until_true(page, "document.activeElement && document.activeElement.hasAttribute('data-idle-continue')")
    wait_until_true(page, SETTLED)
    axe_check(page)
    stay.click()
    wait_until_true(page, f"!{DIALOG_OPEN}")
    wait_until_true(page, "Number(localStorage.getItem('iop-idle-ends')) > Date.now() + 110000")
    assert session_of(page)[idle.LAST_SEEN] >= before + 50  # the keep-alive wrote the time now
    page.wait_for_timeout(500)
    assert not page.evaluate(DIALOG_OPEN)  # 120 s left now: no warning until 100 s before
    page.reload()
    assert page.url == f"{live_server.url}{subject_page}"  # still logged in
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.LOGOUT).exists()


def test_a_goal_typed_before_an_idle_logout_waits_after_logging_in(page, live_server, teacher, subject_page):
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}{subject_page}")
    page.get_by_role("textbox", name="Kompetansemål").fill("Regne med prosent.")
    wait_for_draft(page)
    set_back(page, 31 * 60)  # a teacher's limit is 30 minutes
    follow(page, page.get_by_role("button", name="Legg til mål"), "/logg-inn/")
    assert AccessEvent.objects.filter(user=teacher, action=AccessEvent.Action.LOGOUT,
                                      detail="idle timeout").count() == 1
    log_in_here(page, teacher.username, subject_page)
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == "Regne med prosent."
    assert page.get_by_text(NOTICE).is_visible()


def test_when_the_time_is_up_the_page_says_so_and_leads_to_the_login(page, live_server, teacher, subject_page,
                                                                    axe_check):
    page.clock.install()
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}{subject_page}")
    page.get_by_role("textbox", name="Kompetansemål").fill("Regne med prosent.")
    wait_for_draft(page)
    set_back(page, 31 * 60)
    page.clock.fast_forward("31:00")
    wait_until_true(page, DIALOG_OPEN)
    dialog = page.get_by_role("alertdialog", name=nb("Are you still there?"))
    assert dialog.get_by_text(nb("You have been logged out because you were not active. What you wrote is kept "
                                 "in this browser tab: log in again to save it.")).is_visible()
    assert page.url == f"{live_server.url}{subject_page}"  # nothing happened on its own
    wait_until_true(page, SETTLED)
    axe_check(page)
    follow(page, dialog.get_by_role("button", name=nb("Log in again")), "/logg-inn/")
    log_in_here(page, teacher.username, subject_page)
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == "Regne med prosent."
    assert page.get_by_text(NOTICE).is_visible()


def test_typing_after_the_login_ended_elsewhere_says_so(page, live_server, teacher, subject_page):
    """Typing asks the server at most once a minute; an ended login answers with the login page."""
    page.clock.install()
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}{subject_page}")
    set_back(page, 31 * 60)  # ended on the server, not yet in the page's clock
    page.clock.fast_forward("01:01")
    assert not page.evaluate(DIALOG_OPEN)
    page.get_by_role("textbox", name="Kompetansemål").fill("Regne med prosent.")
    wait_until_true(page, DIALOG_OPEN)
    assert page.get_by_role("button", name=nb("Log in again")).is_visible()
    assert page.url == f"{live_server.url}{subject_page}"
