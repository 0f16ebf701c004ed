"""Issue 18 in a browser: the coordinator filters the school's IOP overview to "not done" and opens the
IOP settings, a teacher reads what is still to write, and the IOP admin compares two versions of part 1
and restores the first; axe on every page."""

import pytest

from accounts.models import SchoolYear
from iop.models import Plan
from iop.services import versioned_update
from tests.factories import SubjectFactory
from tests.iop.factories import PlanFactory, PlanSubjectFactory

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plans(minor, adult):
    """Emma's IOP with maths still to write (the cast's teacher teaches her maths), Erik's with everything done."""
    year = SchoolYear.objects.current(create=True)
    maths = SubjectFactory(code="MAT1019")
    open_plan = PlanFactory(student=minor, school_year=year, stage=Plan.Stage.TEACHERS)
    PlanSubjectFactory(plan=open_plan, subject=maths)
    done_plan = PlanFactory(student=adult, school_year=year, stage=Plan.Stage.HALF_YEAR)
    PlanSubjectFactory(plan=done_plan, subject=maths, goals_done=True, half_year_done=True, annual_done=True)
    return open_plan, done_plan


def shown_plans(page) -> set[int]:
    return {int(pk) for pk in page.locator("[data-plan]").evaluate_all("rows => rows.map(r => r.dataset.plan)")}


def test_the_coordinator_filters_the_overview_to_work_not_done(page, live_server, admin, school_a, plans, axe_check,
                                                               screenshot):
    open_plan, done_plan = plans
    log_in(page, live_server, admin.username)
    overview = f"/skoler/{school_a.pk}/iop-oversikt/"
    page.goto(f"{live_server.url}{overview}")
    page.locator("#overview-filter").wait_for()
    assert shown_plans(page) == {open_plan.pk, done_plan.pk}
    axe_check(page)

    page.locator("#overview-filter input[name=not_done]").check()
    follow(page, page.locator("#overview-filter button[type=submit]"), overview)
    assert "not_done=on" in page.url
    assert shown_plans(page) == {open_plan.pk}
    screenshot(page, "iop-overview-not-done")
    axe_check(page)

    page.goto(f"{live_server.url}/skoler/{school_a.pk}/iop-innstillinger/")
    page.locator("main form").first.wait_for()
    axe_check(page)


def test_the_teacher_sees_what_is_still_to_write(page, live_server, teacher, plans, axe_check):
    open_plan, _done = plans
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/iop/mitt-arbeid/")
    page.locator("main h1").wait_for()
    assert f"/iop/fag/{open_plan.subjects.get().pk}/" in page.content()
    axe_check(page)


def test_the_admin_compares_two_versions_and_restores_the_first(page, live_server, admin, plans, axe_check):
    plan, _done = plans
    for number, text in enumerate(["Eleven skal lese enkle tekster.", "Eleven skal lese lengre tekster."]):
        versioned_update(plan, version_field="part1_version", expected=number, student=plan.student,
                         object_type="iop", detail="part 1", goal_text=text)
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/historikk/del1/{plan.pk}/")
    page.get_by_test_id("compare").wait_for()
    axe_check(page)

    follow(page, page.get_by_test_id("compare").locator("button[type=submit]"), f"/historikk/del1/{plan.pk}/forskjell/")
    assert page.locator("main ins").count() and page.locator("main del").count()
    axe_check(page)

    page.goto(f"{live_server.url}/historikk/del1/{plan.pk}/")
    follow(page, page.get_by_test_id("restore-2").locator("button"), f"/historikk/del1/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.goal_text == "Eleven skal lese enkle tekster." and plan.part1_version == 3
