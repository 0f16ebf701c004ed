"""Restoring an earlier version of a text, and erasing a student's text history at retention."""

from django.db import transaction
from django.utils import timezone

from applications.models import Application, ApplicationSubject
from applications.services import application_editing
from audit.log import record
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject
from iop.services import locked_update, versioned_update

from .selectors import Version, latest_history_id
from .texts import Text, application_of


def text_restore(*, text: Text, instance, version: Version, expected: int, student, request) -> None:
    """Save `version`'s text as a new version, if nobody saved since the page was opened (else StaleEdit).

    A text with a version counter goes through the same versioned_update as an edit. A text its plain
    form saves (annex and subject rows, the application) is fresh when its newest history row is still
    the one the page showed (`expected`). Either way the restore is locked, logged ("changed") and kept
    in the history like any save; an application is changed only while it may be edited (Refused).
    """
    values = dict(version.values)
    if text.changed_by:
        values[text.changed_by] = request.user
    saved_at = timezone.localtime(version.saved_at).strftime("%Y-%m-%d %H:%M")
    detail = f"restored version of {saved_at}"
    if text.version_field:
        versioned_update(instance, version_field=text.version_field, expected=expected, student=student,
                         object_type=text.object_type, detail=detail, request=request, **values)
        return
    def save() -> None:
        locked_update(instance, is_fresh=lambda row: latest_history_id(row) == expected, request=request, **values)

    application = application_of(instance)
    if application is not None:
        with application_editing(application, request=request, detail=detail):
            save()
    else:
        with transaction.atomic():
            save()
            record(request, action="changed", object_type=text.object_type, object_id=instance.pk, student=student,
                   detail=detail)
    instance.refresh_from_db()


def erase_for_student(*, student_id: int, before=None) -> int:
    """Delete the history rows of a student's texts (saved before `before`, if given); returns how many.

    Called by records.services when a records officer's approved destruction erases the student's
    access log: who wrote what when is a trail of the same kind. Rows of deleted goals and entries
    count too: they are found through the history of their parents, not the live rows.
    """
    history = {model: model.history.model.objects for model in (Plan, PlanSubject, Goal, LogEntry, AnnexRow,
                                                                  Application, ApplicationSubject)}
    plan_ids = set(Plan.objects.filter(student_id=student_id).values_list("pk", flat=True))
    plan_ids |= set(history[Plan].filter(student_id=student_id).values_list("id", flat=True))
    subject_ids = set(PlanSubject.objects.filter(plan_id__in=plan_ids).values_list("pk", flat=True))
    subject_ids |= set(history[PlanSubject].filter(plan_id__in=plan_ids).values_list("id", flat=True))
    application_ids = set(Application.objects.filter(student_id=student_id).values_list("pk", flat=True))
    application_ids |= set(history[Application].filter(student_id=student_id).values_list("id", flat=True))
    rows = [
        history[Plan].filter(student_id=student_id),
        history[PlanSubject].filter(plan_id__in=plan_ids),
        history[Goal].filter(plan_subject_id__in=subject_ids),
        history[LogEntry].filter(plan_id__in=plan_ids),
        history[AnnexRow].filter(plan_id__in=plan_ids),
        history[Application].filter(student_id=student_id),
        history[ApplicationSubject].filter(application_id__in=application_ids),
    ]
    erased = 0
    with transaction.atomic():
        for queryset in rows:
            if before is not None:
                queryset = queryset.filter(history_date__lt=before)
            erased += queryset.delete()[0]
    return erased
