"""Every change to an IOP: creating it, its stage, texts saved without lost work, goal and annex rows, the log.

Each function writes its access-log event in the same transaction as the change
(views never log; reads are logged by iop.access).
"""

from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import teachers_of
from accounts.exceptions import Refused
from accounts.models import SchoolYear, Student
from applications.models import Decision
from audit.log import record
from documents.access import family_recipients
from notices.models import Event
from notices.services import notify

from .access import UNLOCKED_PLANS
from .forms import PART1_TEXTS
from .selectors import finishing_years
from .models import (AnnexRow, Goal, LogEntry, Plan, PlanSubject, SchoolSettings, SchoolYearDeadlines,
                     StaleEdit)


def plan_create(*, student: Student, school_year: SchoolYear, by, request=None, copy_from: Plan | None = None,
                sections: frozenset[str] = frozenset()) -> Plan:
    """Create the IOP (part 1) for the year; it starts as a draft only IOP admins see.

    With `copy_from` (an earlier plan of the student), the chosen `sections` of it are copied
    in the same transaction: COPY_PART1, COPY_SUBJECTS, COPY_GOALS (those not reached).
    """
    with transaction.atomic():
        Student.objects.select_for_update().get(pk=student.pk)  # two clicks make one IOP
        if Plan.objects.filter(student=student, school_year=school_year).exists():
            raise Refused(_("The student already has an IOP this school year."))
        decision = Decision.objects.filter(
            student=student, school_year=school_year, outcome=Decision.Outcome.GRANTED
        ).first()
        plan = Plan.objects.create(student=student, school_year=school_year, decision=decision, created_by=by)
        _copy_decided_subjects(plan)  # one click less: the decision already names them
        detail = _copy_plan(plan, copy_from, sections) if copy_from else ""
        record(request, action="created", object_type="iop", object_id=plan.pk, student=student, detail=detail)
    return plan


COPY_PART1, COPY_SUBJECTS, COPY_GOALS = "part1", "subjects", "goals"
# What the part-1 summary shows; whether the year builds on Vg2/Vg3 goals is decided anew each year.
PART1_COPIED = [*PART1_TEXTS, "goal_kind", "part_of_individual_plan"]


def goals_to_carry(plan: Plan):
    """The plan's goals not marked reached, by subject and order: what a new year's IOP takes over."""
    return Goal.objects.filter(plan_subject__plan=plan, reached=False).select_related(
        "plan_subject__subject").order_by("plan_subject__position", "plan_subject_id", "position", "pk")


def _copy_plan(plan: Plan, source: Plan, sections: frozenset[str]) -> str:
    """Copy the chosen sections of `source` into the new `plan`; returns what was copied, for the log."""
    if source.student_id != plan.student_id or source.school_year.start_year >= plan.school_year.start_year:
        raise Refused(_("Only an IOP of the same student from an earlier school year can be copied."))
    copied = []
    if COPY_PART1 in sections:
        for name in PART1_COPIED:
            setattr(plan, name, getattr(source, name))
        plan.save(update_fields=PART1_COPIED)  # save(), not update(): the copy is the text's first version
        copied.append("part 1")
    if COPY_SUBJECTS in sections:
        rows = _copy_subjects(plan, source)
        copied.append(f"{source.subjects.count()} subjects")
        if COPY_GOALS in sections:
            copied.append(f"{_copy_goals(rows, source)} goals not reached")
    return f"copied from IOP {source.pk} ({source.school_year}): {', '.join(copied) or 'nothing'}"


def _copy_subjects(plan: Plan, source: Plan) -> dict[int, PlanSubject]:
    """Last year's subjects, by subject id. A subject this year's decision names keeps the decision's
    extent and organisation; it only takes last year's content."""
    rows = {row.subject_id: row for row in plan.subjects.all()}
    for old in source.subjects.all():
        row = rows.get(old.subject_id)
        if row is None:
            rows[old.subject_id] = PlanSubject.objects.create(
                plan=plan, subject_id=old.subject_id, position=len(rows), content=old.content, extent=old.extent,
                organisation=old.organisation,
            )
        elif not row.content:
            row.content = old.content
            row.save(update_fields=["content"])
    return rows


def _copy_goals(rows: dict[int, PlanSubject], source: Plan) -> int:
    goals = bulk_create_with_history([
        Goal(plan_subject=rows[old.plan_subject.subject_id], position=old.position,
             competence_goal=old.competence_goal, learning_goal=old.learning_goal, content=old.content)
        for old in goals_to_carry(source) if old.plan_subject.subject_id in rows
    ], Goal)
    return len(goals)


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
            raise Refused(_("The plan already has subjects; change them here instead."))
        count = _copy_decided_subjects(locked)
        record(request, action="changed", object_type="iop", object_id=plan.pk, student=plan.student,
               detail="subjects transferred from the decision")
    return count


