"""Work across models: creating applications, editing them safely, batches, decisions."""

from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.access import iop_admins_of, roles_for
from accounts.exceptions import Refused
from accounts.models import SchoolYear, Student
from audit.log import record
from documents.access import family_recipients
from documents.pdf import render_pdf
from documents.services import document_create
from notices.models import Event
from notices.services import notify

from .access import may_approve
from .models import (
    Application,
    ApplicationAttachment,
    DecidedSubject,
    Decision,
    SchoolBatch,
)


def students_without_application(*, school, school_year: SchoolYear):
    """The school's students with neither an application nor a decision for the year."""
    has_application = Application.objects.filter(student=OuterRef("pk"), school_year=school_year)
    has_decision = Decision.objects.filter(student=OuterRef("pk"), school_year=school_year)
    return Student.objects.filter(school=school).exclude(Exists(has_application)).exclude(Exists(has_decision))


def students_to_apply_for(*, school, school_year: SchoolYear):
    """The school's students with no IOP, application or decision for the year ("Add student application")."""
    return students_without_application(school=school, school_year=school_year).exclude(
        plans__school_year=school_year
    )


def application_create(*, student: Student, school_year: SchoolYear, by, request=None) -> Application:
    with transaction.atomic():
        # Lock the student so two clicks on "add" cannot create two applications.
        Student.objects.select_for_update().get(pk=student.pk)
        if not students_to_apply_for(school=student.school, school_year=school_year).filter(pk=student.pk).exists():
            raise Refused(_("The student already has an IOP, an application or a decision this school year."))
        application = Application.objects.create(student=student, school_year=school_year, created_by=by)
        record(request, action="created", object_type="application", object_id=application.pk, student=student)
    return application


