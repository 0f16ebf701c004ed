"""A long text survives a reload (or an expired login) as a draft in the browser tab."""

import pytest

from iop.models import Plan
from tests.factories import PASSWORD
from tests.iop.factories import PlanFactory, PlanSubjectFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_unsaved_part1_text_is_restored_after_reload(page, live_server, admin, minor):
    plan = PlanFactory(student=minor, stage=Plan.Stage.DRAFT, framework_factors="")
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/iop/{plan.pk}/del1/")
    page.get_by_label("Rammefaktorer").fill("Liten gruppe i matematikk, PC med opplesing.")
    page.wait_for_timeout(800)  # the script saves after a short pause in typing
    page.reload()
    assert page.get_by_label("Rammefaktorer").input_value() == "Liten gruppe i matematikk, PC med opplesing."
    assert page.get_by_text("Et utkast du ikke lagret, er hentet fram igjen.").is_visible()


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
    with page.expect_navigation():
        page.get_by_role("button", name="Legg til mål").click()
    assert page.get_by_role("cell", name="Regne med prosent.").is_visible()
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == ""
    assert page.get_by_text("Et utkast du ikke lagret, er hentet fram igjen.").count() == 0


def test_a_goal_written_while_the_login_expired_waits_after_logging_in(page, teacher, goal_typed):
    page.context.clear_cookies()  # the session has expired
    with page.expect_navigation():
        page.get_by_role("button", name="Legg til mål").click()
    assert "/logg-inn/" in page.url
    page.get_by_label("Brukernavn").fill(teacher.username)
    page.get_by_label("Passord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    assert page.url.endswith(f"/iop/fag/{goal_typed.pk}/")
    assert page.get_by_role("textbox", name="Kompetansemål").input_value() == "Regne med prosent."
    assert page.get_by_text("Et utkast du ikke lagret, er hentet fram igjen.").is_visible()
