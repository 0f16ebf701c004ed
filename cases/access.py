"""Who reads person cases (docs/architecture.md §4, the person-case table).

Access is per case and only by naming: the case's handler and co-handlers read and write it while they are
on the staff of the case's school. A case creator (an explicit grant per school, on the principal's Tilgang
page) creates cases, names their handlers and sees the school's list of cases — student, type, category,
handler, status, dates — but reads a case only when named on it. Nothing else opens a case: not the IOP
admin, the principal, a teacher, the family or a superuser. There is no access per event or document.

Outsiders get 404. The case creator (who knows the case from the list) and a co-handler asking for what
only the handler does get 403. Every read is logged against the case (`object_type="person_case"`), so the
case page can show its own access history.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import (
    case_creator_schools,
    contact_students_of,
    grant_read,
    is_archived,
    is_case_creator,
    is_contact_teacher,
    is_staff_of,
    require,
    staff_schools,
)
from accounts.models import School, Student

from .models import Attachment, Case, CaseType, CoHandler, Event

CASE, CARD, CASE_LIST = "person_case", "person_case_card", "person_case_list"


class Need(enum.Enum):
    READ = "read"  # the case, its events and attachments (handlers, co-handlers)
    WRITE = "write"  # adding and correcting events (handlers, co-handlers)
    HANDLERS = "handlers"  # the handler and co-handlers (case creator or handler; no content is shown)
    ADD_HANDLERS = "add_handlers"  # name a co-handler, hand over (case creator or handler; removing one is HANDLERS)
    HANDLE = "handle"  # the case file PDF, the case's access history (the handler)
    CLOSE = "close"  # close the case (the handler)


@dataclass(frozen=True)
class Rights:
    read: bool = False
    handlers: bool = False
    handle: bool = False
    creator: bool = False
    archived: bool = False  # the student's records are handed over to the archive: nothing is added any more

    @property
    def write(self) -> bool:
        return self.read and not self.archived

    @property
    def add_handlers(self) -> bool:
        """Taking a co-handler off stays open once archived: it only narrows who reads the case."""
        return self.handlers and not self.archived

    @property
    def close(self) -> bool:
        return self.handle and not self.archived

    def allows(self, need: Need) -> bool:
        return getattr(self, need.value)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_handler(user, case: Case) -> bool:
    """The case's handler, while on the staff of the case's school."""
    return _active(user) and case.handler_id == user.pk and is_staff_of(user, case.school)


def is_co_handler(user, case: Case) -> bool:
    """Named as co-handler, while on the staff of the case's school; removal ends it at once."""
    return (_active(user) and CoHandler.objects.filter(case=case, user=user).exists()
            and is_staff_of(user, case.school))


def rights_for(user, case: Case) -> Rights:
    handler = is_handler(user, case)
    named = handler or is_co_handler(user, case)
    creator = _active(user) and is_case_creator(user, case.school)
    return Rights(read=named, handlers=handler or creator, handle=handler, creator=creator,
                  archived=is_archived(case.card.student))


def cases_handled_by(user) -> QuerySet[Case]:
    """The cases whose content the user reads (the list twin of `Rights.read`)."""
    if not _active(user):
        return Case.objects.none()
    named = Q(handler=user) | Q(pk__in=CoHandler.objects.filter(user=user).values("case_id"))
    return Case.objects.filter(named, school__in=staff_schools(user))


def cases_listed_for(user) -> QuerySet[Case]:
    """The cases the user sees in a list: those they handle, and every case of a school where they are
    case creator (metadata only)."""
    if not _active(user):
        return Case.objects.none()
    return Case.objects.filter(Q(pk__in=cases_handled_by(user).values("pk"))
                               | Q(school__in=case_creator_schools(user)))


def get_case_for(request, pk, need: Need, *, event: str = "viewed") -> tuple[Case, Rights]:
    """One case, for what `need` asks; the read (or download) is logged against the case."""
    case = get_object_or_404(
        Case.objects.select_related("card__student__school", "school", "case_type", "handler"), pk=pk)
    rights = rights_for(request.user, case)
    what = {"object_type": CASE, "object_id": case.pk, "student": case.card.student, "school": case.school}
    require(rights.allows(need), insider=rights.creator or rights.read, **what)
    grant_read(request, event=event, **what)
    return case, rights


