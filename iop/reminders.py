"""Telling people when it is their turn (issue 18 part 3), run nightly (`manage.py iop_deadlines`, or the task
`iop.tasks.notify_deadlines`): teachers when an assessment they write is due soon, the school's IOP admins
when a deadline has passed.

Safe to run as often as one likes: notices.services.notify tells the same person of the same key once,
and each key holds the due day, so a date the school moves is told again.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse

from accounts.access import iop_admins_of
from accounts.models import Enrollment, School, SchoolYear, StaffMembership
from notices.models import Event
from notices.services import notify

from . import deadlines, overview
from .models import Plan, PlanSubject

ASSESSMENT_URL_KINDS = {"half_year": "halvar", "annual": "ar"}


@dataclass
class Told:
    assessment_due: int = 0
    deadline_passed: int = 0


def deadlines_notify(*, today: date) -> Told:
    """Every school's reminders and passed deadlines of this school year."""
    told = Told()
    year = SchoolYear.objects.current(today)
    if year is None:
        return told
    for school in School.objects.order_by("pk"):
        with transaction.atomic():
            _school_notify(school, year, today, told)
    return told


def _school_notify(school: School, year: SchoolYear, today: date, told: Told) -> None:
    settings = deadlines.settings_for(school)
    dates = deadlines.dates_for(school, year)
    admins = list(iop_admins_of(school))  # active and still on the school's staff
    subjects = list(PlanSubject.objects.filter(plan__student__school=school, plan__school_year=year,
                                               plan__stage__gte=Plan.Stage.TEACHERS)
                    .select_related("plan__student"))
    for assessment in deadlines.ASSESSMENTS:
        due = dates.due(assessment)
        not_done = [s for s in subjects if not getattr(s, f"{assessment}_done")]
        if deadlines.is_due_soon(due, today):
            told.assessment_due += _remind_teachers(school, not_done, assessment, due, today)
        if deadlines.is_passed(due, today):
            for plan in {s.plan_id: s.plan for s in not_done}.values():
                told.deadline_passed += _tell_admins(admins, f"plan:{plan.pk}:{assessment}:{due}", plan.student,
                                                     reverse("iop:plan_detail", args=[plan.pk]))
    if deadlines.is_passed(dates.annual_due, today):
        unsent = Plan.objects.filter(student__school=school, school_year=year, report_sent_on__isnull=True)
        for plan in unsent.select_related("student"):
            told.deadline_passed += _tell_admins(admins, f"plan:{plan.pk}:report:{dates.annual_due}", plan.student,
                                                 reverse("iop:report_edit", args=[plan.pk]))
    for missing in overview.missing_plans(school, year, weeks=settings.plan_weeks_after_decision, today=today):
        if missing.passed:
            student = missing.decision.student
            told.deadline_passed += _tell_admins(admins, f"decision:{missing.decision.pk}:plan:{missing.due}",
                                                 student, reverse("iop:student_plan", args=[student.pk]))
    for waiting in overview.waiting_approvals(school, year, days=settings.approval_days, today=today):
        if waiting.passed:
            application = waiting.application
            told.deadline_passed += _tell_admins(
                admins, f"application:{application.pk}:approval:{waiting.due}", application.student,
                reverse("applications:application_detail", args=[application.pk]))


def _remind_teachers(school: School, subjects: list[PlanSubject], assessment: str, due: date, today: date) -> int:
    """The subjects' teachers this year, while on the school's staff (the rule of accounts.access.teaches)."""
    staff = set(StaffMembership.objects.filter(school=school).values_list("user_id", flat=True))
    enrollments = (Enrollment.objects.active(today)
                   .filter(student_id__in={s.plan.student_id for s in subjects}).prefetch_related("teachers"))
    teachers = {(e.student_id, e.subject_id): [t for t in e.teachers.all() if t.pk in staff] for e in enrollments}
    count = 0
    for subject in subjects:
        student = subject.plan.student
        count += len(notify(
            event=Event.ASSESSMENT_DUE, recipients=teachers.get((student.pk, subject.subject_id), []),
            key=f"plan_subject:{subject.pk}:{assessment}:{due}", first_name=student.first_name,
            url=reverse("iop:assessment_edit", args=[subject.pk, ASSESSMENT_URL_KINDS[assessment]])))
    return count


def _tell_admins(admins: list, key: str, student, url: str) -> int:
    return len(notify(event=Event.DEADLINE_PASSED, recipients=admins, key=key, first_name=student.first_name,
                      url=url))
