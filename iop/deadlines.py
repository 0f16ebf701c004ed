"""The deadline rules of the IOP progress overview, as functions of the day (`today` is always an argument).

A deadline is passed the day after its due day: work done on the due day is on time.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from accounts.models import School, SchoolYear

from .models import Plan, SchoolSettings, SchoolYearDeadlines

# Teachers are reminded a week before an assessment is due: time to write it, a weekend included.
REMINDER_DAYS = 7

# Without a due date set by the school, an assessment is expected once the IOP has reached the stage
# before its own publication: the half-year assessment once the family has the IOP, the annual one
# once the half-year assessment is published.
ASSESSMENT_FROM_STAGE = {"half_year": Plan.Stage.STUDENT_AND_GUARDIANS, "annual": Plan.Stage.HALF_YEAR}
ASSESSMENTS = ("half_year", "annual")


@dataclass(frozen=True)
class YearDates:
    """A school's due dates for one school year; `carried_over`: taken from an earlier year's dates."""

    half_year_due: date | None = None
    annual_due: date | None = None
    carried_over: bool = False

    def due(self, assessment: str) -> date | None:
        return self.half_year_due if assessment == "half_year" else self.annual_due


def is_passed(due: date | None, today: date) -> bool:
    """The due day is over."""
    return due is not None and today > due


def is_due_soon(due: date | None, today: date) -> bool:
    """From REMINDER_DAYS before the due day up to the due day itself."""
    return due is not None and due - timedelta(days=REMINDER_DAYS) <= today <= due


def plan_due(decided_on: date, weeks: int) -> date:
    """The last day to make the IOP after a granted decision."""
    return decided_on + timedelta(weeks=weeks)


def approval_due(waiting_since: date, days: int) -> date:
    """The last day an application may wait for the family's approval."""
    return waiting_since + timedelta(days=days)


def assessment_open(*, done: bool, due: date | None, stage: int, assessment: str, today: date) -> bool:
    """An assessment still to write whose time has come: from the reminder before the school's due date,
    or, when the school has set no date, from the stage before its publication."""
    if done:
        return False
    if due is None:
        return stage >= ASSESSMENT_FROM_STAGE[assessment]
    return today >= due - timedelta(days=REMINDER_DAYS)


def open_work(subject, *, stage: int, dates: YearDates, today: date) -> list[str]:
    """What is still to write in one IOP subject: "goals", "half_year", "annual"."""
    work = [] if subject.goals_done else ["goals"]
    for assessment in ASSESSMENTS:
        done = getattr(subject, f"{assessment}_done")
        if assessment_open(done=done, due=dates.due(assessment), stage=stage, assessment=assessment, today=today):
            work.append(assessment)
    return work


def overdue_work(subject, *, dates: YearDates, today: date) -> list[str]:
    """The subject's assessments not done after their due day."""
    return [a for a in ASSESSMENTS if not getattr(subject, f"{a}_done") and is_passed(dates.due(a), today)]


def report_overdue(plan, *, dates: YearDates, today: date) -> bool:
    """The annual report (the IOP admin's) is not sent to the county/municipality after the annual due day."""
    return plan.report_sent_on is None and is_passed(dates.annual_due, today)


def open_work_q(*, dates: YearDates, today: date, prefix: str = "") -> Q:
    """open_work() as a filter on plan subjects (`prefix`: the path to them), for lists filtered in SQL."""
    def field(name):
        return f"{prefix}{name}"

    condition = Q(**{field("goals_done"): False})
    for assessment in ASSESSMENTS:
        due = dates.due(assessment)
        not_done = Q(**{field(f"{assessment}_done"): False})
        if due is None:
            condition |= not_done & Q(**{field("plan__stage__gte"): ASSESSMENT_FROM_STAGE[assessment]})
        elif today >= due - timedelta(days=REMINDER_DAYS):
            condition |= not_done
    return condition


def settings_for(school: School) -> SchoolSettings:
    """The school's IOP settings; the defaults (unsaved) when its admins have set none.

    No query when the school was read with select_related("iop_settings")."""
    try:
        return school.iop_settings
    except SchoolSettings.DoesNotExist:
        return SchoolSettings(school=school)


def dates_for(school: School, school_year: SchoolYear | None) -> YearDates:
    """The school's due dates for the year; a year without its own dates gets the latest earlier year's,
    moved on by whole years, so next August starts with last year's rhythm rather than no deadlines."""
    if school_year is None:
        return YearDates()
    row = (SchoolYearDeadlines.objects.filter(school=school, school_year__start_year__lte=school_year.start_year)
           .select_related("school_year").order_by("-school_year__start_year").first())
    if row is None:
        return YearDates()
    years = school_year.start_year - row.school_year.start_year
    return YearDates(half_year_due=_years_later(row.half_year_due, years),
                     annual_due=_years_later(row.annual_due, years), carried_over=years > 0)


def _years_later(day: date | None, years: int) -> date | None:
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def saved_dates(school: School, school_year: SchoolYear | None) -> SchoolYearDeadlines | None:
    """The dates the school has saved for exactly this year (none: dates_for carries earlier ones over)."""
    if school_year is None:
        return None
    return SchoolYearDeadlines.objects.filter(school=school, school_year=school_year).first()
