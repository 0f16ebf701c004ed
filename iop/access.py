"""Who may see and do what with an IOP, by role and publication stage (docs/architecture.md §4).

`rights_for(user, plan)` answers every question at once from the user's roles
towards the student (derived at request time) and the plan's stage. Views ask
`get_plan_for(request, pk, need)`; a need the rights do not cover is refused with
404 when the user may not see the IOP at all, and 403 when they may.
"""

import operator
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import reduce

from django.db.models import OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import (
    Role,
    children_of,
    get_school_for_admin,
    get_student_for_admin,
    grant_read,
    guardianship_expression,
    guards,
    is_archived,
    is_iop_admin,
    is_iop_admin_expression,
    is_student,
    require,
    staff_schools,
    student_self,
    students_administered_by,
    students_taught_by,
    subject_ids,
    subjects_taught,
    subjects_taught_expression,
    teaches_anyone,
)
from accounts.models import School, SchoolYear, Student

from .models import AnnexRow, Goal, LogEntry, Plan, PlanSubject

S = Plan.Stage


@dataclass(frozen=True)
class Rights:
    see: bool = False
    is_admin: bool = False
    read_part1: bool = False
    read_goals: bool = False
    read_half_year: bool = False
    read_annual: bool = False
    read_report: bool = False
    read_annex: bool = False
    read_log: bool = False
    add_log: bool = False
    own_subject_ids: frozenset[int] = field(default_factory=frozenset)  # subjects a teacher writes
    user_id: int | None = None  # whose rights: a teacher edits only their own log entries
    pdf_iop: bool = False
    pdf_half_year: bool = False
    pdf_report: bool = False
    pdf_annex: bool = False
    earlier_year: bool = False  # the plan of an earlier school year: read-only ...
    writable: bool = True  # ... unless the IOP admin has confirmed changing it (this session)
    archived: bool = False  # the student's records are handed over to the archive: read-only, no unlocking

    @property
    def write_plan(self) -> bool:
        """Part 1, stage, annual report, annex, documents: the IOP admin only."""
        return self.is_admin and self.writable

    def writes_subject(self, subject_id: int) -> bool:
        """Goals and assessments of one subject: the admin, or that subject's teachers."""
        return self.writable and (self.is_admin or subject_id in self.own_subject_ids)

    def edits_log_entry(self, entry) -> bool:
        """The admin edits any log entry; a teacher of the student only their own."""
        return self.writable and (self.is_admin or (self.add_log and entry.created_by_id == self.user_id))

    @property
    def may_unlock(self) -> bool:
        """The IOP admin may confirm changing an earlier year's plan (never an archived one)."""
        return self.is_admin and not self.writable and not self.archived


def rights_for(user, plan: Plan, *, unlocked: bool = False) -> Rights:
    """`unlocked`: the IOP admin has confirmed changing this plan of an earlier school year."""
    rights = _rights_by_role(user, plan, unlocked=unlocked)
    if rights.see and is_archived(plan.student):
        return replace(rights, archived=True, writable=False, add_log=False)
    return rights


def rights_for_earlier(user, plan: Plan, earlier: Plan) -> Rights:
    """The rights on `earlier`, an IOP of the same student as `plan` from an earlier school year.

    The relations are the user's to the student (its school's IOP admin, this year's teacher, a
    guardian), so the answers read with `plan` hold for it too."""
    for answer in RELATION_ANSWERS:
        if hasattr(plan, answer):
            setattr(earlier, answer, getattr(plan, answer))
    return rights_for(user, earlier)


# The user's relations to a plan's student, asked by the query that reads the plan (_checked_plan).
RELATION_ANSWERS = ("user_is_admin", "user_subject_ids", "user_guardianship")


def _relation_answers(user) -> dict:
    return {
        "user_is_admin": is_iop_admin_expression(user, OuterRef("student__school")),
        "user_subject_ids": subjects_taught_expression(user, OuterRef("student")),
        "user_guardianship": guardianship_expression(user, OuterRef("student")),
    }


