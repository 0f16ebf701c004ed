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
from curriculum.models import current_language
from curriculum.selectors import bank_search, published_goal

from .. import services
from ..access import get_plan_part_for
from ..deadlines import settings_for
from ..forms import GOAL_TEXTS, AssessmentForm, GoalForm, direction_from
from ..models import Goal, PlanSubject, StaleEdit
from .stale import stale_edit_response

ASSESSMENT_KINDS = {"halvar": "half_year", "ar": "annual"}  # URL kind → field prefix on PlanSubject


def _subject_for(request, pk, need="read_goals"):
    return get_plan_part_for(request, PlanSubject.objects.select_related("subject", "plan__student"), pk, need)


def _writable_subject(request, pk):
    """The subject, if the user writes it: the admin or the subject's (co-)teachers; else 404/403."""
    subject, plan, rights = _subject_for(request, pk, "see")
    require(rights.writes_subject(subject.subject_id), insider=True, object_type="plan_subject",
            object_id=subject.pk, student=plan.student)
    return subject, plan, rights


def _writable_goal(request, pk):
    goals = Goal.objects.select_related("plan_subject__subject", "plan_subject__plan__student")
    goal, plan, rights = get_plan_part_for(request, goals, pk)
    subject = goal.plan_subject
    require(rights.writes_subject(subject.subject_id), insider=True, object_type="plan_subject",
            object_id=subject.pk, student=plan.student)
    return goal, subject, plan


def _draft_key(subject, part):
    return f"iop-fag-{subject.pk}-{part}"


def _detail_context(subject, plan, rights, goal_form=None, bank_params=None):
    writes = rights.writes_subject(subject.subject_id)
    goals = list(subject.goals.all())
    return {
        "subject": subject,
        "plan": plan,
        "rights": rights,
        "writes": writes,
        "goals": goals,
        "goal_form": goal_form or GoalForm(draft_key=_draft_key(subject, "new-goal")),
        # The goal-bank search (curriculum/) for writers, at the subject's curriculum and its last bank goal's level.
        "bank": bank_search(bank_params or {}, language=current_language(), subject_code=subject.subject.code,
                            last_code=next((goal.grep_code for goal in reversed(goals) if goal.grep_code), ""))
        if writes else None,
    }


def _goal_form_from_bank(request, subject) -> GoalForm:
    """The add-goal form, filled with a goal of the goal bank when the page is opened with ?kode=KM…"""
    code = request.GET.get("kode", "")
    goal = published_goal(code[:40])
    if code and goal is None:
        messages.error(request, _("This code is not a competence goal in the goal bank."))
    initial = {"competence_goal": goal.title, "grep_code": goal.code} if goal else {}
    return GoalForm(initial=initial, draft_key=_draft_key(subject, "new-goal"))


@login_required
@require_GET
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the goals (§4): the subject's part 2; writers also get the edit controls."""
    subject, plan, rights = _subject_for(request, pk)
    goal_form = _goal_form_from_bank(request, subject) if rights.writes_subject(subject.subject_id) else None
    context = _detail_context(subject, plan, rights, goal_form, request.GET)
    return render(request, "iop/part2/subject_detail.html", context)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: add a goal row at the end."""
    subject, plan, rights = _writable_subject(request, pk)
    form = GoalForm(request.POST, draft_key=_draft_key(subject, "new-goal"))
    if not form.is_valid():
        return render(request, "iop/part2/subject_detail.html", _detail_context(subject, plan, rights, form))
    services.goal_create(subject=subject, goal=form.save(commit=False), request=request)
    messages.success(request, _("The goal was added."))
    return redirect("iop:subject_detail", pk=subject.pk)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: change a goal row unless someone else saved it meanwhile."""
    goal, subject, plan = _writable_goal(request, pk)
    draft_key = _draft_key(subject, f"goal-{goal.pk}")
    form = GoalForm(request.POST or None, instance=goal, draft_key=draft_key)
    context = {"goal": goal, "subject": subject, "plan": plan, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.versioned_update(
                goal, version_field="version", expected=form.cleaned_data["version"], student=plan.student,
                object_type="goal", detail=str(subject.subject), request=request,
                **form.values(),
            )
        except StaleEdit:
            return stale_edit_response(
                request, instance=goal, fields=GOAL_TEXTS, version_field="version",
                template="iop/part2/goal_edit.html", context=context,
                form_for=lambda data: GoalForm(data, instance=goal, draft_key=draft_key),
            )
        messages.success(request, _("The goal was saved."))
        return redirect("iop:subject_detail", pk=subject.pk)
    return render(request, "iop/part2/goal_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: confirm (GET) and delete (POST) a goal row."""
    goal, subject, plan = _writable_goal(request, pk)
    if request.method == "GET":
        return render(request, "iop/part2/goal_delete.html", {"goal": goal, "subject": subject, "plan": plan})
    services.row_delete(goal, student=plan.student, object_type="goal", detail=str(subject.subject), request=request)
    messages.success(request, _("The goal was deleted."))
    return redirect("iop:subject_detail", pk=subject.pk)


@login_required
@require_POST
def goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: move a goal row one place up or down."""
    goal, subject, plan = _writable_goal(request, pk)
    direction = direction_from(request.POST)
    if direction is None:
        messages.error(request, _("Choose up or down."))
        return redirect("iop:subject_detail", pk=subject.pk)
    services.row_move(goal, direction=direction, student=plan.student, object_type="goal", request=request)
    return redirect(f"{reverse('iop:subject_detail', args=[subject.pk])}#goal-{goal.pk}")


@login_required
@require_POST
def goals_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin or the subject's teachers: set or clear the goals' "done" mark."""
    subject, plan, _rights = _writable_subject(request, pk)
    done = request.POST.get("done") == "1"
    services.goals_mark_done(subject=subject, done=done, request=request)
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
    draft_key = _draft_key(subject, prefix)
    goals = list(subject.goals.all())
    scale = settings_for(plan.student.school).scale()
    form = AssessmentForm(request.POST or None, initial=_assessment_values(subject, prefix, goals), draft_key=draft_key,
                          goals=goals, scale=scale)
    context = {"subject": subject, "plan": plan, "kind": kind, "prefix": prefix, "form": form}
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("development", "opportunities", "done")}
        try:
            services.assessment_save(subject=subject, kind=prefix, expected=form.cleaned_data["version"],
                                     values=values, progress=form.progress(), request=request)
        except StaleEdit:
            return stale_edit_response(
                request, instance=subject, fields=[f"{prefix}_development", f"{prefix}_opportunities"],
                version_field=f"{prefix}_version", template="iop/part2/assessment_edit.html", context=context,
                form_for=lambda data: AssessmentForm(data, draft_key=draft_key, goals=goals, scale=scale),
            )
        messages.success(request, _("The assessment was saved."))
        return redirect("iop:subject_detail", pk=subject.pk)
    return render(request, "iop/part2/assessment_edit.html", context)


def _assessment_values(subject, prefix, goals) -> dict:
    return {
        "development": getattr(subject, f"{prefix}_development"),
        "opportunities": getattr(subject, f"{prefix}_opportunities"),
        "done": getattr(subject, f"{prefix}_done"),
        "version": getattr(subject, f"{prefix}_version"),
        **{AssessmentForm.progress_key(goal): getattr(goal, f"progress_{prefix}") for goal in goals},
    }
