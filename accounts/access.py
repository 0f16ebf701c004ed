"""The access core (docs/architecture.md §4): role predicates, the 404/403 rule, and logging reads.

The school roles (IOP admin, IKO team) are explicit grants: guardian object
permissions on the School, handed out by its principal, that count only while
the holder is on the school's staff. Every other relation — teacher, guardian,
student — is derived from enrollments and guardianships at request time, so a
timetable change takes effect at once. Nothing here looks at global
(model-level) permissions or at `is_superuser`: a global permission must never
open all schools.

Every single-object helper of every app (`get_<thing>_for(request, ...)`) ends
in `grant_read()`, which writes the `viewed` (or `downloaded`) event of a GET:
a view cannot read a record without the read being logged. List pages log the
students they show with `log_students_listed()`. Changes are logged by the
service that makes them (docs/architecture.md).
"""

import enum
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date
from functools import wraps
from typing import NoReturn

from django.db.models import Aggregate, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.exceptions import AccessForbidden, AccessHidden
from audit.log import record, record_students
from audit.models import AccessEvent

from .models import (
    Enrollment,
    Guardianship,
    School,
    SchoolUserObjectPermission,
    StaffMembership,
    Student,
    User,
    adult_cutoff,
)

# The school roles: codenames of School.Meta.permissions, granted per school (never globally).
IOP_ADMIN_PERMISSION = "administer_iop"
IKO_TEAM_PERMISSION = "follow_up_iko"
CASE_CREATOR_PERMISSION = "create_cases"


class Role(enum.Enum):
    """How a user relates to one student."""

    IOP_ADMIN = "iop_admin"
    TEACHER = "teacher"
    STUDENT = "student"
    GUARDIAN = "guardian"


def deny(*, insider: bool, **what) -> NoReturn:
    """Refuse: 403 to someone who may know the record exists, 404 to everyone else.

    `what` (object_type, object_id, student, school) says what was asked for,
    for the access log.
    """
    if insider:
        raise AccessForbidden(**what)
    raise AccessHidden(**what)


def require(allowed: bool, *, insider: bool | Callable[[], bool], **what) -> None:
    """The one rule every app's access.py applies after deciding `allowed`.

    `insider` may be a function, asked only on a refusal: most requests are allowed, and who is an
    insider is often a query of its own."""
    if not allowed:
        deny(insider=insider() if callable(insider) else insider, **what)


def is_archived(student: Student) -> bool:
    """The student's records are handed over to the archive (records.retention): from then on they are
    read-only for everyone, whatever their role. Every app's write rights end here."""
    return student.archived_on is not None


READ_METHODS = ("GET", "HEAD")


def grant_read(request, *, object_type: str, object_id: object = "", student=None, school=None,
               event: str = AccessEvent.Action.VIEWED, detail: str = "") -> None:
    """Log the read an access helper has just allowed (a GET shows the record; a POST's change
    is logged by its service). `detail` defaults to the page's path, which tells the pages apart."""
    if request.method in READ_METHODS:
        record(request, action=event, object_type=object_type, object_id=object_id, student=student,
               school=school, detail=detail or request.path)


def log_students_listed(request, students, *, object_type: str, object_id: object = "",
                        event: str = AccessEvent.Action.VIEWED, detail: str = "") -> None:
    """A list page, or a file, shows several students' records: one event per student, in one INSERT."""
    students = list(students)
    if students and request.method in READ_METHODS:
        record_students(request, action=event, object_type=object_type, students=students, object_id=object_id,
                        detail=detail or request.path)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- Schools --------------------------------------------------------------

# The user's staff memberships and school-role grants, read once a page where many rules ask (the start
# page asks a dozen): built into each rule as a subquery, they were half of its CPU (bench/profile.py).
# In a view under `reads_school_roles_once`, the first rule that needs them reads them all in one query
# and the later ones use the school ids. Anywhere else each rule asks as a subquery of its own: a page
# whose rules go into one query would pay a query more, and a POST may change the roles it reads.
STAFF = "staff"
_page_roles: ContextVar[dict[int, dict[str, list[int]]] | None] = ContextVar("page_roles", default=None)