def _copy_decided_subjects(plan: Plan) -> int:
    rows = subjects_to_transfer(plan)
    bulk_create_with_history([
        PlanSubject(plan=plan, subject=subject, extent=extent, organisation=organisation, position=i)
        for i, (subject, extent, organisation) in enumerate(rows)
    ], PlanSubject)
    return len(rows)


def plan_set_stage(*, plan: Plan, stage: int, request=None) -> None:
    """Jump to any publication stage, forward or back; every change is logged."""
    if stage not in Plan.Stage.values:
        raise Refused(_("Unknown publication stage."))
    with transaction.atomic():
        old = Plan.objects.select_for_update().values_list("stage", flat=True).get(pk=plan.pk)
        Plan.objects.filter(pk=plan.pk).update(stage=stage)
        record(request, action="changed", object_type="iop", object_id=plan.pk, student=plan.student,
               detail=f"stage {old} → {stage}")
        _notify_stage_reached(plan, old=old, new=stage)
    plan.stage = stage


def _notify_stage_reached(plan: Plan, *, old: int, new: int) -> None:
    """Tell those a forward move publishes to. Keyed by the stage, so going back and forward again tells no one twice."""
    student = plan.student
    told = {"first_name": student.first_name, "url": reverse("iop:plan_detail", args=[plan.pk])}
    if old < Plan.Stage.TEACHERS <= new:
        notify(event=Event.PLAN_PUBLISHED_TO_TEACHERS, recipients=teachers_of(student),
               key=f"plan:{plan.pk}:stage:{Plan.Stage.TEACHERS}", **told)
    if old >= new or new < Plan.Stage.STUDENT_AND_GUARDIANS:
        return
    # The family as issue 18 names it: the guardians of a minor, the student once 18 (not a minor's own login).
    family = [user for user in family_recipients(student) if student.is_adult() or user.pk != student.user_id]
    if old < Plan.Stage.STUDENT_AND_GUARDIANS:
        notify(event=Event.PLAN_PUBLISHED_TO_FAMILY, recipients=family,
               key=f"plan:{plan.pk}:stage:{Plan.Stage.STUDENT_AND_GUARDIANS}", **told)
    if new >= Plan.Stage.HALF_YEAR:
        notify(event=Event.REPORT_PUBLISHED_TO_FAMILY, recipients=family, key=f"plan:{plan.pk}:stage:{new}", **told)


def versioned_update(instance, *, version_field: str, expected: int | None, student, object_type: str,
                     detail: str = "", request=None, **values) -> None:
    """Save `values` only if nobody saved since the form was opened (optimistic locking), and log it.

    Two teachers editing the same goals or assessment: the second save raises
    StaleEdit instead of silently overwriting the first; the view keeps what
    they typed so they can merge it. No version means the form cannot prove it is fresh.
    """
    with transaction.atomic():
        locked_update(instance, is_fresh=lambda row: expected is not None and getattr(row, version_field) == expected,
                      request=request, **values, **{version_field: (expected or 0) + 1})
        record(request, action="changed", object_type=object_type, object_id=instance.pk, student=student,
               detail=detail)
    instance.refresh_from_db()


def locked_update(instance, *, is_fresh, request=None, **values) -> None:
    """Under the row's lock (call inside a transaction): save `values` if `is_fresh(row)`, else StaleEdit.

    save(), not QuerySet.update(): the text's history (history/) is written on save, with the user.
    """
    model = type(instance)
    stamped = [f.name for f in model._meta.concrete_fields if f.name == "changed_at"]  # auto_now; drafts.js reads it
    locked = model.objects.select_for_update().filter(pk=instance.pk).first()
    if locked is None or not is_fresh(locked):
        raise StaleEdit
    for name, value in values.items():
        setattr(locked, name, value)
    if request is not None and request.user.is_authenticated:
        locked._history_user = request.user  # without the history middleware too (tests, services)
    locked.save(update_fields=[*values, *stamped])


def plan_subjects_save(*, plan: Plan, formset, request=None) -> None:
    """Save the special-education subjects as the formset has them (removed rows lose their part 2)."""
    with transaction.atomic():
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row in rows:
            if row.pk is None:
                row.position = next_position(plan.subjects.all())
            row.save()
        record(request, action="changed", object_type="iop", object_id=plan.pk, student=plan.student,
               detail="special-education subjects")


def log_entry_create(*, plan: Plan, text: str, by, request=None) -> LogEntry:
    with transaction.atomic():
        entry = LogEntry.objects.create(plan=plan, text=text, created_by=by, changed_by=by)
        record(request, action="created", object_type="iop_log", object_id=entry.pk, student=plan.student)
    return entry


def goal_create(*, subject: PlanSubject, goal: Goal, request=None) -> None:
    """Add an unsaved goal row (from the form) at the end of the subject's goals."""
    with transaction.atomic():
        goal.plan_subject = subject
        goal.position = next_position(subject.goals.all())
        goal.save()
        record(request, action="created", object_type="goal", object_id=goal.pk, student=subject.plan.student,
               detail=str(subject.subject))


