"""What the progress overviews read, in a fixed number of queries however many rows (issue 18 part 3).

Called by views after the access helpers have granted the school (the coordinator's overview) or
worked out the user's students (the teacher's list).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.access import students_taught_by
from accounts.models import (STUDENT_SHOWN, Enrollment, School, SchoolYear, StaffMembership, display_name,
                             subject_label)
from applications.models import Application, Decision

from . import deadlines
from .deadlines import YearDates
from .models import Plan, PlanSubject


class SubjectMarks(NamedTuple):
    """An IOP subject as the coordinator's overview reads it: the marks, not the texts, and plain values,
    not models (a page has some 150 of them; bench/profile.py)."""

    pk: int
    plan_id: int
    subject_id: int
    subject: str  # "code name", as a Subject prints
    goals_done: bool
    half_year_done: bool
    annual_done: bool


SORTS = {
    "name": ("student__last_name", "student__first_name", "pk"),
    "-name": ("-student__last_name", "-student__first_name", "-pk"),
    "group": ("student__group", "student__last_name", "student__first_name", "pk"),
    "stage": ("stage", "student__last_name", "student__first_name", "pk"),
    "-stage": ("-stage", "student__last_name", "student__first_name", "pk"),
}


@dataclass
class SubjectRow:
    """One IOP subject on the overview: its marks, teachers, what is open and what is overdue."""

    subject: SubjectMarks
    teacher_names: str = ""  # "First Last, First Last", by last name
    open: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    @property
    def half_year_overdue(self) -> bool:
        return "half_year" in self.overdue

    @property
    def annual_overdue(self) -> bool:
        return "annual" in self.overdue


def school_teachers(school: School) -> list[tuple[int, str]]:
    """The school's teachers as (user id, name), for the overview's teacher filter: plain rows, not a
    hundred users and memberships as models."""
    rows = (StaffMembership.objects.filter(school=school, role=StaffMembership.Role.TEACHER)
            .order_by("user__last_name", "user__first_name", "user__pk")
            .values_list("user_id", "user__first_name", "user__last_name", "user__username"))
    return [(pk, display_name(first, last, username)) for pk, first, last, username in rows]


def school_plans(school: School, school_year: SchoolYear | None, *, stage: int | None = None,
                 teacher: int | None = None,
                 not_done: bool = False, dates: YearDates, today: date, sort: str = "name") -> QuerySet:
    """The school's IOPs of the year, filtered and sorted (teacher, a user id: teaches a subject of the IOP
    this year)."""
    if school_year is None:
        return Plan.objects.none()
    # Only what the overview and its CSV print: a plan's texts are most of its row (bench/profile.py).
    plans = (Plan.objects.filter(student__school=school, school_year=school_year).select_related("student")
             .only("stage", "report_sent_on", *STUDENT_SHOWN))
    if stage:
        plans = plans.filter(stage=stage)
    if teacher is not None:
        taught = Enrollment.objects.active(today).filter(
            teachers=teacher, student_id=OuterRef(OuterRef("student_id")), subject_id=OuterRef("subject_id"))
        plans = plans.filter(Exists(PlanSubject.objects.filter(plan=OuterRef("pk")).filter(Exists(taught))))
    if not_done:
        open_subjects = PlanSubject.objects.filter(plan=OuterRef("pk")).filter(
            deadlines.open_work_q(dates=dates, today=today))
        plans = plans.filter(Exists(open_subjects))
    return plans.order_by(*SORTS[sort])


def attach_rows(plans: list[Plan], *, dates: YearDates, today: date) -> None:
    """Give each plan `rows` (a SubjectRow per subject), `report_overdue` and `overdue` (anything overdue):
    two queries."""
    plan_ids = [plan.pk for plan in plans]  # ids, not models: the lookup need not check each one's type
    subjects = [SubjectMarks(pk, plan_id, subject_id, subject_label(code, name), *marks) for
                pk, plan_id, subject_id, code, name, *marks in
                PlanSubject.objects.filter(plan_id__in=plan_ids).order_by("position", "pk").values_list(
                    "pk", "plan_id", "subject_id", "subject__code", "subject__name", "goals_done", "half_year_done",
                    "annual_done")]
    rows_of: dict[int, list] = {plan.pk: [] for plan in plans}
    stage_of = {plan.pk: plan.stage for plan in plans}
    student_of = {plan.pk: plan.student_id for plan in plans}
    teachers = _teacher_names(plan_ids, [plan.student_id for plan in plans], today)
    for subject in subjects:
        rows_of[subject.plan_id].append(SubjectRow(
            subject=subject,
            teacher_names=teachers.get((student_of[subject.plan_id], subject.subject_id), ""),
            open=deadlines.open_work(subject, stage=stage_of[subject.plan_id], dates=dates, today=today),
            overdue=deadlines.overdue_work(subject, dates=dates, today=today),
        ))
    for plan in plans:
        plan.rows = rows_of[plan.pk]
        plan.report_overdue = deadlines.report_overdue(plan, dates=dates, today=today)
        plan.overdue = plan.report_overdue or any(row.overdue for row in plan.rows)


def _teacher_names(plan_ids: list[int], student_ids: list[int], today: date) -> dict[tuple[int, int], str]:
    """(student id, subject id) → the names of that student's teachers in that subject this year, for the
    subjects of the plans `plan_ids` (of the students `student_ids`): one query of plain rows, only the
    enrollments in the plans' subjects (not every subject of every student on the page: a third of the rows)."""
    of_a_plan_subject = PlanSubject.objects.filter(plan_id__in=plan_ids, plan__student_id=OuterRef("student_id"),
                                                   subject_id=OuterRef("subject_id"))
    enrollments = Enrollment.objects.active(today).filter(student_id__in=student_ids).filter(Exists(of_a_plan_subject))
    rows = (Enrollment.teachers.through.objects.filter(enrollment__in=enrollments)
            .order_by("user__last_name", "user__first_name", "user__pk")
            .values_list("enrollment__student_id", "enrollment__subject_id", "user__first_name", "user__last_name",
                         "user__username"))
    names: dict[tuple[int, int], list[str]] = {}
    for student_id, subject_id, first, last, username in rows:
        names.setdefault((student_id, subject_id), []).append(display_name(first, last, username))
    return {pair: ", ".join(each) for pair, each in names.items()}