def reads_school_roles_once(view):
    @wraps(view)
    def reading_once(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return view(request, *args, **kwargs)
        token = _page_roles.set({})
        try:
            return view(request, *args, **kwargs)
        finally:
            _page_roles.reset(token)
    return reading_once


def _memberships(user) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.filter(user=user)


def _grants(user) -> QuerySet:
    """The one rule of a school role: the user's grants that still count, i.e. at schools where the
    user is on the staff."""
    return SchoolUserObjectPermission.objects.filter(
        user=user,
        permission__content_type__app_label="accounts",
        content_object__staff_memberships__user=user,
    )


def _live_school_ids(user, held: str) -> QuerySet:
    """The ids of the schools where `user` holds `held` (STAFF, a StaffMembership.Role or a permission), as a
    subquery."""
    if held == STAFF:
        return _memberships(user).values("school_id")
    if held in StaffMembership.Role.values:
        return _memberships(user).filter(role=held).values("school_id")
    return _grants(user).filter(permission__codename=held).values("content_object_id")


def _school_ids(user, held: str) -> list[int] | QuerySet:
    """`_live_school_ids`; in a view under `reads_school_roles_once`, the ids themselves."""
    page = _page_roles.get()
    if page is None:
        return _live_school_ids(user, held)
    if user.pk not in page:
        page[user.pk] = _read_school_roles(user)
    return page[user.pk].get(held, [])


def _read_school_roles(user) -> dict[str, list[int]]:
    rows = _memberships(user).values_list("school_id", "role").union(
        _grants(user).values_list("content_object_id", "permission__codename"), all=True)
    held = {STAFF: []}
    for school_id, role in rows:
        held.setdefault(role, []).append(school_id)
        if role in StaffMembership.Role.values:
            held[STAFF].append(school_id)
    return held


def _schools_where(user, held: str) -> QuerySet[School]:
    if not _active(user):
        return School.objects.none()
    return School.objects.filter(pk__in=_school_ids(user, held))


def _holds_at(user, school: School, held: str) -> bool:
    if not _active(user):
        return False
    ids = _school_ids(user, held)
    return school.pk in ids if isinstance(ids, list) else School.objects.filter(pk=school.pk, pk__in=ids).exists()


def _holds_anywhere(user, held: str) -> bool:
    if not _active(user):
        return False
    ids = _school_ids(user, held)
    return bool(ids) if isinstance(ids, list) else ids.exists()


def is_staff_of(user, school: School) -> bool:
    return _holds_at(user, school, STAFF)


def is_staff_anywhere(user) -> bool:
    return _holds_anywhere(user, STAFF)


def staff_schools(user) -> QuerySet:
    """The schools where `user` is on the staff (any role)."""
    return _schools_where(user, STAFF)


def is_teacher_anywhere(user) -> bool:
    """Employed as a teacher at some school (whether or not they teach anyone this year)."""
    return _holds_anywhere(user, StaffMembership.Role.TEACHER)


def teacher_schools(user) -> QuerySet[School]:
    return _schools_where(user, StaffMembership.Role.TEACHER)


def is_principal(user, school: School) -> bool:
    return _holds_at(user, school, StaffMembership.Role.PRINCIPAL)


def _role_holder_ids(school: School, *permissions: str) -> dict[str, set[int]]:
    """Ids of the users granted each of `permissions` at `school`, in one query (staff or not)."""
    holders = {permission: set() for permission in permissions}
    rows = SchoolUserObjectPermission.objects.filter(
        content_object=school, permission__codename__in=permissions
    ).values_list("permission__codename", "user_id")
    for permission, user_id in rows:
        holders[permission].add(user_id)
    return holders


def school_role_ids(school: School) -> dict[str, set[int]]:
    """The holders of every school role of `school` by permission (the Tilgang list, in one query)."""
    return _role_holder_ids(school, IOP_ADMIN_PERMISSION, IKO_TEAM_PERMISSION, CASE_CREATOR_PERMISSION)


def is_iop_admin(user, school: School) -> bool:
    return _holds_at(user, school, IOP_ADMIN_PERMISSION)


def is_iop_admin_expression(user, school) -> Exists | Value:
    """is_iop_admin as an expression over `school` (an OuterRef), so the query that reads the school answers it."""
    return _role_expression(user, school, IOP_ADMIN_PERMISSION)


def _role_expression(user, school, permission: str) -> Exists | Value:
    if not _active(user):
        return Value(False)
    return Exists(_grants(user).filter(permission__codename=permission, content_object=school))


def iop_admin_ids(school: School) -> set[int]:
    """Ids of the users who hold the IOP-admin role of `school` (for the Tilgang list)."""
    return _role_holder_ids(school, IOP_ADMIN_PERMISSION)[IOP_ADMIN_PERMISSION]


def iop_admins_of(school: School) -> QuerySet[User]:
    """The list twin of is_iop_admin: the users whose IOP-admin grant of `school` counts (active, on its staff)."""
    return User.objects.filter(pk__in=iop_admin_ids(school), is_active=True,
                               staff_memberships__school=school).distinct()


def admin_schools(user) -> QuerySet[School]:
    return _schools_where(user, IOP_ADMIN_PERMISSION)


def is_iko_team(user, school: School) -> bool:
    """On the school's IKO team (sees and follows up the school's students at risk of dropping out)."""
    return _holds_at(user, school, IKO_TEAM_PERMISSION)


def is_iko_team_expression(user, school) -> Exists | Value:
    """is_iko_team as an expression over `school` (an OuterRef)."""
    return _role_expression(user, school, IKO_TEAM_PERMISSION)


def iko_team_ids(school: School) -> set[int]:
    """Ids of the users who hold the IKO-team role of `school` (for the Tilgang list)."""
    return _role_holder_ids(school, IKO_TEAM_PERMISSION)[IKO_TEAM_PERMISSION]


def iko_team_schools(user) -> QuerySet[School]:
    """The schools whose IKO team the user is on."""
    return _schools_where(user, IKO_TEAM_PERMISSION)


def is_case_creator(user, school: School) -> bool:
    """May create person cases at the school and sees the list of its cases (not their content)."""
    return _holds_at(user, school, CASE_CREATOR_PERMISSION)


def case_creator_schools(user) -> QuerySet[School]:
    """The schools where the user may create person cases."""
    return _schools_where(user, CASE_CREATOR_PERMISSION)


def principal_schools(user) -> QuerySet:
    return _schools_where(user, StaffMembership.Role.PRINCIPAL)


def get_school_for_principal(request, pk) -> School:
    """The school whose roles (IOP admin, IKO team) the user may hand out: its principal only.

    Staff of the school get 403; everyone else 404.
    """
    user = request.user
    school = get_object_or_404(School, pk=pk)
    what = {"object_type": "school", "object_id": school.pk, "school": school}
    require(is_principal(user, school), insider=lambda: is_staff_of(user, school), **what)
    grant_read(request, **what)
    return school


def get_school_for_admin(request, pk) -> School:
    """A school whose IOP admin the user is (its lists of students, applications and batches)."""
    user = request.user
    school = get_object_or_404(School.objects.annotate(user_is_admin=is_iop_admin_expression(user, OuterRef("pk"))),
                               pk=pk)
    what = {"object_type": "school", "object_id": school.pk, "school": school}
    require(school.user_is_admin, insider=lambda: is_staff_of(user, school), **what)
    grant_read(request, **what)
    return school


# --- Students -------------------------------------------------------------


def teaches(user, student: Student, today: date | None = None) -> bool:
    """Teacher or co-teacher of the student in a subject this school year, while on the school's staff."""
    return _active(user) and enrollments_taught_by(user, today).filter(student=student).exists()


def teachers_of(student: Student, today: date | None = None) -> QuerySet[User]:
    """The list twin of teaches: the student's teachers and co-teachers this school year, while on its staff."""
    return User.objects.filter(
        pk__in=Enrollment.objects.active(_today(today)).filter(student=student).values("teachers"),
        is_active=True, staff_memberships__school=student.school,
    ).distinct()


def subjects_taught(user, student: Student, today: date | None = None) -> frozenset[int]:
    """Ids of the subjects `user` teaches `student` this school year (what a teacher writes in part 2)."""
    if not _active(user):
        return frozenset()
    return frozenset(enrollments_taught_by(user, today).filter(student=student).values_list("subject_id", flat=True))


def subjects_taught_expression(user, student) -> Subquery | Value:
    """subjects_taught as an expression over `student` (an OuterRef), so the query that reads the student
    answers it: the ids comma-separated, NULL for none. Read the answer with `subject_ids`."""
    if not _active(user):
        return Value(None, output_field=CharField())
    taught = enrollments_taught_by(user).filter(student=student).order_by().values("student")
    return Subquery(taught.annotate(ids=_IdList("subject_id")).values("ids"))


def subject_ids(answer: str | None) -> frozenset[int]:
    """The subject ids of a subjects_taught_expression answer."""
    return frozenset(int(pk) for pk in answer.split(",")) if answer else frozenset()


class _IdList(Aggregate):
    """A group's ids comma-separated (SQLite's GROUP_CONCAT, PostgreSQL's STRING_AGG)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(CAST(%(expressions)s AS text), ',')", **extra_context)


def is_contact_teacher(user, student: Student) -> bool:
    """The student's contact teacher (set by the roster import), while on the school's staff and while the
    student is at the school."""
    return (_active(user) and student.contact_teacher_id == user.pk and student.left_on is None
            and is_staff_of(user, student.school))


def contact_students_of(user) -> QuerySet:
    """The list twin of is_contact_teacher."""
    if not _active(user):
        return Student.objects.none()
    return Student.objects.filter(contact_teacher=user, left_on__isnull=True, school__in=staff_schools(user))


def guards(user, student: Student, today: date | None = None, *, listed: bool | None = None) -> bool:
    """Guardian of a minor: the right ends on the student's 18th birthday.

    `listed`: the answer of guardianship_expression, when the query that read the student asked it."""
    if not _active(user) or student.is_adult(_today(today)):
        return False
    return student.guardianships.filter(guardian=user).exists() if listed is None else listed


def guardianship_expression(user, student) -> Exists | Value:
    """Whether a guardianship of `student` (an OuterRef) names the user; guards() adds the age rule."""
    if not _active(user):
        return Value(False)
    return Exists(Guardianship.objects.filter(guardian=user, student=student))


def is_student(user, student: Student) -> bool:
    return _active(user) and student.user_id == user.pk


def roles_for(user, student: Student, today: date | None = None) -> frozenset[Role]:
    """Every relation `user` has to `student`; empty means an outsider."""
    checks = {
        Role.IOP_ADMIN: lambda: is_iop_admin(user, student.school),
        Role.TEACHER: lambda: teaches(user, student, today),
        Role.STUDENT: lambda: is_student(user, student),
        Role.GUARDIAN: lambda: guards(user, student, today),
    }
    return frozenset(role for role, check in checks.items() if check())


def students_administered_by(user) -> QuerySet:
    return Student.objects.filter(school__in=admin_schools(user))


def students_taught_by(user, today: date | None = None) -> QuerySet:
    if not _active(user):
        return Student.objects.none()
    # The school rule on the student itself, not inside the subquery: there PostgreSQL walked every
    # student of the school before the teacher's hundred enrollments (5.6 → 1.1 ms, bench/explain.py).
    return Student.objects.filter(pk__in=_enrollments_of(user, today).values("student_id"),
                                  school__in=staff_schools(user))


def teaches_anyone(user, today: date | None = None) -> bool:
    """Cheaper than students_taught_by(user).exists(): with a LIMIT over students, PostgreSQL
    walked the county's students looking for the first match (bench/explain.py)."""
    return _active(user) and enrollments_taught_by(user, today).exists()


def which_exist(user, checks: dict[str, QuerySet]) -> dict[str, bool]:
    """Whether each of the user's lists in `checks` has a row, asked in one query: the start page
    asks a dozen such questions (which roles, which sections), each a round trip and a compile."""
    if not checks:
        return {}
    aliases = {f"exists_{number}": name for number, name in enumerate(checks)}
    row = User.objects.filter(pk=user.pk).values(
        **{alias: Exists(checks[name]) for alias, name in aliases.items()}).first() or {}
    return {name: bool(row.get(alias)) for alias, name in aliases.items()}


def enrollments_taught_by(user, today: date | None = None) -> QuerySet:
    """The one rule of teaching: an active enrollment, at a school where the user is still on the staff.

    A teacher who leaves the school loses the students at once, even if the timetable still names them.
    """
    return _enrollments_of(user, today).filter(student__school__in=staff_schools(user))


def _enrollments_of(user, today: date | None = None) -> QuerySet:
    """The user's active enrollments as a teacher, before the school rule (its callers add it)."""
    return Enrollment.objects.active(_today(today)).filter(teachers=user)


def children_of(user, today: date | None = None) -> QuerySet:
    """Students `user` is guardian of, minors only."""
    if not _active(user):
        return Student.objects.none()
    today = _today(today)
    return Student.objects.filter(guardianships__guardian=user).filter(
        birth_date__gt=adult_cutoff(today)
    )


def student_self(user) -> QuerySet:
    if not _active(user):
        return Student.objects.none()
    return Student.objects.filter(user=user)


def students_visible_to(user, today: date | None = None) -> QuerySet:
    """Every student `user` has any relation to (the list twin of roles_for)."""
    return Student.objects.filter(
        Q(pk__in=students_administered_by(user).values("pk"))
        | Q(pk__in=students_taught_by(user, today).values("pk"))
        | Q(pk__in=children_of(user, today).values("pk"))
        | Q(pk__in=student_self(user).values("pk"))
    )


def get_student_for_admin(request, pk) -> Student:
    """A student of a school whose IOP admin the user is; other relations to the student get 403."""
    student = get_object_or_404(Student.objects.select_related("school"), pk=pk)
    roles = roles_for(request.user, student)
    what = {"object_type": "student", "object_id": student.pk, "student": student}
    require(Role.IOP_ADMIN in roles, insider=bool(roles), **what)
    grant_read(request, **what)
    return student