def _rights_by_role(user, plan: Plan, *, unlocked: bool) -> Rights:
    """The roles in the order that decides, stopping at the first that answers: the IOP admin, then
    (from stage 2) a teacher, whose subjects are the same question, then (from stage 3) the student
    and a guardian. A plan read by _checked_plan carries the answers; otherwise each is a query."""
    student = plan.student
    earlier = plan.school_year.start_year < SchoolYear.start_year_of(timezone.localdate())
    admin = plan.user_is_admin if hasattr(plan, "user_is_admin") else is_iop_admin(user, student.school)
    if admin:
        writable = not earlier or unlocked
        return replace(ADMIN_RIGHTS, earlier_year=earlier, writable=writable, add_log=writable)
    if plan.stage < S.TEACHERS:
        return Rights()
    # Not empty exactly when accounts.access.teaches.
    taught = (subject_ids(plan.user_subject_ids) if hasattr(plan, "user_subject_ids")
              else subjects_taught(user, student))
    if taught:
        # Earlier years are read-only for everyone but the IOP admin.
        return Rights(
            see=True, read_part1=True, read_goals=True, read_half_year=True, read_annual=True,
            read_report=True, read_annex=True, read_log=True, add_log=not earlier,
            pdf_iop=True, pdf_half_year=True, pdf_report=True,  # the PDFs of what they read
            own_subject_ids=taught, user_id=user.pk, earlier_year=earlier, writable=not earlier,
        )
    listed = getattr(plan, "user_guardianship", None)
    if plan.stage >= S.STUDENT_AND_GUARDIANS and (is_student(user, student) or guards(user, student, listed=listed)):
        half_year, report = plan.stage >= S.HALF_YEAR, plan.stage >= S.ANNUAL_REPORT
        return Rights(
            see=True, read_part1=True, read_goals=True, read_half_year=half_year, read_annual=report,
            read_report=report, read_annex=report, pdf_iop=True, pdf_half_year=half_year,
            pdf_report=report, pdf_annex=report, earlier_year=earlier, writable=False,
        )
    return Rights()


ADMIN_RIGHTS = Rights(
    see=True, is_admin=True, read_part1=True, read_goals=True, read_half_year=True, read_annual=True,
    read_report=True, read_annex=True, read_log=True, add_log=True, pdf_iop=True, pdf_half_year=True,
    pdf_report=True, pdf_annex=True,
)


def may_create_plan(student: Student) -> bool:
    """Whether a new IOP may be made for the student (the IOP admin's right is checked by the caller)."""
    return not is_archived(student)


def get_student_for_new_plan(request, pk) -> Student:
    """The student an IOP admin creates an IOP for; refused (403) once the student's records are archived."""
    student = get_student_for_admin(request, pk)
    require(may_create_plan(student), insider=True, object_type="student", object_id=student.pk, student=student)
    return student


def get_earlier_plan_for(request, student: Student, pk) -> Plan:
    """An IOP of `student` from an earlier school year, to start this year's from.

    Any other plan (another student's, this year's, one the user may not see) is hidden (404):
    the page is about `student`, so a forged id must not reveal or copy anything else.
    """
    plan, rights = _checked_plan(request, pk, "read_goals")
    require(plan.student_id == student.pk and rights.earlier_year, insider=False, object_type="iop",
            object_id=plan.pk, student=plan.student)
    grant_read(request, object_type="iop", object_id=plan.pk, student=plan.student)
    return plan


# How the access log names each part of an IOP.
PART_TYPES = {PlanSubject: "plan_subject", Goal: "goal", LogEntry: "iop_log", AnnexRow: "iop_annex"}


