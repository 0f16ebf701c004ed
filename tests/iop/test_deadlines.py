"""The deadline rules (iop/deadlines.py), each at its boundary: the day before, the day of, the day after."""

from datetime import date, timedelta

import pytest

from iop import deadlines
from iop.deadlines import YearDates
from iop.models import Plan, PlanSubject, SchoolYearDeadlines

from ..factories import SchoolFactory, SchoolYearFactory
from .factories import PlanFactory, PlanSubjectFactory

DAY = timedelta(days=1)
DUE = date(2027, 1, 15)


@pytest.mark.parametrize("offset,passed", [(-1, False), (0, False), (1, True)])
def test_iop_missing_after_a_granted_decision_is_overdue_the_day_after_n_weeks(offset, passed):
    decided_on = date(2026, 9, 1)
    due = deadlines.plan_due(decided_on, 3)
    assert due == date(2026, 9, 22)
    assert deadlines.is_passed(due, due + offset * DAY) is passed


@pytest.mark.parametrize("offset,passed", [(-1, False), (0, False), (1, True)])
def test_approval_waiting_more_than_n_days_is_overdue(offset, passed):
    due = deadlines.approval_due(date(2026, 10, 1), 14)
    assert due == date(2026, 10, 15)
    assert deadlines.is_passed(due, due + offset * DAY) is passed


@pytest.mark.parametrize("assessment", ["half_year", "annual"])
@pytest.mark.parametrize("offset,passed", [(-1, False), (0, False), (1, True)])
def test_assessment_not_done_is_overdue_the_day_after_the_schools_date(assessment, offset, passed):
    subject = PlanSubject(goals_done=True, half_year_done=False, annual_done=False)
    dates = YearDates(half_year_due=DUE, annual_due=DUE)
    assert (assessment in deadlines.overdue_work(subject, dates=dates, today=DUE + offset * DAY)) is passed


def test_a_done_assessment_is_never_overdue():
    subject = PlanSubject(half_year_done=True, annual_done=True)
    assert deadlines.overdue_work(subject, dates=YearDates(DUE, DUE), today=DUE + 100 * DAY) == []


def test_no_date_set_means_no_overdue_assessment():
    assert deadlines.overdue_work(PlanSubject(), dates=YearDates(), today=DUE) == []


@pytest.mark.parametrize("offset,soon", [(-8, False), (-7, True), (0, True), (1, False)])
def test_the_reminder_runs_from_a_week_before_to_the_due_day(offset, soon):
    assert deadlines.is_due_soon(DUE, DUE + offset * DAY) is soon


@pytest.mark.parametrize("offset,is_open", [(-8, False), (-7, True), (0, True), (1, True)])
def test_an_assessment_is_open_from_the_reminder_on(offset, is_open):
    today = DUE + offset * DAY
    assert deadlines.assessment_open(done=False, due=DUE, stage=2, assessment="half_year", today=today) is is_open
    assert not deadlines.assessment_open(done=True, due=DUE, stage=2, assessment="half_year", today=today)


@pytest.mark.parametrize("assessment,stage,is_open", [
    ("half_year", 2, False), ("half_year", 3, True), ("annual", 3, False), ("annual", 4, True),
])
def test_without_a_date_an_assessment_is_open_from_the_stage_before_its_publication(assessment, stage, is_open):
    assert deadlines.assessment_open(done=False, due=None, stage=stage, assessment=assessment, today=DUE) is is_open


def test_open_work_lists_goals_and_the_assessments_whose_time_has_come():
    subject = PlanSubject(goals_done=False, half_year_done=False, annual_done=False)
    dates = YearDates(half_year_due=DUE, annual_due=date(2027, 6, 15))
    assert deadlines.open_work(subject, stage=3, dates=dates, today=DUE) == ["goals", "half_year"]
    subject.goals_done = subject.half_year_done = True
    assert deadlines.open_work(subject, stage=3, dates=dates, today=DUE) == []


@pytest.mark.django_db
@pytest.mark.parametrize("dates", [YearDates(), YearDates(DUE, date(2027, 6, 15)), YearDates(DUE - 30 * DAY, None)])
@pytest.mark.parametrize("stage", [2, 3, 4])
def test_the_sql_filter_agrees_with_open_work(dates, stage):
    plan = PlanFactory(stage=stage)
    for goals, half, annual in [(a, b, c) for a in (False, True) for b in (False, True) for c in (False, True)]:
        PlanSubjectFactory(plan=plan, goals_done=goals, half_year_done=half, annual_done=annual)
    for today in (DUE - 10 * DAY, DUE, date(2027, 6, 20)):
        in_sql = set(PlanSubject.objects.filter(deadlines.open_work_q(dates=dates, today=today))
                     .values_list("pk", flat=True))
        in_python = {s.pk for s in plan.subjects.all() if deadlines.open_work(s, stage=stage, dates=dates, today=today)}
        assert in_sql == in_python


@pytest.mark.django_db
def test_a_new_school_year_starts_with_last_years_dates_moved_on_a_year():
    school = SchoolFactory()
    last, this = SchoolYearFactory(start_year=2027), SchoolYearFactory(start_year=2028)
    SchoolYearDeadlines.objects.create(school=school, school_year=last, half_year_due=date(2028, 1, 20),
                                       annual_due=date(2028, 2, 29))
    carried = deadlines.dates_for(school, this)
    assert carried == YearDates(date(2029, 1, 20), date(2029, 2, 28), carried_over=True)
    assert deadlines.dates_for(school, last) == YearDates(date(2028, 1, 20), date(2028, 2, 29))
    assert deadlines.dates_for(school, SchoolYearFactory(start_year=2026)) == YearDates()
    assert deadlines.dates_for(SchoolFactory(), this) == YearDates()


@pytest.mark.django_db
def test_a_school_without_settings_gets_the_defaults():
    settings = deadlines.settings_for(SchoolFactory())
    assert (settings.plan_weeks_after_decision, settings.approval_days) == (3, 14)
    assert [value for value, _name in settings.scale()] == [1, 2, 3, 4]


@pytest.mark.parametrize("offset,passed", [(-1, False), (0, False), (1, True)])
def test_an_annual_report_not_sent_is_overdue_the_day_after_the_annual_date(offset, passed):
    dates = YearDates(annual_due=DUE)
    unsent, sent = Plan(report_sent_on=None), Plan(report_sent_on=DUE)
    assert deadlines.report_overdue(unsent, dates=dates, today=DUE + offset * DAY) is passed
    assert not deadlines.report_overdue(sent, dates=dates, today=DUE + offset * DAY)
    assert not deadlines.report_overdue(unsent, dates=YearDates(), today=DUE + offset * DAY)
