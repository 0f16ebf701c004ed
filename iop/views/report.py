"""Annual report, certificate annex (with the notation helper) and the generated PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.downloads import private_pdf_response

from .. import notation, pdfs, services
from ..access import get_plan_for, get_plan_part_for
from ..forms import REPORT_TEXTS, AnnexRowForm, NotationChoiceForm, ReportForm, direction_from
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
    return render(request, "iop/report/annex.html", _annex_context(request, plan, rights, form))


def _annex_context(request, plan: Plan, rights, form) -> dict:
    subjects = list(plan.subjects.select_related("subject"))
    choices = NotationChoiceForm(request.GET, subjects=subjects)
    helper_rows = [
        (subject, choices[choices.key(subject)], notation.notation_for(subject.subject.code, choices.has_grade(subject)))
        for subject in subjects
    ]
    return {
        "plan": plan, "rights": rights, "form": form, "rows": plan.annex_rows.all(),
        "helper_rows": helper_rows, "remarks": notation.certificate_remarks(n for *_, n in helper_rows),
        "finishing_year": plan.school_year.start_year + 1, "rules": notation,
    }


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
    """IOP admin always; student and guardian per stage; teachers never: download a generated PDF."""
    if kind not in PDF_KINDS:
        raise Http404
    need, build, label = PDF_KINDS[kind]
    plan, _rights = get_plan_for(request, pk, need, event="downloaded", object_type="iop_pdf", detail=kind)
    return private_pdf_response(build(plan), pdfs.download_title(plan, label))
