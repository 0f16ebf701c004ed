"""Part 2 of the IOP: per special-education subject, goal rows and the half-year/annual assessments.

Writes go through services.versioned_update with the version the form was
opened at, so two teachers saving the same text never silently overwrite
each other: the second gets 409 with their own text kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require
from audit.log import record

from ..access import get_plan_part_for
from ..forms import AssessmentForm, GoalForm
from ..models import Goal, PlanSubject, StaleEdit
from ..services import move, next_position, versioned_update

ASSESSMENT_KINDS = {"halvar": "half_year", "ar": "annual"}  # URL kind → field prefix on PlanSubject
DIRECTIONS = {"up": -1, "down": +1}


def _subject_for(request, pk, need="read_goals"):
    return get_plan_part_for(request, PlanSubject.objects.select_related("subject"), pk, need)


def _writable_subject(request, pk):
    """The subject, if the user writes it: the admin or the subject's (co-)teachers; else 404/403."""
    subject, plan, rights = _subject_for(request, pk, "see")
    require(rights.writes_subject(subject.subject_id), insider=True, object_type="plan_subject",
            object_id=subject.pk, student=plan.student)
    return subject, plan, rights


def _writable_goal(request, pk):
    goal, plan, rights = get_plan_part_for(request, Goal.objects.select_related("plan_subject__subject"), pk)
    subject = goal.plan_subject
    require(rights.writes_subject(subject.subject_id), insider=True, object_type="plan_subject",
            object_id=subject.pk, student=plan.student)
    return goal, subject, plan


def _draft_key(subject, part):
    return f"iop-fag-{subject.pk}-{part}"


def _detail_context(subject, plan, rights, goal_form=None):
    return {
        "subject": subject,
        "plan": plan,
        "rights": rights,
        "writes": rights.writes_subject(subject.subject_id),
        "goals": list(subject.goals.all()),
        "goal_form": goal_form or GoalForm(draft_key=_draft_key(subject, "new-goal")),
    }


@login_required
@require_GET
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the goals (§4): the subject's part 2; writers also get the edit controls."""
    subject, plan, rights = _subject_for(request, pk)
    record(request, action="viewed", object_type="plan_subject", object_id=subject.pk, student=plan.student)
    return render(request, "iop/part2/subject_detail.html", _detail_context(subject, plan, rights))


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: add a goal row at the end."""
    subject, plan, rights = _writable_subject(request, pk)
    form = GoalForm(request.POST, draft_key=_draft_key(subject, "new-goal"))
    if not form.is_valid():
        return render(request, "iop/part2/subject_detail.html", _detail_context(subject, plan, rights, form))
    goal = form.save(commit=False)
    goal.plan_subject = subject
    goal.position = next_position(subject.goals.all())
    goal.save()
    record(request, action="created", object_type="goal", object_id=goal.pk, student=plan.student,
           detail=str(subject.subject))
    messages.success(request, _("The goal was added."))
    return redirect("iop:subject_detail", pk=subject.pk)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: change a goal row unless someone else saved it meanwhile."""
    goal, subject, plan = _writable_goal(request, pk)
    form = GoalForm(request.POST or None, instance=goal,
                    draft_key=_draft_key(subject, f"goal-{goal.pk}"))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in GoalForm.Meta.fields}
        try:
            versioned_update(goal, version_field="version", expected=_expected(form), **values)
        except StaleEdit:
            return _goal_conflict(request, goal, subject, plan)
        record(request, action="changed", object_type="goal", object_id=goal.pk, student=plan.student,
               detail=str(subject.subject))
        messages.success(request, _("The goal was saved."))
        return redirect("iop:subject_detail", pk=subject.pk)
    return render(request, "iop/part2/goal_edit.html", {"goal": goal, "subject": subject, "plan": plan, "form": form})


def _expected(form) -> int:
    version = form.cleaned_data["version"]
    return -1 if version is None else version  # no version: cannot prove the form is fresh