def get_event_for(request, pk, need: Need = Need.READ) -> tuple[Event, Rights]:
    """An event, through its case: the same right as the case (there is none per event)."""
    event = get_object_or_404(Event.objects.only("pk", "case_id"), pk=pk)
    case, rights = get_case_for(request, event.case_id, need)
    event.case = case
    return event, rights


def get_attachment_for(request, pk) -> Attachment:
    """An event's PDF, through its case: the download is logged against the case."""
    attachment = get_object_or_404(Attachment.objects.select_related("event"), pk=pk)
    case, _rights = get_case_for(request, attachment.event.case_id, Need.READ, event="downloaded")
    attachment.event.case = case
    return attachment


# --- The student card ----------------------------------------------------------------------------


def may_register(user, student: Student) -> bool:
    """Registers the student in the case system: the contact teacher, or a case creator of the school."""
    return is_case_creator(user, student.school) or is_contact_teacher(user, student)


def may_register_now(user, student: Student) -> bool:
    """`may_register`, while the student's records are not archived (the register button and its POST)."""
    return may_register(user, student) and not is_archived(student)


def may_create_case(user, student: Student) -> bool:
    """A new person case for the student: a case creator of the school, while the records are not archived."""
    return is_case_creator(user, student.school) and not is_archived(student)


def get_student_for_cases(request, pk) -> Student:
    """The student's page in the case system: for whoever may register the student or handles a case of
    theirs. It lists only the cases the user may see in a list."""
    student = get_object_or_404(Student.objects.select_related("school"), pk=pk)
    user = request.user
    allowed = may_register(user, student) or cases_handled_by(user).filter(card__student=student).exists()
    what = {"object_type": CARD, "object_id": student.pk, "student": student, "school": student.school}
    require(allowed, insider=is_staff_of(user, student.school), **what)
    grant_read(request, **what)
    return student


def get_student_for_creator(request, pk) -> Student:
    """A student for whom the user may create a case: a case creator of the student's school (403 once the
    student's records are archived)."""
    student = get_object_or_404(Student.objects.select_related("school", "contact_teacher"), pk=pk)
    what = {"object_type": CARD, "object_id": student.pk, "student": student, "school": student.school}
    require(is_case_creator(request.user, student.school), insider=is_staff_of(request.user, student.school),
            **what)
    require(may_create_case(request.user, student), insider=True, **what)
    grant_read(request, **what)
    return student


def students_for_registration(user) -> QuerySet[Student]:
    """The students the user may register or open cases for: a case creator's schools' students at the
    school, and a contact teacher's own class."""
    if not _active(user):
        return Student.objects.none()
    return Student.objects.filter(_registered_school_wide(user) | Q(pk__in=contact_students_of(user).values("pk")))


def registration_checks(user) -> dict[str, QuerySet]:
    """Whether `students_for_registration` has anyone, as two lists for accounts.access.which_exist (either
    non-empty): as one list, an OR PostgreSQL answers by reading every student of the county (bench/explain.py)."""
    if not _active(user):
        return {"registers_at_school": Student.objects.none(), "registers_own_class": Student.objects.none()}
    return {"registers_at_school": Student.objects.filter(_registered_school_wide(user)),
            "registers_own_class": contact_students_of(user)}


def _registered_school_wide(user) -> Q:
    """A case creator registers any current student of their schools."""
    return Q(school__in=case_creator_schools(user), left_on__isnull=True)


def get_school_for_creator(request, pk) -> School:
    """A school whose case creator the user is (its list of cases, its case types)."""
    school = get_object_or_404(School, pk=pk)
    what = {"object_type": CASE_LIST, "object_id": school.pk, "school": school}
    require(is_case_creator(request.user, school), insider=is_staff_of(request.user, school), **what)
    grant_read(request, **what)
    return school



def get_case_type_for(request, pk) -> CaseType:
    """One of a school's case types, for its case creators (retiring it, taking it into use again)."""
    case_type = get_object_or_404(CaseType.objects.select_related("school"), pk=pk)
    get_school_for_creator(request, case_type.school_id)
    return case_type
