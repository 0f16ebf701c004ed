"""Who may see and change a student's uploaded documents (docs/architecture.md §4).

- IOP admin of the student's school: everything.
- Teacher of the student: lists and downloads documents marked visible to teachers.
- Anyone holding an explicit per-document grant lists and downloads that
  document, while they still hold a relation to the student that may receive
  it: guardian of a minor, the student, staff of the student's school. A grant
  only ever narrows what a relation allows; it ends with the relation.
- Everyone else: 404. Insiders asking for more than their role allows: 403.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts import access as accounts_access
from accounts.access import Role
from accounts.models import Student

from .models import DOWNLOAD_PERMISSION, Document, DocumentUserObjectPermission

READ = "read"
MANAGE = "manage"  # upload, retitle, set visibility, grant, delete
SHARING = "sharing"  # the sharing page and taking a grant back: still open once archived (it narrows access)


def family_recipients(student: Student) -> QuerySet:
    """The family's logins a download grant may go to: the student's own, and the guardians' while the
    student is a minor."""
    family = Q(student=student)
    if not student.is_adult():
        family |= Q(guardianships__student=student)
    return get_user_model().objects.filter(family, is_active=True).distinct()


def grant_recipients(student: Student) -> QuerySet:
    """Everyone a download grant for the student's documents may go to: the family's logins and the staff of
    the student's school (the person twin of granted_documents' filter; may_receive_grant asks it)."""
    return get_user_model().objects.filter(
        Q(pk__in=family_recipients(student).values("pk")) | Q(staff_memberships__school=student.school),
        is_active=True,
    ).distinct()


def may_receive_grant(user, student: Student) -> bool:
    """The relations a download grant may ride on."""
    return grant_recipients(student).filter(pk=user.pk).exists()


# Whether a user may see the student's IOP at all. The rule lives in iop.access, above this app, so the
# iop app hands it over in its AppConfig.ready(); the documents page uses it to show the IOP admin which
# documents the family can open once they see the IOP.
_sees_plan: list[Callable[[object, Student], bool]] = []


def set_plan_check(check: Callable[[object, Student], bool]) -> None:
    _sees_plan[:] = [check]


def family_access(student: Student, documents) -> list[tuple[object, set[int]]]:
    """For each of the family's logins who sees the student's IOP: the ids of `documents` they may open.
    Empty until the IOP is published to them."""
    family = [person for person in family_recipients(student) if any(check(person, student) for check in _sees_plan)]
    ids = [document.pk for document in documents]
    return [(person, set(documents_visible_to(person, student).filter(pk__in=ids).values_list("pk", flat=True)))
            for person in family]


def granted_documents(user) -> QuerySet:
    """Documents granted to `user` whose student they still have a relation to that may receive a grant."""
    if not (user and user.is_authenticated and user.is_active):
        return Document.objects.none()
    grants = DocumentUserObjectPermission.objects.filter(user=user, permission__codename=DOWNLOAD_PERMISSION)
    related = (
        Q(student__in=accounts_access.children_of(user))
        | Q(student__in=accounts_access.student_self(user))
        | Q(student__school__in=accounts_access.staff_schools(user))
    )
    return Document.objects.filter(pk__in=grants.values("content_object")).filter(related)


def documents_visible_to(user, student: Student, roles: frozenset[Role] | None = None) -> QuerySet:
    """The documents of `student` that `user` may list and download."""
    roles = accounts_access.roles_for(user, student) if roles is None else roles
    documents = Document.objects.filter(student=student)
    if Role.IOP_ADMIN in roles:
        return documents
    rule = Q(pk__in=granted_documents(user).values("pk"))
    if Role.TEACHER in roles:
        rule |= Q(visible_to_teachers=True)
    return documents.filter(rule)


def count_for_iop_admin(student) -> Coalesce:
    """How many documents of `student` (an OuterRef) an IOP admin sees (documents_visible_to: all), as an
    expression, so the query that reads the student answers it."""
    counted = Document.objects.filter(student=student).order_by().values("student").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def is_changeable(student: Student) -> bool:
    """The student's documents change (upload, retitle, visibility, grant, delete) until the records are archived."""
    return not accounts_access.is_archived(student)


def may_manage(student: Student, roles: frozenset[Role]) -> bool:
    """Upload, retitle, set visibility, grant, delete: the IOP admin, while the documents are changeable."""
    return Role.IOP_ADMIN in roles and is_changeable(student)


def _is_insider(user, student: Student, roles: frozenset[Role]) -> bool:
    return bool(roles) or granted_documents(user).filter(student=student).exists()


def get_student_for(request, student_pk, action: str) -> tuple[Student, frozenset[Role]]:
    """The student whose documents page the user opens (READ) or changes (MANAGE). Logs the read."""
    user = request.user
    student = get_object_or_404(Student.objects.select_related("school"), pk=student_pk)
    roles = accounts_access.roles_for(user, student)
    insider = _is_insider(user, student, roles)
    allowed = may_manage(student, roles) if action == MANAGE else insider
    what = {"object_type": "document_list", "object_id": student.pk, "student": student}
    accounts_access.require(allowed, insider=insider, **what)
    accounts_access.grant_read(request, **what)
    return student, roles


def get_document_for(request, pk, action: str, *, event: str = "viewed") -> Document:
    """One document, if the user may read (list/download) or manage it. Logs the read as `event`.

    Someone who may not see the document gets 404 even if they know the
    student: a teacher must not learn that hidden documents exist.
    """
    user = request.user
    document = get_object_or_404(Document.objects.select_related("student__school"), pk=pk)
    roles = accounts_access.roles_for(user, document.student)
    visible = documents_visible_to(user, document.student, roles).filter(pk=document.pk).exists()
    allowed = {
        MANAGE: may_manage(document.student, roles),
        SHARING: Role.IOP_ADMIN in roles,
        READ: visible,
    }[action]
    what = {"object_type": "document", "object_id": document.pk, "student": document.student}
    accounts_access.require(allowed, insider=visible, **what)
    accounts_access.grant_read(request, event=event, detail=document.title if event != "viewed" else "", **what)
    return document
