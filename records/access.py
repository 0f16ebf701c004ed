"""Who does what with records duties (docs/architecture.md §4, the records table).

A records officer is an explicit grant per county or municipality (an Authority; a system administrator gives
it in the Django admin). The officer sees the authority's access requests, reviews them record by record,
releases the answer, and downloads a student's whole dossier. Staff of a student's school register a request
they receive and see its receipt (status and deadline), never its records. The requester who is a user of the
app (the student, or a guardian of a minor) downloads the released package. Outsiders get 404, insiders
without the right 403; every read is logged.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import (
    children_of,
    grant_read,
    is_staff_of,
    is_student,
    require,
    staff_schools,
    student_self,
)
from accounts.models import School, Student, adult_cutoff
from applications.models import Authority

from .models import AccessRequest, DestructionItem, DestructionList, HandOver, RecordsOfficer

REQUEST, DOSSIER = "access_request", "dossier"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def officer_authorities(user) -> QuerySet[Authority]:
    if not _active(user):
        return Authority.objects.none()
    return Authority.objects.filter(pk__in=RecordsOfficer.objects.filter(user=user).values("authority_id"))


def is_officer_anywhere(user) -> bool:
    """A records officer of some county or municipality (owes the second factor: accounts.second_factor)."""
    return officer_authorities(user).exists()


def is_records_officer(user, authority: Authority | None) -> bool:
    return (_active(user) and authority is not None
            and RecordsOfficer.objects.filter(user=user, authority=authority).exists())


def authority_of(student: Student) -> Authority | None:
    """The county or municipality that owns the student's school (School.owner_name names it)."""
    return Authority.objects.filter(name=student.school.owner_name).first()


def schools_of(authority: Authority) -> QuerySet[School]:
    return School.objects.filter(owner_name=authority.name)


def requests_visible_to(user) -> QuerySet[AccessRequest]:
    """The requests of the authorities whose records officer the user is."""
    return AccessRequest.objects.filter(authority__in=officer_authorities(user))


def requests_registered_by(user) -> QuerySet[AccessRequest]:
    """The receipts a member of staff sees: the requests they registered, at a school where they still work."""
    if not _active(user):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(registered_by=user, student__school__in=staff_schools(user))


def packages_for_requester(user) -> QuerySet[AccessRequest]:
    """Answered requests whose package the user downloads in the app: their own (as the student), or their
    minor child's (as a guardian, while the guardianship and the minority last); a student only once 18."""
    if not _active(user):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(
        status=AccessRequest.Status.RELEASED, requester_user=user).filter(
        Q(student__in=student_self(user), student__birth_date__lte=adult_cutoff()) | Q(student__in=children_of(user)))


def _what(access_request: AccessRequest) -> dict:
    return {"object_type": REQUEST, "object_id": access_request.pk, "student": access_request.student,
            "school": access_request.student.school}


def get_request_for_officer(request, pk) -> AccessRequest:
    """A request of an authority whose records officer the user is (review, release). Staff of the student's
    school get 403 (they may know of it: they register requests), everyone else 404."""
    access_request = get_object_or_404(
        AccessRequest.objects.select_related("authority", "student__school", "registered_by"), pk=pk)
    user = request.user
    require(is_records_officer(user, access_request.authority),
            insider=is_staff_of(user, access_request.student.school), **_what(access_request))
    grant_read(request, **_what(access_request))
    return access_request


def get_receipt_for(request, pk) -> AccessRequest:
    """The receipt of a request: for the staff member who registered it (while at the school) and the officer."""
    access_request = get_object_or_404(AccessRequest.objects.select_related("authority", "student__school"), pk=pk)
    user = request.user
    allowed = _registered(user, access_request) or is_records_officer(user, access_request.authority)
    require(allowed, insider=is_staff_of(user, access_request.student.school), **_what(access_request))
    grant_read(request, **_what(access_request))
    return access_request


def get_package_for(request, pk) -> AccessRequest:
    """A released package: the officer (to send it), or the requester in the app while the relation lasts."""
    access_request = get_object_or_404(AccessRequest.objects.select_related("authority", "student__school"), pk=pk)
    user = request.user
    released = access_request.status == AccessRequest.Status.RELEASED
    officer = is_records_officer(user, access_request.authority)
    requester = packages_for_requester(user).filter(pk=access_request.pk).exists()
    require(released and (officer or requester), insider=officer, **_what(access_request))
    grant_read(request, event="downloaded", **_what(access_request))
    return access_request


def _registered(user, access_request: AccessRequest) -> bool:
    return (_active(user) and access_request.registered_by_id == user.pk
            and is_staff_of(user, access_request.student.school))


def may_register_for(user, student: Student) -> bool:
    """Staff of the student's school (a teacher, the IOP admin, the principal) register a request they receive;
    so does the records officer of the school's authority."""
    return _active(user) and (is_staff_of(user, student.school) or is_records_officer(user, authority_of(student)))


