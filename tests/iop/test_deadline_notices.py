"""The nightly deadline notices: teachers a week before an assessment is due, IOP admins once a deadline passed."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear, StaffMembership
from applications.models import Application, Decision
from iop.models import SchoolYearDeadlines
from iop.reminders import deadlines_notify
from iop.tasks import notify_deadlines
from notices.models import Event, Notice

from ..factories import SubjectFactory
from .factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def year():
    return SchoolYear.objects.current(create=True)


@pytest.fixture
def maths(minor, year):
    plan = PlanFactory(student=minor, school_year=year, stage=3)
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), goals_done=True)


def set_half_year_due(school, year, due):
    SchoolYearDeadlines.objects.update_or_create(school=school, school_year=year, defaults={"half_year_due": due})


def told(event):
    return set(Notice.objects.filter(event=event).values_list("user__username", flat=True))


@pytest.mark.parametrize("days_left,reminded", [(8, False), (7, True), (0, True), (-1, False)])
def test_teachers_are_reminded_from_a_week_before_the_due_day(teacher, coteacher, other_teacher, school_a, year,
                                                              maths, today, days_left, reminded):
    set_half_year_due(school_a, year, today + days_left * DAY)
    deadlines_notify(today=today)
    assert told(Event.ASSESSMENT_DUE) == ({"bob", "charlie"} if reminded else set())


def test_a_reminder_is_told_once_and_names_only_the_first_name(teacher, school_a, year, maths, today):
    set_half_year_due(school_a, year, today)
    assert deadlines_notify(today=today).assessment_due == 2
    assert deadlines_notify(today=today).assessment_due == 0
    notice = Notice.objects.get(user=teacher)
    assert notice.first_name == maths.plan.student.first_name
    assert notice.url == reverse("iop:assessment_edit", args=[maths.pk, "halvar"])
    assert maths.plan.student.last_name not in notice.key + notice.url


def test_a_done_assessment_or_a_draft_iop_reminds_no_one(teacher, school_a, year, maths, today):
    set_half_year_due(school_a, year, today)
    maths.half_year_done = True
    maths.save()
    other = PlanSubjectFactory(plan=PlanFactory(school_year=year, stage=1, student__school=school_a))
    deadlines_notify(today=today)
    assert not Notice.objects.exists()
    assert other.pk  # a draft is the IOP admins' alone


def test_a_teacher_who_left_the_school_is_not_reminded(teacher, coteacher, school_a, year, maths, today):
    StaffMembership.objects.filter(user=coteacher, school=school_a).delete()
    set_half_year_due(school_a, year, today)
    deadlines_notify(today=today)
    assert told(Event.ASSESSMENT_DUE) == {"bob"}


@pytest.mark.parametrize("days_after,passed", [(0, False), (1, True)])
def test_iop_admins_are_told_the_day_after_an_assessment_deadline(admin, other_admin, school_a, year, maths, today,
                                                                  days_after, passed):
    set_half_year_due(school_a, year, today - days_after * DAY)
    deadlines_notify(today=today)
    assert told(Event.DEADLINE_PASSED) == ({"alice"} if passed else set())


@pytest.mark.parametrize("days_ago,passed", [(21, False), (22, True)])
def test_iop_admins_are_told_when_an_iop_is_missing_after_three_weeks(admin, school_a, year, adult, today,
                                                                     days_ago, passed):
    Decision.objects.create(student=adult, school_year=year, outcome=Decision.Outcome.GRANTED,
                            decided_on=today - days_ago * DAY)
    deadlines_notify(today=today)
    assert told(Event.DEADLINE_PASSED) == ({"alice"} if passed else set())
    if passed:
        assert Notice.objects.get().url == reverse("iop:student_plan", args=[adult.pk])


@pytest.mark.parametrize("days_waiting,passed", [(14, False), (15, True)])
def test_iop_admins_are_told_when_an_approval_waits_too_long(admin, school_a, year, adult, today, days_waiting,
                                                            passed):
    application = Application.objects.create(student=adult, school_year=year,
                                             status=Application.Status.AWAITING_APPROVAL)
    Application.objects.filter(pk=application.pk).update(changed_at=timezone.now() - days_waiting * DAY)
    deadlines_notify(today=today)
    assert told(Event.DEADLINE_PASSED) == ({"alice"} if passed else set())


def test_the_command_and_the_task_run_the_check(admin, teacher, school_a, year, maths, today):
    set_half_year_due(school_a, year, today)
    out = StringIO()
    call_command("iop_deadlines", stdout=out)
    assert "2" in out.getvalue()
    assert told(Event.ASSESSMENT_DUE) == {"bob", "charlie"}
    set_half_year_due(school_a, year, today - DAY)
    notify_deadlines.enqueue()
    assert told(Event.DEADLINE_PASSED) == {"alice"}


@pytest.mark.parametrize("days_after,passed", [(0, False), (1, True)])
def test_iop_admins_are_told_when_the_annual_report_is_not_sent_after_the_annual_date(
        admin, school_a, year, maths, today, days_after, passed):
    maths.annual_done = maths.half_year_done = True
    maths.save()
    SchoolYearDeadlines.objects.create(school=school_a, school_year=year, annual_due=today - days_after * DAY)
    deadlines_notify(today=today)
    assert told(Event.DEADLINE_PASSED) == ({"alice"} if passed else set())
    if passed:
        assert Notice.objects.get().url == reverse("iop:report_edit", args=[maths.plan_id])


def test_an_approval_waits_from_the_local_day_of_its_change(school_a, year, adult):
    """A change just after midnight in Norway is still the day before in UTC: the wait counts from Norway's day."""
    from iop.overview import waiting_approvals

    application = Application.objects.create(student=adult, school_year=year,
                                             status=Application.Status.AWAITING_APPROVAL)
    local_midnight = timezone.make_aware(datetime.combine(date(2026, 12, 2), time(0, 30)))  # 23:30 UTC on 1 Dec
    Application.objects.filter(pk=application.pk).update(changed_at=local_midnight)
    waiting, = waiting_approvals(school_a, year, days=14, today=date(2026, 12, 16))
    assert waiting.due == date(2026, 12, 16) and not waiting.passed
