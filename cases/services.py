"""Changes to person cases: each in one transaction, each logged against the case (audit.log.record)."""

from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from accounts.models import School, StaffMembership, Student, User
from audit.log import record
from documents.sanitize import SanitizedPdf

from .access import CARD, CASE
from .models import DEFAULT_CASE_TYPES, Attachment, Case, CaseStudent, CaseType, CoHandler, Event, EventVersion


def _log(request, action: str, case: Case, detail: str = "") -> None:
    record(request, action=action, object_type=CASE, object_id=case.pk, student=case.card.student,
           school=case.school, detail=detail)


def _require_staff(school: School, user: User) -> None:
    if not (user.is_active and StaffMembership.objects.filter(school=school, user=user).exists()):
        raise Refused(_("%(name)s does not work at %(school)s.") % {"name": user, "school": school})


# --- The student card and the case types -----------------------------------------------------------


def card_register(*, student: Student, by: User, request=None) -> CaseStudent:
    """Register the student in the case system; registering again changes nothing."""
    with transaction.atomic():
        card, created = CaseStudent.objects.get_or_create(student=student, defaults={"registered_by": by})
        if created:
            record(request, action="created", object_type=CARD, object_id=student.pk, student=student,
                   school=student.school)
    return card


def case_types_of(school: School) -> list[CaseType]:
    """The school's case types, starting from the defaults the first time they are asked for."""
    types = list(CaseType.objects.filter(school=school))
    if not types:
        CaseType.objects.bulk_create([CaseType(school=school, name=str(name)) for name in DEFAULT_CASE_TYPES],
                                     ignore_conflicts=True)
        types = list(CaseType.objects.filter(school=school))
    return types


def case_type_add(*, school: School, name: str, request=None) -> CaseType:
    name = name.strip()
    try:
        with transaction.atomic():
            case_type = CaseType.objects.create(school=school, name=name)
    except IntegrityError:
        raise Refused(_("The school already has a case type called “%(name)s”.") % {"name": name}) from None
    record(request, action="created", object_type="person_case_type", object_id=case_type.pk, school=school,
           detail=name)
    return case_type


def case_type_set_active(*, case_type: CaseType, active: bool, request=None) -> None:
    """Retire a type (cases keep it) or take it into use again."""
    CaseType.objects.filter(pk=case_type.pk).update(active=active)
    record(request, action="changed", object_type="person_case_type", object_id=case_type.pk,
           school=case_type.school, detail=f"{case_type.name}: {'active' if active else 'retired'}")


# --- Cases -------------------------------------------------------------------------------------------


def case_create(*, student: Student, case_type: CaseType, category: str, description: str, handler: User,
                co_handlers: Iterable[User] = (), by: User, request=None) -> Case:
    """A new person case at the student's school; the student must be registered in the case system."""
    card = CaseStudent.objects.filter(student=student).first()
    if card is None:
        raise Refused(_("Register the student in the case system first."))
    if student.left_on:
        raise Refused(_("%(name)s has left the school: a new case cannot be opened.") % {"name": student.full_name})
    if case_type.school_id != student.school_id or not case_type.active:
        raise Refused(_("Choose one of the school's case types."))
    _require_staff(student.school, handler)
    co_handlers = [user for user in co_handlers if user.pk != handler.pk]
    for user in co_handlers:
        _require_staff(student.school, user)
    with transaction.atomic():
        case = Case.objects.create(card=card, school=student.school, case_type=case_type, category=category,
                                   description=description.strip(), handler=handler, created_by=by)
        CoHandler.objects.bulk_create([CoHandler(case=case, user=user, added_by=by) for user in co_handlers])
        _log(request, "created", case, detail=f"handler {handler.username}")
        for user in co_handlers:
            _log(request, "granted", case, detail=f"co-handler {user.username}")
    return case


def co_handler_add(*, case: Case, user: User, by: User, request=None) -> None:
    """Name a co-handler: from now on they read and write the case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("card__student", "school").get(pk=case.pk)
        case.require_open()
        _require_staff(case.school, user)
        if user.pk == case.handler_id:
            raise Refused(_("%(name)s is the case's handler.") % {"name": user})
        _row, created = CoHandler.objects.get_or_create(case=case, user=user, defaults={"added_by": by})
        if not created:
            raise Refused(_("%(name)s is already a co-handler.") % {"name": user})
        _log(request, "granted", case, detail=f"co-handler {user.username}")


def co_handler_remove(*, case: Case, user: User, request=None) -> None:
    """Take a co-handler off the case: their access ends at once (also on a closed case)."""
    with transaction.atomic():
        removed, _rows = CoHandler.objects.filter(case=case, user=user).delete()
        if removed:
            _log(request, "revoked", case, detail=f"co-handler {user.username}")


def case_hand_over(*, case: Case, to: User, request=None) -> None:
    """A new handler (e.g. a new contact teacher); if they were a co-handler, that naming goes."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("card__student", "school").get(pk=case.pk)
        _require_staff(case.school, to)
        previous = case.handler
        case.hand_over(to=to)
        case.save(update_fields=["handler"])
        CoHandler.objects.filter(case=case, user=to).delete()
        _log(request, "changed", case, detail=f"handler {previous.username} → {to.username}")