def goals_mark_done(*, subject: PlanSubject, done: bool, request=None) -> None:
    with transaction.atomic():
        # A plain update of the flag alone: it never touches anyone's text.
        PlanSubject.objects.filter(pk=subject.pk).update(goals_done=done)
        record(request, action="changed", object_type="goal", student=subject.plan.student,
               detail=f"{subject.subject}: goals done={done}")


def annex_row_create(*, plan: Plan, row: AnnexRow, request=None) -> None:
    """Add an unsaved annex row (from the form) at the end of the annex."""
    with transaction.atomic():
        row.plan = plan
        row.position = next_position(plan.annex_rows.all())
        row.save()
        record(request, action="changed", object_type="iop_annex", object_id=row.pk, student=plan.student,
               detail="row added")


def notation_choices_save(*, plan: Plan, grades: dict[int, bool], request=None) -> None:
    """Save the notation helper's choice per special-education subject (plan subject id → has a grade)."""
    with transaction.atomic():
        for has_grade in (True, False):
            ids = [pk for pk, grade in grades.items() if grade is has_grade]
            plan.subjects.filter(pk__in=ids).update(certificate_grade=has_grade)
        record(request, action="changed", object_type="iop_annex", object_id=plan.pk, student=plan.student,
               detail="certificate notation")


def annex_rows_from_goals(*, plan: Plan, goals, extent: int, request=None) -> int:
    """One annex row per subject of the chosen reached goals, naming them; the year is the subject's finishing year."""
    by_subject: dict = {}
    for goal in goals:
        by_subject.setdefault(goal.plan_subject, []).append(goal)
    years = finishing_years(plan, list(by_subject))
    with transaction.atomic():
        for subject, chosen in by_subject.items():
            row = AnnexRow(extent=extent, subject_topic=str(subject.subject)[:200], year=str(years[subject.pk]),
                           assessment="\n".join(f"– {goal.summary}" for goal in chosen))
            annex_row_create(plan=plan, row=row, request=request)
    return len(by_subject)


def annex_row_update(*, row: AnnexRow, form, request=None) -> None:
    with transaction.atomic():
        form.save()
        record(request, action="changed", object_type="iop_annex", object_id=row.pk, student=row.plan.student,
               detail="row changed")


def row_delete(row, *, student, object_type: str, detail: str = "", request=None) -> None:
    """Delete a goal or annex row."""
    pk = row.pk
    with transaction.atomic():
        row.delete()
        record(request, action="deleted", object_type=object_type, object_id=pk, student=student, detail=detail)


def next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def row_move(item, *, direction: int, student, object_type: str, request=None) -> None:
    """Swap a goal or annex row with its neighbour in `position` order (direction -1 up, +1 down)."""
    siblings = list(type(item).objects.filter(**{item.ORDER_PARENT: getattr(item, item.ORDER_PARENT)}))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            type(item).objects.filter(pk=sibling.pk).update(position=position)
        record(request, action="changed", object_type=object_type, object_id=item.pk, student=student,
               detail="moved up" if direction < 0 else "moved down")


def plan_unlock_earlier_year(*, plan: Plan, request) -> None:
    """The IOP admin confirms changing the plan of an earlier school year, for the rest of this login session."""
    unlocked = request.session.get(UNLOCKED_PLANS, [])
    if plan.pk not in unlocked:
        request.session[UNLOCKED_PLANS] = [*unlocked, plan.pk]
        record(request, action="granted", object_type="iop", object_id=plan.pk, student=plan.student,
               detail="earlier school year opened for changes")


def school_settings_save(*, school, school_year: SchoolYear, settings: dict, dates: dict, request=None) -> None:
    """Save a school's IOP settings and its due dates for the school year (the forms' cleaned values)."""
    with transaction.atomic():
        SchoolSettings.objects.update_or_create(school=school, defaults=settings)
        SchoolYearDeadlines.objects.update_or_create(school=school, school_year=school_year, defaults=dates)
        record(request, action="changed", object_type="iop_settings", object_id=school.pk, school=school,
               detail=str(school_year))


def assessment_save(*, subject: PlanSubject, kind: str, expected: int | None, values: dict,
                    progress: dict[int, int | None], request=None) -> None:
    """Save a half-year or annual assessment (`kind`) with each goal's progress, all or nothing.

    The texts go through versioned_update (a stale form saves nothing, the progress neither);
    the progress is a plain value per goal, so it leaves the goal texts' versions alone.
    """
    with transaction.atomic():
        versioned_update(subject, version_field=f"{kind}_version", expected=expected, student=subject.plan.student,
                         object_type="assessment", detail=f"{subject.subject}: {kind}", request=request,
                         **{f"{kind}_{name}": value for name, value in values.items()})
        goals = list(Goal.objects.filter(plan_subject=subject, pk__in=progress))
        for goal in goals:
            setattr(goal, f"progress_{kind}", progress[goal.pk])
        Goal.objects.bulk_update(goals, [f"progress_{kind}"])
