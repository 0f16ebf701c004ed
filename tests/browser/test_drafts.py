"""A long text survives a reload (or an expired login) as a draft in the browser tab.

It survives for the same user only: drafts are kept per user, another user's are deleted when
seen, and logging out deletes them all.
"""

import pytest

from iop.models import Plan
from tests.iop.factories import PlanFactory, PlanSubjectFactory

from .helpers import follow, log_in, log_in_here, wait_until_true

NOTICE = "Et utkast du ikke lagret, er hentet fram igjen."
DRAFT_KEYS = "Object.keys(sessionStorage).filter(key => key.startsWith('iop-draft:'))"


def wait_for_draft(page):
    """Wait until the script has kept what was typed (it saves after a short pause in typing)."""
    wait_until_true(page, f"{DRAFT_KEYS}.length > 0")


# Logging in on the page the tab is on, with the second factor: helpers.log_in_here.

pytestmark = pytest.mark.django_db(transaction=True)


def test_unsaved_part1_text_is_restored_after_reload(page, live_server, admin, minor):
    plan = PlanFactory(student=minor, stage=Plan.Stage.DRAFT, framework_factors="")
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/iop/{plan.pk}/del1/")
    page.get_by_label("Rammefaktorer").fill("Liten gruppe i matematikk, PC med opplesing.")
    page.wait_for_timeout(800)  # the script saves after a short pause in typing
    page.reload()
    assert page.get_by_label("Rammefaktorer").input_value() == "Liten gruppe i matematikk, PC med opplesing."
    assert page.get_by_text(NOTICE).is_visible()


@pytest.fixture
def goal_typed(page, live_server, teacher, minor):
    """The teacher has typed a competence goal on the maths page but not saved it; the page's subject."""
    subject = PlanSubjectFactory(plan=PlanFactory(student=minor, stage=Plan.Stage.TEACHERS),
                                 subject=minor.enrollments.get().subject)
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/iop/fag/{subject.pk}/")
    page.get_by_role("textbox", name="Kompetansemål").fill("Regne med prosent.")
    return subject


def test_a_saved_goal_is_not_offered_again_as_a_draft(page, goal_typed):
    follow(page, page.get_by_role("button", name="Legg til mål"), f"/iop/fag/{goal_typed.pk}/")
    assert page.get_by_role("cell", name="Regne med prosent.").is_visible()
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == ""
    assert page.get_by_text(NOTICE).count() == 0


def test_a_goal_written_while_the_login_expired_waits_after_logging_in(page, teacher, goal_typed):
    page.context.clear_cookies()  # the session has expired
    follow(page, page.get_by_role("button", name="Legg til mål"), "/logg-inn/")
    log_in_here(page, teacher.username, f"/iop/fag/{goal_typed.pk}/")
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == "Regne med prosent."
    assert page.get_by_text(NOTICE).is_visible()


def test_a_goal_typed_before_the_login_expired_waits_after_logging_in(page, live_server, teacher, goal_typed):
    wait_for_draft(page)
    page.context.clear_cookies()  # the session has expired
    page.reload()
    assert page.url.startswith(f"{live_server.url}/logg-inn/")
    log_in_here(page, teacher.username, f"/iop/fag/{goal_typed.pk}/")
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == "Regne med prosent."
    assert page.get_by_text(NOTICE).is_visible()


def test_another_user_logging_in_after_an_expired_login_never_gets_the_draft(page, live_server, coteacher,
                                                                               goal_typed):
    wait_for_draft(page)
    page.context.clear_cookies()  # the teacher's session has expired, the tab is left open
    follow(page, page.get_by_role("button", name="Legg til mål"), "/logg-inn/")
    log_in_here(page, coteacher.username, f"/iop/fag/{goal_typed.pk}/")  # teaches the same subject
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == ""
    assert page.get_by_text(NOTICE).count() == 0
    assert page.evaluate(DRAFT_KEYS) == []  # the teacher's draft is deleted, not just left unused


def test_logging_out_deletes_the_drafts(page, live_server, coteacher, goal_typed):
    wait_for_draft(page)
    follow(page, page.get_by_role("button", name="Logg ut"), "/logg-inn/")
    assert page.evaluate(DRAFT_KEYS) == []
    log_in_here(page, coteacher.username, "/")
    page.goto(f"{live_server.url}/iop/fag/{goal_typed.pk}/")
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == ""
    assert page.get_by_text(NOTICE).count() == 0
    assert page.evaluate(DRAFT_KEYS) == []


def test_the_logout_button_deletes_the_drafts_where_clear_site_data_is_ignored(page, live_server, goal_typed):
    """Clear-Site-Data is honoured only in secure contexts (HTTPS, localhost), not by every browser."""
    def without_clear_site_data(route):
        response = route.fetch(max_redirects=0)
        headers = {name: value for name, value in response.headers.items() if name != "clear-site-data"}
        route.fulfill(response=response, headers=headers)

    page.route(f"{live_server.url}/logg-ut/", without_clear_site_data)
    wait_for_draft(page)
    follow(page, page.get_by_role("button", name="Logg ut"), "/logg-inn/")
    assert page.evaluate(DRAFT_KEYS) == []