@contextmanager
def application_editing(application: Application, *, request=None, detail: str = "edited"):
    """Lock the application for a change; refuse if it is no longer editable.

    Use around saving the form and its subject rows and attachments:
        with application_editing(application, request=request) as locked: ...
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise Refused(
                _("The application can no longer be changed. Reopen it first (not possible once it is sent).")
            )
        yield locked
        record(request, action="changed", object_type="application", object_id=locked.pk,
               student=application.student, detail=detail)


def application_set_attachments(*, application: Application, documents) -> None:
    """Replace the attachments; call inside application_editing."""
    wanted = {d.pk for d in documents}
    application.attachments.exclude(document__in=wanted).delete()
    existing = set(application.attachments.values_list("document_id", flat=True))
    ApplicationAttachment.objects.bulk_create(
        ApplicationAttachment(application=application, document_id=pk) for pk in sorted(wanted - existing)
    )


def application_update(*, application: Application, save_content, documents, new_document: dict | None = None,
                       by, request=None) -> None:
    """Save the edit form: `save_content(locked)` writes the fields and subjects, then the attachments are set.

    `new_document` (title, visible_to_teachers, pdf: a SanitizedPdf) is uploaded as a document of the
    student and attached too. If the change fails after the upload, its stored file is removed with it.
    """
    created = None
    try:
        with application_editing(application, request=request) as locked:
            save_content(locked)
            if new_document:
                created = document_create(student=locked.student, by=by, request=request, **new_document)
            application_set_attachments(application=locked, documents=[*documents, *filter(None, [created])])
    except Exception:
        if created is not None:
            created.file.delete(save=False)
        raise


def application_pdf(application: Application, *, approval: dict | None = None) -> bytes:
    """The application as the authority will read it. Slow: call outside transactions.

    `approval` ({"by": user, "at": datetime, "hash": content hash}) prints who approved it and the
    fingerprint the UI shows, for the snapshot.
    It is rendered in the school's language, whatever the reader's UI language.
    """
    context = {
        "approval": approval,
        "application": application,
        "student": application.student,
        "school": application.student.school,
        "school_year": application.school_year,
        "subjects": application.subjects.select_related("subject"),
        "attachments": application.attachments.select_related("document"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("pdf/application.html", context)


def application_approve(*, application: Application, by, content_hash: str | None = None, request=None) -> None:
    """Render what the approver has read, then approve exactly that content.

    `content_hash` is the hash of the page the approver read (default: the current content).
    """
    content_hash = content_hash or application.content_hash()
    snapshot = application_pdf(application, approval={"by": by, "at": timezone.now(), "hash": content_hash})
    with transaction.atomic():
        application.approve(by=by, content_hash=content_hash, snapshot_pdf=snapshot)
        _log_change(request, application, "approved", user=by)
        _notify_admins(application, key=f"application:{application.pk}:approved:{application.approved_at.isoformat()}")


def application_comment(*, application: Application, by, kind: str, text: str, content_hash: str,
                        request=None) -> None:
    """An approver disagrees or asks instead of approving; the application stays awaiting approval."""
    with transaction.atomic():
        comment = application.comment(by=by, kind=kind, text=text, content_hash=content_hash)
        record(request, action="created", object_type="application", object_id=application.pk,
               student=application.student, user=by, detail=f"comment {comment.pk}: {kind}")
        _notify_admins(application, key=f"application:{application.pk}:comment:{comment.pk}")


def application_publish(*, application: Application, request=None) -> None:
    with transaction.atomic():
        application.publish()
        _log_change(request, application, "published")
        _notify_approvers(application)


def application_reopen(*, application: Application, request=None) -> None:
    with transaction.atomic():
        application.reopen()
        _log_change(request, application, "reopened")


def application_mark_sent(*, application: Application, on: date, request=None) -> None:
    with transaction.atomic():
        application.mark_sent(on=on)
        _log_change(request, application, "sent")


def _notify_approvers(application: Application) -> None:
    """Tell whoever may approve (applications.access.may_approve) that it awaits them; each publishing is a turn of its own."""
    student = application.student
    approvers = [user for user in family_recipients(student) if may_approve(roles_for(user, student), application)]
    notify(event=Event.APPLICATION_TO_APPROVE, recipients=approvers,
           key=f"application:{application.pk}:published:{timezone.now().isoformat()}",
           first_name=student.first_name, url=reverse("applications:application_read", args=[application.pk]))


def _notify_admins(application: Application, *, key: str) -> None:
    """An approval or an answer arrived: the IOP admins of the student's school act on it."""
    notify(event=Event.APPLICATION_ANSWERED, recipients=iop_admins_of(application.student.school), key=key,
           first_name=application.student.first_name,
           url=reverse("applications:application_detail", args=[application.pk]))


def _log_change(request, application: Application, detail: str, user=None) -> None:
    record(request, action="changed", object_type="application", object_id=application.pk,
           student=application.student, user=user, detail=detail)


# --- School batches ----------------------------------------------------------


def batch_create(*, school, authority, name: str, request=None) -> SchoolBatch:
    with transaction.atomic():
        batch = SchoolBatch.objects.create(school=school, authority=authority, name=name)
        record(request, action="created", object_type="school_batch", object_id=batch.pk, school=school, detail=name)
    return batch


def batch_candidates(*, batch: SchoolBatch):
    """Approved applications of the batch's school that are in no batch and not sent alone."""
    return Application.objects.filter(
        student__school=batch.school, status=Application.Status.APPROVED, batch__isnull=True, sent_on__isnull=True
    )


def batch_add(*, batch: SchoolBatch, application: Application, request=None) -> None:
    with transaction.atomic():
        locked_batch = SchoolBatch.objects.select_for_update().get(pk=batch.pk)
        _require_unsent(locked_batch)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not batch_candidates(batch=locked_batch).filter(pk=locked.pk).exists():
            raise Refused(_("Only an approved application that is in no other batch can be added."))
        locked.batch = locked_batch
        locked.save(update_fields=["batch", "changed_at"])
        record(request, action="changed", object_type="application", object_id=locked.pk,
               student=application.student, detail=f"added to batch {batch.pk}")


