"""Annual report, certificate annex (with the notation helper) and the generated PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.downloads import private_pdf_response

from .. import notation, pdfs, selectors, services
from ..access import get_plan_for, get_plan_part_for
from ..forms import REPORT_TEXTS, AnnexFromGoalsForm, AnnexRowForm, NotationChoiceForm, ReportForm, direction_from
from ..models import AnnexRow, Plan, StaleEdit
from .stale import stale_edit_response

# kind in the URL → (the right it needs, the builder, the document's name)
PDF_KINDS = {
    "iop": ("pdf_iop", pdfs.plan_pdf, gettext_lazy("IOP")),
    "halvar": ("pdf_half_year", pdfs.half_year_pdf, gettext_lazy("Half-year assessment")),
    "arsrapport": ("pdf_report", pdfs.annual_report_pdf, gettext_lazy("Annual report")),
    "vedlegg": ("pdf_annex", pdfs.annex_pdf, gettext_lazy("Annex to the certificate")),
}


# --- Annual report -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: write the annual report and the date it was sent."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    form = ReportForm(request.POST or None, plan=plan)
    context = {"plan": plan, "form": form, "subjects": plan.subjects.select_related("subject")}
    if request.method == "POST" and form.is_valid():
        try:
            services.versioned_update(plan, version_field="report_version", expected=form.cleaned_data["version"],
                                      student=plan.student, object_type="iop_report", request=request,
                                      **form.values())
        except StaleEdit:
            return stale_edit_response(
                request, instance=plan, fields=REPORT_TEXTS, version_field="report_version",
                template="iop/report/report_edit.html", context=context,
                form_for=lambda data: ReportForm(data, plan=plan),
            )
        messages.success(request, _("The annual report was saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return render(request, "iop/report/report_edit.html", context)


# --- Certificate annex ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def annex(request: HttpRequest, pk: int) -> HttpResponse:
    """Readers of the annex: rows and the notation helper; IOP admin: add a row (POST)."""
    need = "write_plan" if request.method == "POST" else "read_annex"
    plan, rights = get_plan_for(request, pk, need, object_type="iop_annex")
    form = AnnexRowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.annex_row_create(plan=plan, row=form.save(commit=False), request=request)
        messages.success(request, _("The row was added to the annex."))
        return redirect("iop:annex", pk=plan.pk)
    return _annex_page(request, plan, rights, form=form)


@login_required
@require_POST
def plan_notation_save(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: save the notation helper's choices (grade or no basis for a grade) per subject."""
    plan, rights = get_plan_for(request, pk, "write_plan")
    form = NotationChoiceForm(request.POST, subjects=list(plan.subjects.select_related("subject")))
    if not form.is_valid():
        return _annex_page(request, plan, rights, notation_form=form)
    services.notation_choices_save(plan=plan, grades=form.grades(), request=request)
    messages.success(request, _("The choices for the certificate were saved."))
    return redirect(f"{reverse('iop:annex', args=[plan.pk])}#notation-heading")


@login_required
@require_POST
def plan_annex_from_goals(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: add annex rows naming the chosen reached goals of part 2."""
    plan, rights = get_plan_for(request, pk, "write_plan")
    form = AnnexFromGoalsForm(request.POST, goals=selectors.reached_goals(plan))
    if not form.is_valid():
        return _annex_page(request, plan, rights, goals_form=form)
    services.annex_rows_from_goals(plan=plan, goals=form.cleaned_data["goals"], extent=form.cleaned_data["extent"],
                                   request=request)
    messages.success(request, _("Rows for the reached goals were added to the annex."))
    return redirect("iop:annex", pk=plan.pk)


def _annex_page(request, plan: Plan, rights, *, form=None, notation_form=None, goals_form=None) -> HttpResponse:
    """The annex page; a form given is one the user just posted with errors, shown as posted."""
    rows = selectors.certificate_rows(plan)
    notations = [note for _subject, note, _year in rows]
    if rights.write_plan:
        notation_form = notation_form or NotationChoiceForm(subjects=[subject for subject, *_ in rows])
        goals_form = goals_form or AnnexFromGoalsForm(goals=selectors.reached_goals(plan))
    context = {
        "plan": plan, "rights": rights, "form": form or AnnexRowForm(), "rows": plan.annex_rows.all(),
        "helper_rows": [(*row, notation_form[notation_form.key(row[0])] if notation_form else None)
                        for row in rows],
        "notation_form": notation_form, "goals_form": goals_form,
        "remarks": notation.certificate_remarks(notations),
        "consequences": notation.certificate_consequences(notations, selectors.training_history(plan)),
        "rules": notation,
    }
    return render(request, "iop/report/annex.html", context)


def _row_for(request, pk: int, need: str = "write_plan") -> tuple[AnnexRow, Plan]:
    row, plan, _rights = get_plan_part_for(request, AnnexRow.objects.all(), pk, need)
    return row, plan


@login_required
@require_http_methods(["GET", "POST"])
def annex_row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: change one annex row."""
    row, plan = _row_for(request, pk)
    form = AnnexRowForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.annex_row_update(row=row, form=form, request=request)
        messages.success(request, _("The annex row was saved."))
        return redirect("iop:annex", pk=plan.pk)
    return render(request, "iop/report/annex_row_edit.html", {"plan": plan, "row": row, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def annex_row_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: confirm (GET) and delete (POST) one annex row."""
    row, plan = _row_for(request, pk)
    if request.method == "GET":
        return render(request, "iop/report/annex_row_delete.html", {"plan": plan, "row": row})
    services.row_delete(row, student=plan.student, object_type="iop_annex", detail="row deleted", request=request)
    messages.success(request, _("The annex row was deleted."))
    return redirect("iop:annex", pk=plan.pk)


@login_required
@require_POST
def annex_move(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: move an annex row one place up or down."""
    row, plan = _row_for(request, pk)
    direction = direction_from(request.POST)
    if direction is None:
        messages.error(request, _("Choose up or down."))
        return redirect("iop:annex", pk=plan.pk)
    services.row_move(row, direction=direction, student=plan.student, object_type="iop_annex", request=request)
    return redirect("iop:annex", pk=plan.pk)


# --- Generated PDFs --------------------------------------------------------------


@login_required
@require_GET
def plan_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """IOP admin always; teachers what they may read (not the annex); student and guardian per stage."""
    if kind not in PDF_KINDS:
        raise Http404
    need, build, label = PDF_KINDS[kind]
    plan, _rights = get_plan_for(request, pk, need, event="downloaded", object_type="iop_pdf", detail=kind)
    return private_pdf_response(build(plan), pdfs.download_title(plan, label))