def get_plan_for(request, pk, need: str = "see", *, event: str = "viewed", object_type: str = "iop",
                 detail: str = "", **annotations) -> tuple[Plan, Rights]:
    """The plan and the user's rights, if the rights include `need` (an attribute of Rights).

    Logs the read (as `event`, of the plan's `object_type` part) when the request is a GET.
    `annotations` (expressions over the plan) are read with it, for a page that shows them.
    """
    plan, rights = _checked_plan(request, pk, need, **annotations)
    grant_read(request, event=event, object_type=object_type, object_id=plan.pk, student=plan.student, detail=detail)
    return plan, rights


UNLOCKED_PLANS = "iop-unlocked-plans"  # session key: earlier years' plans the admin confirmed changing


def _checked_plan(request, pk, need: str, **annotations) -> tuple[Plan, Rights]:
    # The school's IOP settings come along (deadlines.settings_for): the page's progress scale needs them.
    # So do the user's relations to the student, which the rights are made of.
    plans = Plan.objects.select_related("student__school__iop_settings", "school_year").annotate(
        **_relation_answers(request.user), **annotations)
    plan = get_object_or_404(plans, pk=pk)
    unlocked = plan.pk in getattr(request, "session", {}).get(UNLOCKED_PLANS, [])
    rights = rights_for(request.user, plan, unlocked=unlocked)
    require(bool(getattr(rights, need)), insider=rights.see, object_type="iop", object_id=plan.pk,
            student=plan.student)
    return plan, rights


def get_plan_part_for(request, queryset, pk, need: str = "see"):
    """A part of an IOP (subject, goal, log entry, annex row) with its plan and the user's rights.

    The part is fetched only to find its plan; the plan's rights decide, so a
    forged id of another school's part is a 404 like the plan itself.
    """
    part = get_object_or_404(queryset, pk=pk)
    plan_id = part.plan_subject.plan_id if isinstance(part, Goal) else part.plan_id
    plan, rights = _checked_plan(request, plan_id, need)
    grant_read(request, object_type=PART_TYPES[type(part)], object_id=part.pk, student=plan.student)
    return part, plan, rights


def plans_visible_to(user, roles: Collection[Role] = frozenset(Role), school: int | None = None) -> QuerySet:
    """Every plan the user may see at all (the list twin of rights_for(...).see).

    `roles`: only the branches of these roles, for a caller that knows the user holds no other
    (the start page): each branch costs a subquery to build and to plan. `school` (an id): only that
    school's plans, narrowed inside each branch, where PostgreSQL can use it: a teacher's students
    across their schools were found by walking the school's students (9.8 → 1.8 ms, bench/explain.py).
    """
    # Every branch a subquery on the plan's own student column: a join to the student for
    # its school made PostgreSQL scan all the county's students (bench/explain.py).
    def at_school(students: QuerySet) -> QuerySet:
        return students if school is None else students.filter(school=school)

    branches = {
        Role.IOP_ADMIN: lambda: Q(student__in=at_school(students_administered_by(user))),
        Role.TEACHER: lambda: Q(student__in=at_school(students_taught_by(user)), stage__gte=S.TEACHERS),
        Role.GUARDIAN: lambda: Q(student__in=at_school(children_of(user)), stage__gte=S.STUDENT_AND_GUARDIANS),
        Role.STUDENT: lambda: Q(student__in=at_school(student_self(user)), stage__gte=S.STUDENT_AND_GUARDIANS),
    }
    held = [branch() for role, branch in branches.items() if role in roles]
    if not held:
        return Plan.objects.none()
    plans = Plan.objects.filter(reduce(operator.or_, held))
    return plans if school is None else plans.filter(student__school=school)


def get_school_for_overview(request, pk) -> School:
    """A school whose IOP admin the user is: its progress overview, export and IOP settings.

    Staff of the school without the role get 403; everyone else 404 (accounts.access.get_school_for_admin).
    """
    return get_school_for_admin(request, pk)


def require_teacher(request) -> None:
    """The teacher's list of work still to write: for anyone teaching a student this year.

    Staff who teach nobody get 403; everyone else 404.
    """
    user = request.user
    require(teaches_anyone(user), insider=staff_schools(user).exists(), object_type="iop_work_list")
