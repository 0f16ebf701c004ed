"""Creating an IOP, moving it between publication stages, and saving text without lost work."""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import SchoolYear, Student
from applications.models import Decision, IllegalTransition
from audit.log import record

from .models import Plan, PlanSubject, StaleEdit


def plan_create(*, student: Student, school_year: SchoolYear, by, request=None) -> Plan:
    """Create the IOP (part 1) for the year; it starts as a draft only IOP admins see."""
    with transaction.atomic():
        Student.objects.select_for_update().get(pk=student.pk)  # two clicks make one IOP
        if Plan.objects.filter(student=student, school_year=school_year).exists():
            raise IllegalTransition(_("The student already has an IOP this school year."))
        decision = Decision.objects.filter(
            student=student, school_year=school_year, outcome=Decision.Outcome.GRANTED
        ).first()
        plan = Plan.objects.create(student=student, school_year=school_year, decision=decision, created_by=by)
        _copy_decided_subjects(plan)  # one click less: the decision already names them
        record(request, action="created", object_type="iop", object_id=plan.pk, student=student)
    return plan


def subjects_to_transfer(plan: Plan) -> list[tuple]:
    """(subject, extent, organisation) from the granted decision (its application's subjects)."""
    if plan.decision is None:
        return []
    return [(s.subject, s.extent, s.organisation) for s in plan.decision.subjects.select_related("subject")]


def plan_transfer_subjects(*, plan: Plan, request=None) -> int:
    """Fill 'special education this school year' from the decision, only while it is empty."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.subjects.exists():
            raise IllegalTransition(_("The plan already has subjects; change them here instead."))
        count = _copy_decided_subjects(locked)
        record(request, action="changed", object_type="iop", object_id=plan.pk, student=plan.student,
               detail="subjects transferred from the decision")
    return count


def _copy_decided_subjects(plan: Plan) -> int:
    rows = subjects_to_transfer(plan)
    PlanSubject.objects.bulk_create(
        PlanSubject(plan=plan, subject=subject, extent=extent, organisation=organisation, position=i)
        for i, (subject, extent, organisation) in enumerate(rows)
    )
    return len(rows)


def plan_set_stage(*, plan: Plan, stage: int, request=None) -> None:
    """Jump to any publication stage, forward or back; every change is logged."""
    if stage not in Plan.Stage.values:
        raise IllegalTransition(_("Unknown publication stage."))
    with transaction.atomic():
        old = Plan.objects.select_for_update().values_list("stage", flat=True).get(pk=plan.pk)
        Plan.objects.filter(pk=plan.pk).update(stage=stage)
        record(request, action="changed", object_type="iop", object_id=plan.pk, student=plan.student,
               detail=f"stage {old} → {stage}")
    plan.stage = stage


def versioned_update(instance, *, version_field: str, expected: int, **values) -> None:
    """Save `values` only if nobody saved since the form was opened (optimistic locking).

    Two teachers editing the same goals or assessment: the second save raises
    StaleEdit instead of silently overwriting the first; the view keeps what
    they typed so they can merge it.
    """
    model = type(instance)
    if any(f.name == "changed_at" for f in model._meta.get_fields()):
        values.setdefault("changed_at", timezone.now())  # update() skips auto_now; drafts.js reads it
    updated = model.objects.filter(pk=instance.pk, **{version_field: expected}).update(
        **values, **{version_field: F(version_field) + 1}
    )
    if not updated:
        raise StaleEdit
    instance.refresh_from_db()


def next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def move(item, *, direction: int) -> None:
    """Swap `item` with its neighbour in `position` order (direction -1 up, +1 down)."""
    siblings = list(type(item).objects.filter(**{item.ORDER_PARENT: getattr(item, item.ORDER_PARENT)}))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            type(item).objects.filter(pk=sibling.pk).update(position=position)