def batch_remove(*, batch: SchoolBatch, application: Application, request=None) -> None:
    with transaction.atomic():
        locked_batch = SchoolBatch.objects.select_for_update().get(pk=batch.pk)
        _require_unsent(locked_batch)
        updated = Application.objects.filter(pk=application.pk, batch=locked_batch).update(batch=None)
        if not updated:
            raise Refused(_("The application is not in this batch."))
        record(request, action="changed", object_type="application", object_id=application.pk,
               student=application.student, detail=f"removed from batch {batch.pk}")


def batch_send(*, batch: SchoolBatch, on: date, by, request=None) -> None:
    """Record the sent date: the batch locks and its applications go to under processing."""
    with transaction.atomic():
        locked_batch = SchoolBatch.objects.select_for_update().get(pk=batch.pk)
        _require_unsent(locked_batch)
        applications = list(locked_batch.applications.select_for_update(of=("self",)).select_related("student"))
        if not applications:
            raise Refused(_("Add at least one application before marking the batch as sent."))
        locked_batch.sent_on = on
        locked_batch.pdf_hash = ""  # the file is built once more, with the sent date, and then kept as sent
        locked_batch.save(update_fields=["sent_on", "pdf_hash"])
        for application in applications:
            application.status = Application.Status.UNDER_PROCESSING
            application.save(update_fields=["status", "changed_at"])
            record(request, action="changed", object_type="application", object_id=application.pk,
                   student=application.student, detail=f"sent in batch {batch.pk}")
        record(request, action="changed", object_type="school_batch", object_id=batch.pk, school=batch.school,
               detail="sent")


def _require_unsent(batch: SchoolBatch) -> None:
    if batch.is_sent:
        raise Refused(_("The batch has been sent and can no longer be changed."))


# --- Decisions ---------------------------------------------------------------


def decision_register(
    *, student: Student, school_year: SchoolYear, outcome: str, decided_on: date, reference: str,
    by, application: Application | None = None, subjects=(), request=None,
) -> Decision:
    """Register the authority's decision, on an application under processing or directly.

    `subjects` (for a decision without an application): (subject, extent, organisation) rows.
    A granted decision's subjects are what IOP part 1 transfers.
    """
    with transaction.atomic():
        # Lock the student: two people registering at once get one decision and a message.
        Student.objects.select_for_update().get(pk=student.pk)
        if Decision.objects.filter(student=student, school_year=school_year).exists():
            raise Refused(_("The student already has a decision for this school year."))
        if application is not None:
            locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
            if locked.status != Application.Status.UNDER_PROCESSING:
                raise Refused(_("A decision can be registered once the application has been sent."))
            locked.status = outcome
            locked.save(update_fields=["status", "changed_at"])
            subjects = [(s.subject, s.extent, s.organisation) for s in locked.subjects.select_related("subject")]
        decision = Decision.objects.create(
            student=student, school_year=school_year, application=application, outcome=outcome,
            decided_on=decided_on, reference=reference, registered_by=by,
        )
        DecidedSubject.objects.bulk_create(
            DecidedSubject(decision=decision, subject=subject, extent=extent, organisation=organisation)
            for subject, extent, organisation in subjects
        )
        record(request, action="created", object_type="decision", object_id=decision.pk, student=student,
               detail=outcome)
    return decision



def decision_correct(*, decision: Decision, outcome: str, decided_on: date, reference: str, reason: str, by,
                     request=None) -> None:
    """Correct a wrongly registered decision; the values before are kept and logged."""
    with transaction.atomic():
        correction = decision.correct(outcome=outcome, decided_on=decided_on, reference=reference, reason=reason,
                                      by=by)
        record(request, action="changed", object_type="decision", object_id=decision.pk, student=decision.student,
               detail=correction.log_detail())