def get_student_for_registration(request, pk) -> Student:
    student = get_object_or_404(Student.objects.select_related("school"), pk=pk)
    what = {"object_type": "student", "object_id": student.pk, "student": student, "school": student.school}
    require(may_register_for(request.user, student), insider=False, **what)
    grant_read(request, **what)  # the form shows the student's guardians
    return student


def students_for_registration(user) -> QuerySet[Student]:
    if not _active(user):
        return Student.objects.none()
    officer_schools = School.objects.filter(owner_name__in=officer_authorities(user).values("name"))
    return Student.objects.filter(Q(school__in=staff_schools(user)) | Q(school__in=officer_schools))


def get_student_for_dossier(request, pk, *, event: str = "downloaded") -> Student:
    """A student's whole dossier: the records officer of the student's authority; an adult student their own."""
    student = get_object_or_404(Student.objects.select_related("school"), pk=pk)
    user = request.user
    own = is_student(user, student) and student.is_adult()
    officer = is_records_officer(user, authority_of(student))
    what = {"object_type": DOSSIER, "object_id": student.pk, "student": student, "school": student.school}
    require(own or officer, insider=is_staff_of(user, student.school) or is_student(user, student), **what)
    grant_read(request, event=event, **what)
    return student



# --- Added for the views (records/views/) ------------------------------------------------------------------


def get_item_for_officer(request, pk):
    """One item of a request's checklist, with its record as it is now (None if it is gone), for a records
    officer of the request's authority; staff of the student's school get 403. Opening it logs the read of the
    record itself (or of the request, if the record is gone)."""
    from . import collect  # collect reads the other apps; imported here to keep this module light
    from .models import RequestItem

    item = get_object_or_404(RequestItem.objects.select_related("request__authority", "request__student__school"),
                             pk=pk)
    access_request = item.request
    user = request.user
    require(is_records_officer(user, access_request.authority),
            insider=is_staff_of(user, access_request.student.school), **_what(access_request))
    rec = collect.record_for(access_request.student, item.key)
    if rec is None or not rec.log_type:
        grant_read(request, **_what(access_request))
    else:
        grant_read(request, object_type=rec.log_type, object_id=rec.log_id, student=access_request.student,
                   school=access_request.student.school)
    return item, rec


def dossier_students_for(user) -> QuerySet[Student]:
    """The students whose dossier a records officer may open: those of the officer's authorities' schools."""
    return Student.objects.filter(school__owner_name__in=officer_authorities(user).values("name"))


# --- Retention (records/views/retention.py) ----------------------------------------------------------------


def get_authority_for_officer(request, pk) -> Authority:
    """An authority whose records officer the user is: its retention table, lists and hand-overs. Anyone else
    gets 404 (the page holds no student's record; the lists it links to log what they show)."""
    authority = get_object_or_404(Authority, pk=pk)
    require(is_records_officer(request.user, authority), insider=False, object_type="retention", object_id=pk)
    return authority


def get_destruction_list_for_officer(request, pk):
    """A destruction list of an authority whose records officer the user is; the page logs the students on it."""
    destruction_list = get_object_or_404(DestructionList.objects.select_related("authority", "approved_by"), pk=pk)
    require(is_records_officer(request.user, destruction_list.authority), insider=False,
            object_type="destruction_list", object_id=pk)
    return destruction_list


def get_destruction_item_for_officer(request, pk):
    item = get_object_or_404(DestructionItem.objects.select_related(
        "destruction_list__authority", "student__school"), pk=pk)
    require(is_records_officer(request.user, item.destruction_list.authority), insider=False,
            object_type="destruction_list", object_id=item.destruction_list_id)
    return item


def get_student_for_handover(request, pk) -> Student:
    """A student of the officer's authority, whose records the officer hands over to the archive. Staff of the
    student's school get 403, everyone else 404; the page lists the student's records: logged."""
    student = get_object_or_404(Student.objects.select_related("school"), pk=pk)
    what = {"object_type": "archive_handover", "object_id": student.pk, "student": student, "school": student.school}
    require(is_records_officer(request.user, authority_of(student)), insider=is_staff_of(request.user, student.school),
            **what)
    grant_read(request, **what)
    return student


def get_handover_for_officer(request, pk):
    """A hand-over package, downloaded by a records officer of its authority (to deliver it to the archive)."""
    handover = get_object_or_404(HandOver.objects.select_related("authority", "student__school"), pk=pk)
    what = {"object_type": "archive_handover", "object_id": handover.pk, "student": handover.student,
            "school": handover.student.school}
    require(is_records_officer(request.user, handover.authority),
            insider=is_staff_of(request.user, handover.student.school), **what)
    grant_read(request, event="downloaded", **what)
    return handover
