"""Who may see and act on applications, batches and decisions (docs/architecture.md §4).

- IOP admin of the student's school: everything.
- Student and guardian (of a minor): read a published application; the adult
  student or a minor's guardian approves it.
- Teachers of the student are insiders (403); everyone else, other staff included, 404.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts import access as accounts_access
from accounts.access import (
    Role,
    admin_schools,
    children_of,
    get_student_for_admin,
    grant_read,
    is_archived,
    require,
    student_self,
)
from accounts.models import Student

from .models import Application, Decision, SchoolBatch

READ = "read"
MANAGE = "manage"  # change it: edit, publish, reopen, mark sent, decide, batch it
APPROVE = "approve"
ADMIN_READ = "admin_read"  # the IOP admin's own pages of it (its status, the PDF): stays once archived


def applications_administered_by(user) -> QuerySet:
    return Application.objects.filter(student__school__in=admin_schools(user))


# The user's own student records and minor children (accounts.access.student_self and children_of),
# for a caller that has read them already.
Family = tuple[list[Student], list[Student]]


def applications_for_reader(user, *, family: Family | None = None) -> QuerySet:
    """Published applications of the user's own student record or minor children."""
    students = _own_and_children(user, family, own_only_if_adult=False)
    return Application.objects.filter(student__in=students).exclude(status=Application.Status.REGISTERED)


def awaiting_approval_by(user, *, family: Family | None = None) -> QuerySet:
    """Applications waiting for `user`'s approval: a minor's guardian, or the adult student."""
    students = _own_and_children(user, family, own_only_if_adult=True)
    return Application.objects.filter(student__in=students, status=Application.Status.AWAITING_APPROVAL)


def _own_and_children(user, family: Family | None, *, own_only_if_adult: bool) -> list[int]:
    """Ids of the user's own student record and minor children: from `family`, or read here.

    Read first, because as an OR of two subqueries the planner could not use the index
    on the application's student and scanned every student of the county (bench/explain.py).
    No ids: no query (an empty IN).
    """
    if family is None:
        own, child_ids = student_self(user), list(children_of(user).values_list("pk", flat=True))
    else:
        own, child_ids = family[0], [child.pk for child in family[1]]
    return [s.pk for s in own if s.is_adult() or not own_only_if_adult] + child_ids


def may_approve(roles: frozenset[Role], application: Application) -> bool:
    """The one rule of who approves: a minor's guardian, or the student once 18."""
    return Role.GUARDIAN in roles or (Role.STUDENT in roles and application.student.is_adult())


def approval_flags(user, application: Application) -> dict[str, bool]:
    """What the read-only application page offers `user`: the approve button, or a note that a guardian approves."""
    roles = accounts_access.roles_for(user, application.student)
    awaiting = application.status == Application.Status.AWAITING_APPROVAL and not is_archived(application.student)
    return {
        "can_approve": awaiting and may_approve(roles, application),
        "guardian_approves": awaiting and Role.STUDENT in roles and not may_approve(roles, application),
        "roles": roles,
    }


def get_application_for(request, pk, action: str, *, event: str = "viewed") -> Application:
    """One application, if the user may read, manage or approve it; 404/403 otherwise. Logs the read as `event`."""
    application = get_object_or_404(
        Application.objects.select_related("student__school", "school_year", "batch"), pk=pk
    )
    roles = accounts_access.roles_for(request.user, application.student)
    reader = bool(roles & {Role.STUDENT, Role.GUARDIAN}) and application.is_published
    changeable = not is_archived(application.student)
    allowed = {
        MANAGE: Role.IOP_ADMIN in roles and changeable,
        ADMIN_READ: Role.IOP_ADMIN in roles,
        READ: Role.IOP_ADMIN in roles or reader,
        APPROVE: reader and may_approve(roles, application) and changeable,
    }[action]
    # Before publication a student or guardian must not learn it exists.
    insider = Role.IOP_ADMIN in roles or Role.TEACHER in roles or reader
    what = {"object_type": "application", "object_id": application.pk, "student": application.student}
    require(allowed, insider=insider, **what)
    grant_read(request, event=event, **what)
    return application


def may_change(application: Application) -> bool:
    """Whether the IOP admin's actions on the application are open (flags for the admin's pages)."""
    return not is_archived(application.student)


def require_changeable(student: Student) -> None:
    """A new application or decision for a student, refused (403) once the student's records are archived."""
    require(not is_archived(student), insider=True, object_type="student", object_id=student.pk, student=student)


def get_student_for_new_application(request, pk) -> Student:
    """A student of the IOP admin's school to create an application for; 403 once archived."""
    student = get_student_for_admin(request, pk)
    require_changeable(student)
    return student


def get_batch_for(request, pk) -> SchoolBatch:
    """A school batch of a school whose IOP admin the user is. The page logs the students it shows."""
    batch = get_object_or_404(SchoolBatch.objects.select_related("school", "authority"), pk=pk)
    user = request.user
    what = {"object_type": "school_batch", "object_id": batch.pk, "school": batch.school}
    require(accounts_access.is_iop_admin(user, batch.school), insider=accounts_access.is_staff_of(user, batch.school),
            **what)
    grant_read(request, **what)
    return batch


def get_decision_for(request, pk) -> Decision:
    """A decision to correct: the IOP admin of the student's school, until archived; the student's teachers 403."""
    decision = get_object_or_404(Decision.objects.select_related("student__school", "school_year"), pk=pk)
    roles = accounts_access.roles_for(request.user, decision.student)
    what = {"object_type": "decision", "object_id": decision.pk, "student": decision.student}
    require(Role.IOP_ADMIN in roles and not is_archived(decision.student),
            insider=bool(roles & {Role.IOP_ADMIN, Role.TEACHER}), **what)
    grant_read(request, **what)
    return decision


def decisions_administered_by(user) -> QuerySet:
    return Decision.objects.filter(student__school__in=admin_schools(user))