@dataclass(frozen=True)
class MissingPlan:
    decision: Decision
    due: date
    passed: bool


@dataclass(frozen=True)
class WaitingApproval:
    application: Application
    due: date
    passed: bool


def missing_plans(school: School, school_year: SchoolYear | None, *, weeks: int, today: date) -> list[MissingPlan]:
    """Granted decisions of the year whose student has no IOP yet, with the day the IOP is due."""
    if school_year is None:
        return []
    has_plan = Plan.objects.filter(student_id=OuterRef("student_id"), school_year=school_year)
    decisions = (Decision.objects.filter(student__school=school, school_year=school_year,
                                         outcome=Decision.Outcome.GRANTED)
                 .exclude(Exists(has_plan)).select_related("student").only("decided_on", *STUDENT_SHOWN)
                 .order_by("decided_on", "pk"))
    return [MissingPlan(d, due := deadlines.plan_due(d.decided_on, weeks), deadlines.is_passed(due, today))
            for d in decisions]


def waiting_approvals(school: School, school_year: SchoolYear | None, *, days: int, today: date) -> list:
    """Applications of the year waiting for the family's approval. An application waits since its last change:
    publishing it sets that, and so does a change the family must see before approving."""
    if school_year is None:
        return []
    applications = (Application.objects.filter(student__school=school, school_year=school_year,
                                               status=Application.Status.AWAITING_APPROVAL)
                    .select_related("student").only("changed_at", *STUDENT_SHOWN).order_by("changed_at", "pk"))
    return [WaitingApproval(a, due := deadlines.approval_due(timezone.localdate(a.changed_at), days),
                            deadlines.is_passed(due, today)) for a in applications]


@dataclass
class WorkItem:
    """A subject the teacher still has work in: the plan subject and what is open."""

    subject: PlanSubject
    open: list[str]
    overdue: list[str]

    @property
    def work(self) -> list[dict]:
        return [{"key": key, "overdue": key in self.overdue} for key in self.open]


def work_of_teacher(user, *, today: date) -> list[WorkItem]:
    """What `user` still has to write this year in the subjects they teach, in IOPs they see (stage 2 on)."""
    students = students_taught_by(user, today)
    own = set(Enrollment.objects.active(today).filter(teachers=user, student__in=students)
              .values_list("student_id", "subject_id"))
    subjects = (PlanSubject.objects.filter(
        plan__student__in=students, plan__school_year__start_year=SchoolYear.start_year_of(today),
        plan__stage__gte=Plan.Stage.TEACHERS)
        .select_related("subject", "plan__student__school", "plan__school_year")
        .order_by("plan__student__last_name", "plan__student__first_name", "plan_id", "position", "pk"))
    subjects = [s for s in subjects if (s.plan.student_id, s.subject_id) in own]
    dates = {}
    items = []
    for subject in subjects:
        school = subject.plan.student.school
        if school.pk not in dates:  # a query per school, not per row: a teacher works at one or two
            dates[school.pk] = deadlines.dates_for(school, subject.plan.school_year)
        work = deadlines.open_work(subject, stage=subject.plan.stage, dates=dates[school.pk], today=today)
        if work:
            items.append(WorkItem(subject, work, deadlines.overdue_work(subject, dates=dates[school.pk], today=today)))
    return items
