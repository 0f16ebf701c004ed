"""Who sees a text's versions and restores one: only those who may write the text (docs/architecture.md §4).

Each text's writer rule lives in its own app (iop.access.Rights, applications.access MANAGE); this
module only asks it. Outsiders get 404, insiders who may only read get 403, and a granted page is a
read of the record, logged like any other.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import grant_read, require
from applications.access import MANAGE, get_application_for
from applications.models import Application, ApplicationSubject
from iop.access import UNLOCKED_PLANS, rights_for
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject

from .texts import TEXTS, Text


def get_text_for(request, kind: str, pk) -> tuple[Text, object, object]:
    """The text `kind` of object `pk`, its object and the student, if the user may write it; logs the read."""
    text = TEXTS.get(kind)
    if text is None:
        raise Http404
    if text.model is Application:
        application = get_application_for(request, pk, MANAGE)
        return text, application, application.student
    if text.model is ApplicationSubject:  # the application's rule decides; a forged row id hides like it
        row = get_object_or_404(ApplicationSubject.objects.select_related("subject"), pk=pk)
        application = get_application_for(request, row.application_id, MANAGE)
        return text, row, application.student
    instance = get_object_or_404(_IOP_QUERYSETS[text.model], pk=pk)
    plan = _plan_of(instance)
    unlocked = plan.pk in getattr(request, "session", {}).get(UNLOCKED_PLANS, [])
    rights = rights_for(request.user, plan, unlocked=unlocked)
    what = {"object_type": text.object_type, "object_id": instance.pk, "student": plan.student}
    require(_WRITES[text.kind](rights, instance), insider=rights.see, **what)
    grant_read(request, **what)
    return text, instance, plan.student


_IOP_QUERYSETS = {
    Plan: Plan.objects.select_related("student__school", "school_year"),
    PlanSubject: PlanSubject.objects.select_related("subject", "plan__student__school", "plan__school_year"),
    Goal: Goal.objects.select_related("plan_subject__subject", "plan_subject__plan__student__school",
                                      "plan_subject__plan__school_year"),
    LogEntry: LogEntry.objects.select_related("plan__student__school", "plan__school_year"),
    AnnexRow: AnnexRow.objects.select_related("plan__student__school", "plan__school_year"),
}


def _plan_of(instance) -> Plan:
    if isinstance(instance, Plan):
        return instance
    if isinstance(instance, Goal):
        return instance.plan_subject.plan
    return instance.plan


# Who writes each IOP text (docs/architecture.md §4); the rules themselves are iop.access.Rights'.
_WRITES = {
    "del1": lambda rights, plan: rights.write_plan,
    "arsrapport": lambda rights, plan: rights.write_plan,
    "fag": lambda rights, subject: rights.write_plan,  # the subject rows of part 1: the admin's page
    "vedlegg": lambda rights, row: rights.write_plan,
    "halvar": lambda rights, subject: rights.writes_subject(subject.subject_id),
    "ar": lambda rights, subject: rights.writes_subject(subject.subject_id),
    "mal": lambda rights, goal: rights.writes_subject(goal.plan_subject.subject_id),
    "logg": lambda rights, entry: rights.edits_log_entry(entry),
}
