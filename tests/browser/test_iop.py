"""The IOP pages in a real browser for the admin, the teacher and the guardian, with axe on each."""

import pytest

from iop.models import Plan
from tests.factories import SubjectFactory
from tests.iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan(minor, admin):
    plan = PlanFactory(student=minor, stage=Plan.Stage.ANNUAL_REPORT)
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    GoalFactory(plan_subject=maths)
    LogEntryFactory(plan=plan, created_by=admin)
    AnnexRowFactory(plan=plan)
    return plan


def test_iop_pages_are_accessible_for_each_role(browser, page, live_server, plan, admin, teacher, guardian,
                                                 axe_check, screenshot):
    maths = plan.subjects.get()
    admin_pages = ["iop/{plan}/", "iop/{plan}/del1/", "iop/{plan}/fag/", "iop/fag/{subject}/",
                   "iop/fag/{subject}/vurdering/halvar/", "iop/{plan}/arsrapport/", "iop/{plan}/vedlegg/"]
    log_in(page, live_server, admin.username)
    for path in admin_pages:
        page.goto(f"{live_server.url}/{path.format(plan=plan.pk, subject=maths.pk)}")
        assert page.locator("h1").count() == 1, path
        axe_check(page)
    page.goto(f"{live_server.url}/iop/{plan.pk}/")
    screenshot(page, "iop-admin")

    for user, paths in [(teacher, ["iop/{plan}/", "iop/fag/{subject}/"]), (guardian, ["iop/{plan}/"])]:
        other = browser.new_context(locale="nb-NO").new_page()
        log_in(other, live_server, user.username)
        for path in paths:
            other.goto(f"{live_server.url}/{path.format(plan=plan.pk, subject=maths.pk)}")
            axe_check(other)
        screenshot(other, f"iop-{user.username}")
