"""Progress at a glance (issue 18 part 3): the coordinator's overview of a school's IOPs with its deadlines
and CSV export, the school's IOP settings, and the teacher's list of what is still to write."""

import csv
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import log_students_listed
from accounts.links import link_maker
from accounts.models import SchoolYear
from accounts.pagination import paginate

from .. import deadlines, overview, services
from ..access import get_school_for_overview, require_teacher
from ..forms import OverviewFilterForm, SchoolSettingsForm, YearDeadlinesForm
from ..models import Plan

WORK_NAMES = {"goals": gettext_lazy("Goals"), "half_year": gettext_lazy("Half-year assessment"),
              "annual": gettext_lazy("Annual assessment")}


def _overview(request: HttpRequest, school) -> dict:
    """The filtered plans of the year (not yet paged) and everything the page shows around them."""
    today = timezone.localdate()
    year = SchoolYear.objects.current()
    settings = deadlines.settings_for(school)
    dates = deadlines.dates_for(school, year)
    form = OverviewFilterForm(request.GET, teachers=overview.school_teachers(school))
    plans = []
    if form.is_valid():
        plans = overview.school_plans(school, year, **form.filters(), dates=dates, today=today)
    return {
        "school": school, "year": year, "today": today, "settings": settings, "dates": dates, "form": form,
        "plans": plans,
        "missing": overview.missing_plans(school, year, weeks=settings.plan_weeks_after_decision, today=today),
        "waiting": overview.waiting_approvals(school, year, days=settings.approval_days, today=today),
    }


@login_required
@require_GET
def school_overview(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's IOP admins: every IOP of the year with its stage, subjects' status and deadlines."""
    school = get_school_for_overview(request, school_pk)
    return _overview_page(request, _overview(request, school))


def _overview_page(request: HttpRequest, context: dict) -> HttpResponse:
    """A page of the overview, every student shown on it logged as read; 400 with the errors of bad filters."""
    paged = paginate(request, context["plans"], key="page")
    plans = list(paged.page.object_list)
    overview.attach_rows(plans, dates=context["dates"], today=context["today"])
    marks = {(done, overdue): render_to_string(MARK_TEMPLATE, {"done": done, "overdue": overdue})
             for done in (True, False) for overdue in (True, False)}
    _attach_table_rows(plans, marks)
    shown = [plan.student for plan in plans] + [m.decision.student for m in context["missing"]] + [
        w.application.student for w in context["waiting"]]
    log_students_listed(request, {s.pk: s for s in shown}.values(), object_type="iop_overview",
                        object_id=context["school"].pk)
    context.update(paged=paged, page_plans=plans, csv_query=request.GET.urlencode(),
                   due_mark=marks[False, False], overdue_mark=marks[False, True])
    status = 200 if context["form"].is_valid() else 400
    return render(request, "iop/overview/school_overview.html", context, status=status)


# A mark of work done, due or overdue (a subject's goals and assessments, a deadline): rendered once a page.
MARK_TEMPLATE = "iop/overview/_status.html"
# The table's rows are filled in Python: a page of 50 IOPs has some 150 subject rows, and through the
# template engine they were most of the page's CPU (bench/profile.py). Plain str.format with every text
# escaped here (`escape`) costs a tenth of format_html's per-argument checks.
ROW = '<tr data-plan="{}"{}>{}{}</tr>'
PLAN_CELLS = ('<th scope="row" rowspan="{span}"><a class="ds-link" href="{url}">{name}</a></th>'
              '<td rowspan="{span}">{group}</td><td rowspan="{span}">{stage}{report}</td>')
REPORT_OVERDUE = ' <span class="ds-tag" data-color="danger" data-status="report-overdue">{}</span>'
SUBJECT_CELLS = ('<td><a class="ds-link" href="{}">{}</a></td><td>{}</td><td data-work="goals">{}</td>'
                 '<td data-work="half_year">{}</td><td data-work="annual">{}</td>')
NO_SUBJECTS = '<td colspan="5">{}</td>'


def _attach_table_rows(plans, marks: dict[tuple[bool, bool], str]) -> None:
    """Each plan's rows of the table (`plan.table_rows`), with the marks rendered once a page (`marks`), the
    links reversed once and the texts translated once."""
    plan_url, subject_url = link_maker("iop:plan_detail"), link_maker("iop:subject_detail")
    report_overdue = REPORT_OVERDUE.format(escape(_("Annual report not sent")))
    no_subjects = NO_SUBJECTS.format(escape(_("No special-education subjects yet.")))
    stages = {value: escape(str(label)) for value, label in Plan.Stage.choices}
    for plan in plans:
        first = PLAN_CELLS.format(
            span=len(plan.rows) or 1, url=plan_url(plan.pk), name=escape(plan.student.full_name),
            group=escape(plan.student.group), stage=stages[plan.stage],
            report=report_overdue if plan.report_overdue else "")
        cells = [SUBJECT_CELLS.format(subject_url(row.subject.pk), escape(row.subject.subject),
                                      escape(row.teacher_names or "–"), marks[row.subject.goals_done, False],
                                      marks[row.subject.half_year_done, row.half_year_overdue],
                                      marks[row.subject.annual_done, row.annual_overdue])
                 for row in plan.rows] or [no_subjects]
        overdue = " data-overdue" if plan.overdue else ""
        plan.table_rows = mark_safe("".join(ROW.format(plan.pk, overdue, first if number == 0 else "", cell)
                                            for number, cell in enumerate(cells)))


@login_required
@require_GET
def school_overview_csv(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's IOP admins: the overview as filtered, one line per IOP subject (logged as downloaded)."""
    school = get_school_for_overview(request, school_pk)
    context = _overview(request, school)
    if not context["form"].is_valid():
        return _overview_page(request, context)
    plans = list(context["plans"])
    overview.attach_rows(plans, dates=context["dates"], today=context["today"])
    log_students_listed(request, [plan.student for plan in plans], object_type="iop_overview", object_id=school.pk,
                        event="downloaded")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iop-oversikt-{school.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Norwegian letters as UTF-8
    _write_csv(response, plans)
    return response


def _write_csv(out, plans) -> None:
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Student"), _("Class/group"), _("Stage"), _("Subject"), _("Teachers"), _("Goals done"),
                     _("Half-year assessment done"), _("Annual assessment done"), _("Overdue"),
                     _("Annual report sent")])
    yes_no = {True: _("yes"), False: _("no")}
    for plan in plans:
        for row in plan.rows or [None]:
            subject = row.subject if row else None
            writer.writerow(_cell(value) for value in [
                plan.student.full_name, plan.student.group, plan.get_stage_display(),
                subject.subject if subject else "",
                row.teacher_names if row else "",
                yes_no[subject.goals_done] if subject else "",
                yes_no[subject.half_year_done] if subject else "",
                yes_no[subject.annual_done] if subject else "",
                ", ".join(str(WORK_NAMES[work]) for work in row.overdue) if row else "",
                plan.report_sent_on.isoformat() if plan.report_sent_on else "",
            ])


