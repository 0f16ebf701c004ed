"""The student's IOP page: creating it, part 1, its subjects, the publication stage and the log."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Role, deny, get_student_for_admin
from accounts.feedback import attempt
from accounts.models import SchoolYear
from applications.access import decisions_administered_by
from applications.models import Decision
from documents.access import count_for_iop_admin

from .. import services
from ..access import (
    get_earlier_plan_for, get_plan_for, get_plan_part_for, get_student_for_new_plan, may_create_plan, plans_visible_to,
    rights_for, rights_for_earlier,
)
from ..deadlines import settings_for
from ..forms import (
    PART1_TEXTS, LogEntryEditForm, LogEntryForm, Part1Form, PlanCopyForm, StageForm, SwitchForm, plan_subject_formset,
)
from ..models import LogEntry, Plan, StaleEdit
from ..progress import subject_progress
from ..selectors import reached_goals
from .stale import stale_edit_response


@login_required
@require_GET
def student_plan(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Anyone who may see the student's IOP this year: go there; the admin: create it."""
    year = SchoolYear.objects.current()
    plan = _this_years_plan(request.user, student_pk, year)
    if plan is not None:
        return redirect("iop:plan_detail", pk=plan.pk)
    student = get_student_for_admin(request, student_pk)
    decision = decisions_administered_by(request.user).filter(
        student=student, school_year=year, outcome=Decision.Outcome.GRANTED
    ).first()
    earlier_plans = _earlier_plans(request.user, student, _start_year(year))
    return render(request, "iop/plan/plan_missing.html", {"student": student, "school_year": year, "decision": decision,
                                                          "may_create": may_create_plan(student),
                                                          "earlier_plans": earlier_plans})


def _this_years_plan(user, student_pk: int, year: SchoolYear | None) -> Plan | None:
    return plans_visible_to(user).filter(student_id=student_pk, school_year=year).first()


def _start_year(year: SchoolYear | None) -> int:
    """The school year's first calendar year, also before its row exists (a GET creates none)."""
    return year.start_year if year else SchoolYear.start_year_of(timezone.localdate())


def _earlier_plans(user, student, before: int) -> list[Plan]:
    """The student's IOPs of school years before `before` that the user may see, newest first, each with the
    user's rights on it (its stage decides the PDFs)."""
    plans = list(
        plans_visible_to(user).filter(student=student, school_year__start_year__lt=before)
        .select_related("school_year").order_by("-school_year__start_year")
    )
    for plan in plans:
        plan.student = student
        plan.rights = rights_for(user, plan)
    return plans


@login_required
@require_POST
def plan_create(request: HttpRequest, student_pk: int) -> HttpResponse:
    """IOP admin of the student's school: create IOP part 1 for the current school year."""
    student = get_student_for_new_plan(request, student_pk)
    year = SchoolYear.objects.current(create=True)
    attempt(request, lambda: services.plan_create(student=student, school_year=year, by=request.user, request=request),
            _("IOP part 1 was created. Only IOP admins see it until you publish it."))
    return redirect("iop:student_plan", student_pk=student.pk)  # on to the new IOP, or back with the refusal


@login_required
@require_http_methods(["GET", "POST"])
def plan_copy(request: HttpRequest, student_pk: int, pk: int) -> HttpResponse:
    """IOP admin of the student's school: preview an earlier IOP, then create this year's from the chosen parts."""
    student = get_student_for_new_plan(request, student_pk)
    source = get_earlier_plan_for(request, student, pk)
    if request.method == "GET" and _this_years_plan(request.user, student.pk, SchoolYear.objects.current()):
        return redirect("iop:student_plan", student_pk=student.pk)
    form = PlanCopyForm(request.POST if request.method == "POST" else None)  # no box ticked is an empty POST
    if form.is_valid():
        year = SchoolYear.objects.current(create=True)
        attempt(request, lambda: services.plan_create(student=student, school_year=year, by=request.user,
                                                      request=request, copy_from=source, sections=form.sections()),
                _("This year's IOP was created from the IOP of %(year)s. Check the copied texts.")
                % {"year": source.school_year})
        return redirect("iop:student_plan", student_pk=student.pk)
    return render(request, "iop/plan/plan_copy.html", {"student": student, "form": form, **_copy_preview(source)})


def _copy_preview(source: Plan) -> dict:
    """What the copy page shows of the earlier plan: everything that would be copied, and how many goals would not."""
    return {"source": source, "subjects": list(source.subjects.select_related("subject")),
            "goals": list(services.goals_to_carry(source)), "reached_count": reached_goals(source).count()}