def _goal_conflict(request, goal, subject, plan):
    goal.refresh_from_db()
    data = request.POST.copy()
    data["version"] = goal.version  # saving again after merging overwrites knowingly
    form = GoalForm(data, instance=goal, draft_key=_draft_key(subject, f"goal-{goal.pk}"))
    context = {"goal": goal, "subject": subject, "plan": plan, "form": form, "current": goal, "conflict": True}
    return render(request, "iop/part2/goal_edit.html", context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: confirm (GET) and delete (POST) a goal row."""
    goal, subject, plan = _writable_goal(request, pk)
    if request.method == "GET":
        return render(request, "iop/part2/goal_delete.html", {"goal": goal, "subject": subject, "plan": plan})
    goal_pk = goal.pk
    goal.delete()
    record(request, action="deleted", object_type="goal", object_id=goal_pk, student=plan.student,
           detail=str(subject.subject))
    messages.success(request, _("The goal was deleted."))
    return redirect("iop:subject_detail", pk=subject.pk)


@login_required
@require_POST
def goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: move a goal row one place up or down."""
    goal, subject, plan = _writable_goal(request, pk)
    direction = DIRECTIONS.get(request.POST.get("direction"))
    if direction is None:
        messages.error(request, _("Unknown direction."))
        return redirect("iop:subject_detail", pk=subject.pk)
    move(goal, direction=direction)
    record(request, action="changed", object_type="goal", object_id=goal.pk, student=plan.student,
           detail=f"moved {request.POST['direction']}")
    return redirect(f"{reverse('iop:subject_detail', args=[subject.pk])}#goal-{goal.pk}")


@login_required
@require_POST
def goals_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: set or clear the goals' "done" mark."""
    subject, plan, _rights = _writable_subject(request, pk)
    done = request.POST.get("done") == "1"
    # A plain update of the flag alone: it never touches anyone's text.
    PlanSubject.objects.filter(pk=subject.pk).update(goals_done=done)
    record(request, action="changed", object_type="goal", object_id="", student=plan.student,
           detail=f"{subject.subject}: goals done={done}")
    messages.success(request, _("The goals are marked as done.") if done else _("The goals are marked as not done."))
    return redirect("iop:subject_detail", pk=subject.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The admin or the subject's teachers: write the half-year or annual assessment."""
    prefix = ASSESSMENT_KINDS.get(kind)
    if prefix is None:
        raise Http404
    subject, plan, _rights = _writable_subject(request, pk)
    form = AssessmentForm(request.POST or None, initial=_assessment_values(subject, prefix),
                          draft_key=_draft_key(subject, prefix))
    if request.method == "POST" and form.is_valid():
        values = {f"{prefix}_{name}": form.cleaned_data[name] for name in ("development", "opportunities", "done")}
        try:
            versioned_update(subject, version_field=f"{prefix}_version", expected=form.cleaned_data["version"],
                             **values)
        except StaleEdit:
            return _assessment_conflict(request, subject, plan, kind, prefix)
        record(request, action="changed", object_type="assessment", object_id=subject.pk, student=plan.student,
               detail=f"{subject.subject}: {prefix}")
        messages.success(request, _("The assessment was saved."))
        return redirect("iop:subject_detail", pk=subject.pk)
    context = {"subject": subject, "plan": plan, "kind": kind, "prefix": prefix, "form": form}
    return render(request, "iop/part2/assessment_edit.html", context)


def _assessment_values(subject, prefix) -> dict:
    return {
        "development": getattr(subject, f"{prefix}_development"),
        "opportunities": getattr(subject, f"{prefix}_opportunities"),
        "done": getattr(subject, f"{prefix}_done"),
        "version": getattr(subject, f"{prefix}_version"),
    }


def _assessment_conflict(request, subject, plan, kind, prefix):
    subject.refresh_from_db()
    current = _assessment_values(subject, prefix)
    data = request.POST.copy()
    data["version"] = current["version"]  # saving again after merging overwrites knowingly
    form = AssessmentForm(data, draft_key=_draft_key(subject, prefix))
    context = {"subject": subject, "plan": plan, "kind": kind, "prefix": prefix, "form": form,
               "conflict": True, "current": current}
    return render(request, "iop/part2/assessment_edit.html", context, status=409)