def case_close(*, case: Case, by: User, note: str, request=None) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("card__student", "school").get(pk=case.pk)
        case.close(by=by, note=note)
        case.save(update_fields=["status", "closing_note", "closed_on", "closed_by"])
        _log(request, "changed", case, detail="closed")


# --- Events ------------------------------------------------------------------------------------------


def event_create(*, case: Case, by: User, category: str, kind: str, occurred_on: date, title: str, text: str,
                 pdfs: Iterable[tuple[str, SanitizedPdf]] = (), request=None) -> Event:
    """A new event in the case (there is no other place for one), with its first version and attachments."""
    stored = _store_pdfs(pdfs, by)
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().select_related("card__student", "school").get(pk=case.pk)
            locked.require_open()
            event = Event.objects.create(case=locked, created_by=by)
            EventVersion.objects.create(event=event, number=1, category=category, kind=kind,
                                        occurred_on=occurred_on, title=title.strip(), text=text.strip(),
                                        written_by=by)
            for attachment in stored:
                attachment.event = event
                attachment.save()
            _log(request, "created", locked, detail=f"event {event.pk}")
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return event


def event_correct(*, event: Event, by: User, based_on: int, category: str, kind: str, occurred_on: date,
                  title: str, text: str, request=None) -> EventVersion:
    """A correction: a new version beside the earlier ones. `based_on` is the version the writer saw;
    if someone has corrected the event since, the correction is refused (nothing is overwritten unseen)."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().select_related("case__card__student", "case__school").get(
            pk=event.pk)
        locked.case.require_open()
        latest = locked.versions.order_by("-number").first()
        if latest.number != based_on:
            raise Refused(_("Someone has corrected the event since you opened it. Read the new text and "
                            "correct again."))
        if (category, kind, occurred_on, title.strip(), text.strip()) == (
                latest.category, latest.kind, latest.occurred_on, latest.title, latest.text):
            raise Refused(_("Nothing was changed."))
        version = EventVersion.objects.create(event=locked, number=latest.number + 1, category=category,
                                              kind=kind, occurred_on=occurred_on, title=title.strip(),
                                              text=text.strip(), written_by=by)
        _log(request, "changed", locked.case, detail=f"event {locked.pk} version {version.number}")
    return version


def _store_pdfs(pdfs: Iterable[tuple[str, SanitizedPdf]], by: User) -> list[Attachment]:
    """Write the cleaned files first; the rows are saved with the event (and the files go if that fails)."""
    stored = []
    try:
        for title, pdf in pdfs:
            attachment = Attachment(title=title, size=pdf.size, page_count=pdf.page_count, sha256=pdf.sha256,
                                    uploaded_by=by)
            attachment.file.save("upload.pdf", ContentFile(pdf.content), save=False)
            stored.append(attachment)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


# --- Retention ---------------------------------------------------------------------------------------


def erase_for_retention(*, case_ids=(), attachment_ids=()) -> int:
    """Delete these cases (their events, every version, attachments and co-handlers) and these single
    attachments; the files go once the transaction commits. Returns the cases plus the named attachments
    deleted; unknown ids are skipped. The student's card stays.

    For the records service's destruction only: it has decided access and logs each destruction, so
    nothing is logged here.
    """
    with transaction.atomic():
        erased = _erase_attachments(Attachment.objects.filter(pk__in=list(attachment_ids)))
        # Locked as event_create locks them: no event or attachment (and file) slips in while they go.
        cases = list(Case.objects.select_for_update().filter(pk__in=list(case_ids)).values_list("pk", flat=True))
        _erase_attachments(Attachment.objects.filter(event__case__in=cases))
        # A queryset delete never calls EventVersion.delete(), the guard that keeps a handler from removing
        # a saved text; retention is the one lawful removal, so it is bypassed here and nowhere else.
        EventVersion.objects.filter(event__case__in=cases).delete()
        Event.objects.filter(case__in=cases).delete()
        _total, by_model = Case.objects.filter(pk__in=cases).delete()  # the co-handler rows cascade
    return erased + by_model.get(Case._meta.label, 0)


def _erase_attachments(attachments) -> int:
    names = list(attachments.values_list("file", flat=True))
    _total, by_model = attachments.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
    return by_model.get(Attachment._meta.label, 0)
