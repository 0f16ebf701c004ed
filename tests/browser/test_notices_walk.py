"""A guardian is told the IOP is published: the notice on the start page, opened, then the list and the
e-mail choices; each page passes axe."""

import pytest
from django.core import mail

from accounts.models import SchoolYear
from iop.models import Plan
from iop.services import plan_set_stage
from notices.models import Event, Notice
from notices.services import email_events_of
from tests.iop.factories import PlanFactory

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_guardian_opens_the_notice_and_chooses_the_emails(page, live_server, minor, guardian, admin, teacher,
                                                              axe_check, screenshot):
    guardian.email = "frida@example.no"
    guardian.save()
    plan = PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True), stage=Plan.Stage.DRAFT)
    plan_set_stage(plan=plan, stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    assert [message.to for message in mail.outbox if message.to == [guardian.email]] == [[guardian.email]]
    notice = Notice.objects.get(user=guardian)

    log_in(page, live_server, guardian.username)
    page.get_by_test_id("latest-notices").wait_for()
    screenshot(page, "notices-start")
    axe_check(page)

    follow(page, page.get_by_test_id(f"notice-{notice.pk}").locator("form").first.locator("button"),
           f"/iop/{plan.pk}/")
    notice.refresh_from_db()
    assert notice.read_at is not None

    page.goto(f"{live_server.url}/varsler/")
    page.get_by_test_id("notices").wait_for()
    axe_check(page)

    page.goto(f"{live_server.url}/varsler/innstillinger/")
    page.locator(f"input[value='{Event.PLAN_PUBLISHED_TO_FAMILY}']").wait_for()
    axe_check(page)
    page.locator(f"input[value='{Event.PLAN_PUBLISHED_TO_FAMILY}']").uncheck()
    follow(page, page.locator("main form button[type=submit]"), "/varsler/innstillinger/")
    assert Event.PLAN_PUBLISHED_TO_FAMILY not in email_events_of(guardian)
