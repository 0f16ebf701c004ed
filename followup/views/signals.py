"""IKO pages: the school's overview, a student's IKO page, signals, concerns and talks."""

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import log_students_listed
from accounts.feedback import attempt
from accounts.links import link_maker
from accounts.models import STUDENT_SHOWN, SchoolYear
from accounts.pagination import paginate

from .. import access, charts, services
from ..forms import AssessForm, ConcernForm, TalkForm
from ..models import Measure, Plan, Signal, Talk

SOON = timedelta(days=14)  # "measures running out in the next two weeks"
CHART_CACHE_SECONDS = 3600


@login_required
def overview(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team (the whole school) or a contact teacher (their group): who needs attention now."""
    school, is_team = access.get_followup_scope(request, school_pk)
    students = access.students_followed_at(request.user, school, team=is_team)
    # A county school may have hundreds of new signals at the start of the year: a page at a time.
    # Only the printed fields: a signal's evidence (JSON) and a plan's texts are most of their rows.
    signals = paginate(request, Signal.objects.filter(student__in=students, status=Signal.Status.NEW)
                       .select_related("student").only("rule", "found_on", *STUDENT_SHOWN)
                       .order_by("student__group", "student__last_name", "student__first_name", "pk"), key="side")
    plans = (Plan.objects.filter(student__in=students).exclude(status=Plan.Status.EVALUATED)
             .select_related("student").only("status", *STUDENT_SHOWN).order_by("status", "student__last_name"))
    today = timezone.localdate()
    ending = (Measure.objects.filter(plan__in=plans, plan__status=Plan.Status.ACTIVE, ends_on__gte=today,
                                     ends_on__lte=today + SOON).select_related("plan__student").order_by("ends_on"))
    shown = {signal.student for signal in signals.page.object_list} | {plan.student for plan in plans}
    log_students_listed(request, shown, object_type="iko_overview", object_id=school.pk)
    student_url = link_maker("followup:student")
    signal_rows = [(student_url(signal.student_id), signal.student.full_name, signal.student.group,
                    signal.get_rule_display(), signal.found_on) for signal in signals.page.object_list]
    plan_url = link_maker("followup:plan")
    plan_rows = [(plan_url(plan.pk), plan.student.full_name, plan.student.group, plan.get_status_display())
                 for plan in plans]
    context = {"school": school, "signals": signals, "signal_rows": signal_rows, "plan_rows": plan_rows,
               "ending": ending, "is_team": is_team,
               "signals_chart_html": _signals_chart_html(charts.school_signal_counts(students))}
    return render(request, "followup/overview.html", context)


def _signals_chart_html(counts: list) -> str:
    """The per-class signals chart with its table (a few hundred numbers), rendered once per distinct
    data and language: the data changes only when signals do, and the overview is the IKO team's busiest page.
    The key is the data itself, so a stale chart cannot be served."""
    key = "iko-signals-chart:" + hashlib.sha256(f"{get_language()}{counts!r}".encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string("followup/_charts.html", {
            "chart": charts.signals_chart(counts), "chart_id": "signals-chart", "data": charts.signals_table(counts),
            "chart_title": _("New signals per class and reason"), "empty": _("No new signals to show.")})
        cache.set(key, html, CHART_CACHE_SECONDS)
    return html


@login_required
@require_POST
def find_signals(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team: run the identification rules now (after an import; `run_iko_rules` does it for every school)."""
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    counts = services.signals_find(school=school, by=request.user, request=request)
    found = sum(counts.values())
    messages.success(request, ngettext("%(n)d new signal.", "%(n)d new signals.", found) % {"n": found}
                     if found else _("No new signals."))
    return redirect("followup:overview", school_pk=school.pk)


@login_required
def student(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The IKO team or the contact teacher: the student's signals, talks and plans."""
    pupil = access.get_student_for_followup(request, student_pk)
    absence, grades = charts.student_absence(pupil), charts.student_grade_averages(pupil)
    context = {
        "student": pupil,
        "absence": absence, "absence_chart": charts.absence_chart(absence),
        "grades": grades, "grade_chart": charts.grade_chart(grades),
        "signals": pupil.iko_signals.select_related("reported_by", "assessed_by"),
        "talks": pupil.iko_talks.select_related("held_by"),
        "plans": pupil.iko_plans.all(),
        "assess_form": AssessForm(),
        "may_write": access.may_write(pupil),
    }
    return render(request, "followup/student.html", context)


@login_required
@require_POST
def signal_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """The IKO team or the contact teacher: take a signal into mapping, or dismiss it with a reason."""
    signal = access.get_signal_for(request, pk)
    form = AssessForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        take = form.cleaned_data["decision"] == AssessForm.TAKE
        attempt(request, lambda: services.signal_assess(signal=signal, by=request.user, take=take,
                                                        reason=form.cleaned_data["reason"], request=request),
                _("The signal is taken into mapping.") if take else _("The signal is dismissed."))
    return redirect("followup:student", student_pk=signal.student_id)


@login_required
@require_http_methods(["GET", "POST"])
def concern_add(request: HttpRequest) -> HttpResponse:
    """A teacher of the student, their contact teacher or the IKO team: report a concern (seed 002's critical factors)."""
    students = access.concern_students(request.user)
    if not students.exists():
        raise Http404  # the page does not exist for someone who teaches and follows no one
    form = ConcernForm(request.POST or None, students=students, initial={"student": request.GET.get("elev")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.concern_report(student=data["student"], rule=data["rule"], text=data["text"], by=request.user,
                                request=request)
        messages.success(request, _("Thank you. The contact teacher and the IKO team see your concern."))
        return redirect("followup:concerns")
    return render(request, "followup/concern_form.html", {"form": form})


@login_required
def concerns(request: HttpRequest) -> HttpResponse:
    """Anyone who has reported concerns: their own reports (nothing else of IKO)."""
    reports = access.concerns_reported_by(request.user).select_related("student")
    log_students_listed(request, {signal.student for signal in reports}, object_type="iko_concerns")
    return render(request, "followup/concerns.html", {"reports": reports,
                                                      "may_report": access.concern_students(request.user).exists()})


@login_required
@require_http_methods(["GET", "POST"])
def talk_add(request: HttpRequest, student_pk: int, kind: str) -> HttpResponse:
    """The IKO team or the contact teacher: write down a start-up talk or a mapping talk."""
    pupil = access.get_student_for_followup(request, student_pk, "write")
    if kind not in Talk.Kind.values:
        raise Http404
    talk = Talk(student=pupil, kind=kind, held_by=request.user)
    form = TalkForm(request.POST or None, instance=talk)
    if request.method == "POST" and form.is_valid():
        talk.school_year = SchoolYear.objects.current(create=True)
        services.record_saved(form, object_type="iko_talk", student=pupil, request=request, created=True)
        messages.success(request, _("The talk is saved."))
        return redirect("followup:student", student_pk=pupil.pk)
    return render(request, "followup/talk_form.html", {"form": form, "student": pupil, "talk": talk})


@login_required
def startup_talks(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team (every class) or a contact teacher (their class): the start-up talks, flagged students first."""
    school = access.get_school_for_followup(request, school_pk)
    year = SchoolYear.objects.current()
    students = list(access.students_followed_by(request.user).filter(school=school, left_on__isnull=True)
                    .order_by("group", "last_name", "first_name"))
    flagged = set(Signal.objects.filter(student__in=students, school_year=year).exclude(
        status=Signal.Status.DISMISSED).values_list("student_id", flat=True)) if year else set()
    held = dict(Talk.objects.filter(student__in=students, school_year=year, kind=Talk.Kind.STARTUP)
                .order_by("held_on").values_list("student_id", "held_on")) if year else {}
    classes: dict[str, list] = {}
    for pupil in sorted(students, key=lambda s: (s.group, s.pk not in flagged, s.last_name, s.first_name)):
        classes.setdefault(pupil.group, []).append({"student": pupil, "flagged": pupil.pk in flagged,
                                                    "held_on": held.get(pupil.pk),
                                                    "may_write": access.may_write(pupil)})
    log_students_listed(request, students, object_type="iko_startup_talks", object_id=school.pk)
    return render(request, "followup/startup_talks.html", {"school": school, "classes": classes})