def _cell(value: str) -> str:
    """A spreadsheet takes a cell starting with = + - @ for a formula: such a name is written as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's IOP admins: the progress scale's names, the deadline rules and this year's due dates."""
    school = get_school_for_overview(request, school_pk)
    year = SchoolYear.objects.current(create=request.method == "POST")
    settings = deadlines.settings_for(school)
    dates = deadlines.dates_for(school, year)
    saved_dates = deadlines.saved_dates(school, year)
    data = request.POST if request.method == "POST" else None
    settings_form = SchoolSettingsForm(data, instance=settings, prefix="settings")
    dates_form = YearDeadlinesForm(data, instance=saved_dates, school_year=year, prefix="dates", initial={
        "half_year_due": dates.half_year_due, "annual_due": dates.annual_due})
    if request.method == "POST" and all([settings_form.is_valid(), dates_form.is_valid()]):  # both forms' errors
        services.school_settings_save(school=school, school_year=year, settings=settings_form.cleaned_data,
                                      dates=dates_form.cleaned_data, request=request)
        messages.success(request, _("The IOP settings were saved."))
        return redirect("iop:school_overview", school_pk=school.pk)
    context = {"school": school, "year": year, "settings_form": settings_form, "dates_form": dates_form,
               "carried_over": dates.carried_over and saved_dates is None}
    return render(request, "iop/overview/school_settings.html", context, status=400 if data else 200)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """Teachers: what they still have to write this year in the subjects they teach, across their students."""
    require_teacher(request)
    items = overview.work_of_teacher(request.user, today=timezone.localdate())
    log_students_listed(request, {i.subject.plan.student_id: i.subject.plan.student for i in items}.values(),
                        object_type="iop_work_list")
    return render(request, "iop/overview/my_work.html", {"items": items})