@login_required
@require_GET
def plan_switch(request: HttpRequest) -> HttpResponse:
    """Anyone: the student switcher's "Go" (the plan page itself checks access)."""
    form = SwitchForm(request.GET)
    if not form.is_valid():
        return redirect("start")
    return redirect("iop:plan_detail", pk=form.cleaned_data["plan"])


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the IOP; each section only as far as their rights and the stage allow."""
    plan, rights = get_plan_for(request, pk, "see", document_count=count_for_iop_admin(OuterRef("student")))
    subjects = list(plan.subjects.select_related("subject").prefetch_related("goals"))
    scale = settings_for(plan.student.school).scale()
    for subject in subjects:
        subject.writable = rights.writes_subject(subject.subject_id)
        subject.progress = subject_progress(subject, subject.goals.all(), scale, half_year=rights.read_half_year,
                                            annual=rights.read_annual)
    log_entries = _log_entries(plan, rights)
    context = {
        "plan": plan,
        "rights": rights,
        "subjects": subjects,
        "annex_rows": list(plan.annex_rows.all()) if rights.read_annex else [],
        "log_entries": log_entries,
        "log_form": _new_log_form(plan, log_entries) if rights.add_log else None,
        "stages": Plan.Stage.choices,
        "document_count": plan.document_count if rights.is_admin else None,
        "may_transfer": rights.is_admin and not subjects and bool(services.subjects_to_transfer(plan)),
        **_plans_around(request.user, plan, rights),
    }
    return render(request, "iop/plan/plan_detail.html", context)


def _log_entries(plan: Plan, rights) -> list[LogEntry]:
    if not rights.read_log:
        return []
    entries = list(plan.log_entries.select_related("created_by", "changed_by"))
    for entry in entries:
        entry.editable = rights.edits_log_entry(entry)
    return entries


def _new_log_form(plan: Plan, log_entries: list[LogEntry]) -> LogEntryForm:
    newest = max((entry.created_at for entry in log_entries), default=None)
    return LogEntryForm(plan=plan, newest_entry_at=newest)


@dataclass(frozen=True)
class _Neighbour:
    pk: int
    group: str
    full_name: str


def _plans_around(user, plan: Plan, rights) -> dict:
    """The student's IOPs of earlier school years, and the switcher's: the other IOPs the user may see
    in the same school and year, with the previous and next one. One query for both.

    An admin's school may have a hundred IOPs: plain rows, and the <option>s built once in Python
    rather than a hundred model pairs through the template engine (bench/profile.py)."""
    year = plan.school_year
    # Both lists are of the student's school: its IOP admin sees every IOP there, anyone else none by that role.
    roles = {Role.IOP_ADMIN} if rights.is_admin else set(Role) - {Role.IOP_ADMIN}
    rows = (
        plans_visible_to(user, roles, school=plan.student.school_id)
        .filter(Q(student=plan.student_id, school_year__start_year__lt=year.start_year) | Q(school_year=year))
        .order_by("student__group", "student__last_name", "student__first_name", "pk")
        .values_list("pk", "school_year_id", "school_year__start_year", "stage",
                     "student__group", "student__first_name", "student__last_name")
    )
    neighbours, earlier = [], []
    for pk, year_id, start_year, stage, group, first, last in rows:
        if year_id == year.pk:
            neighbours.append(_Neighbour(pk, group, f"{first} {last}"))
        else:
            earlier.append(Plan(pk=pk, stage=stage, student=plan.student,
                                school_year=SchoolYear(pk=year_id, start_year=start_year)))
    earlier.sort(key=lambda other: other.school_year.start_year, reverse=True)
    for other in earlier:
        other.rights = rights_for_earlier(user, plan, other)
    return {"earlier_plans": earlier, **_switcher(plan, neighbours)}


def _switcher(plan: Plan, rows: list[_Neighbour]) -> dict:
    index = next((i for i, other in enumerate(rows) if other.pk == plan.pk), None)
    options = format_html_join("", '<option value="{}"{}>{} – {}</option>', (
        (row.pk, mark_safe(" selected") if row.pk == plan.pk else "", row.group, row.full_name) for row in rows))
    return {
        "switch_count": len(rows),
        "switch_options": options,
        "previous_plan": rows[index - 1] if index else None,
        "next_plan": rows[index + 1] if index is not None and index + 1 < len(rows) else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_part1(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: write part 1; a save over someone else's newer save is refused (409)."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    form = Part1Form(request.POST or None, instance=plan)
    context = {"plan": plan, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.versioned_update(
                plan, version_field="part1_version", expected=form.cleaned_data["version"], student=plan.student,
                object_type="iop", detail="part 1", request=request, **form.values(),
            )
        except StaleEdit:
            return stale_edit_response(
                request, instance=plan, fields=PART1_TEXTS, version_field="part1_version",
                template="iop/plan/part1_edit.html", context=context,
                form_for=lambda data: Part1Form(data, instance=plan),
            )
        messages.success(request, _("Part 1 was saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return render(request, "iop/plan/part1_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_subjects(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: the special-education subjects this school year (content, extent, organisation)."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    formset = plan_subject_formset(request.POST or None, plan=plan)
    if request.method == "POST" and formset.is_valid():
        removed = [form.instance for form in formset.deleted_forms if form.instance.pk]
        losing_work = [row for row in removed if _has_written_work(row)]
        if losing_work and "confirm_remove" not in request.POST:
            # Removing a subject deletes its goals and assessments: ask first, keeping the form as typed.
            context = {"plan": plan, "formset": formset, "confirm_remove": losing_work}
            return render(request, "iop/plan/subjects_edit.html", context)
        services.plan_subjects_save(plan=plan, formset=formset, request=request)
        messages.success(request, _("The special-education subjects were saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return render(request, "iop/plan/subjects_edit.html", {"plan": plan, "formset": formset})


def _has_written_work(plan_subject) -> bool:
    texts = [plan_subject.half_year_development, plan_subject.half_year_opportunities,
             plan_subject.annual_development, plan_subject.annual_opportunities]
    return plan_subject.goals.exists() or any(texts)


@login_required
@require_POST
def plan_transfer_subjects(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: fill the special-education subjects from the granted decision, while empty."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    attempt(request, lambda: services.plan_transfer_subjects(plan=plan, request=request),
            _("The subjects were transferred from the decision."))
    return redirect("iop:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_set_stage_view(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: jump to any publication stage, forward or back."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the publication stages."))
        return redirect("iop:plan_detail", pk=plan.pk)
    stage = Plan.Stage(form.cleaned_data["stage"])
    attempt(request, lambda: services.plan_set_stage(plan=plan, stage=stage, request=request),
            _("The IOP is now: %(stage)s.") % {"stage": stage.label})
    return redirect("iop:plan_detail", pk=plan.pk)


@login_required
@require_POST
def log_add(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin and the student's teachers: add a log entry."""
    plan, _rights = get_plan_for(request, pk, "add_log")
    form = LogEntryForm(request.POST, plan=plan)
    if form.is_valid():
        services.log_entry_create(plan=plan, text=form.cleaned_data["text"], by=request.user, request=request)
        messages.success(request, _("The log entry was saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return render(request, "iop/plan/log_form.html", {"plan": plan, "form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: any entry; a teacher of the student: their own entries."""
    entry, plan, rights = get_plan_part_for(request, LogEntry.objects.all(), pk, "read_log")
    if not rights.edits_log_entry(entry):
        deny(insider=True, object_type="iop_log", object_id=entry.pk, student=plan.student)
    form = LogEntryEditForm(request.POST or None, instance=entry, plan=plan)
    context = {"plan": plan, "form": form, "entry": entry}
    if request.method == "POST" and form.is_valid():
        try:
            services.versioned_update(
                entry, version_field="version", expected=form.cleaned_data["version"], student=plan.student,
                object_type="iop_log", request=request, text=form.cleaned_data["text"], changed_by=request.user,
            )
        except StaleEdit:
            return stale_edit_response(
                request, instance=entry, fields=["text"], version_field="version", template="iop/plan/log_form.html",
                context=context, form_for=lambda data: LogEntryEditForm(data, instance=entry, plan=plan),
            )
        messages.success(request, _("The log entry was saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return render(request, "iop/plan/log_form.html", context)


@login_required
@require_POST
def plan_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: confirm changing the IOP of an earlier school year (read-only until then)."""
    plan, rights = get_plan_for(request, pk, "may_unlock")
    services.plan_unlock_earlier_year(plan=plan, request=request)
    messages.warning(request, _("You can now change the IOP of %(year)s. The changes are saved in that year's "
                                "record.") % {"year": plan.school_year})
    return redirect("iop:plan_detail", pk=plan.pk)
