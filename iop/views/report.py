"""Annual report, certificate annex (with the notation helper) and the generated PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.log import record
from documents.downloads import private_pdf_response

from .. import notation, pdfs, services
from ..access import get_plan_for, get_plan_part_for
from ..forms import AnnexRowForm, NotationChoiceForm, ReportForm
from ..models import AnnexRow, Plan, StaleEdit

# kind in the URL → (the right it needs, the builder, the document's name)
PDF_KINDS = {
    "iop": ("pdf_iop", pdfs.plan_pdf, gettext_lazy("IOP")),
    "halvar": ("pdf_half_year", pdfs.half_year_pdf, gettext_lazy("Half-year assessment")),
    "arsrapport": ("pdf_report", pdfs.annual_report_pdf, gettext_lazy("Annual report")),
    "vedlegg": ("pdf_annex", pdfs.annex_pdf, gettext_lazy("Annex to the certificate")),
}


def _log_change(request, plan: Plan, object_type: str, object_id, detail: str = "") -> None:
    record(request, action="changed", object_type=object_type, object_id=object_id, student=plan.student,
           detail=detail)


# --- Annual report -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: write the annual report and the date it was sent."""
    plan, _rights = get_plan_for(request, pk, "write_plan")
    form = ReportForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.versioned_update(plan, version_field="report_version", expected=form.cleaned_data["version"],
                                      **form.values())
        except StaleEdit:
            return _report_conflict(request, plan)
        _log_change(request, plan, "iop_report", plan.pk)
        messages.success(request, _("The annual report was saved."))
        return redirect("iop:plan_detail", pk=plan.pk)
    return _render_report(request, plan, form)


def _report_conflict(request, plan: Plan) -> HttpResponse:
    """Keep what they typed next to the newer saved text; saving again, knowingly, replaces it."""
    plan.refresh_from_db()  # the form wrote the typed text into `plan`; show what is really saved
    saved = [(plan._meta.get_field(name).verbose_name, getattr(plan, name)) for name in ReportForm.Meta.fields]
    data = request.POST.copy()
    data["version"] = plan.report_version
    form = ReportForm(data, plan=plan)
    form.is_valid()
    messages.error(request, _("Someone else saved the annual report after you opened it. Your text is kept "
                              "below; compare it with the saved version and save again."))
    return _render_report(request, plan, form, saved=saved, status=409)


def _render_report(request, plan, form, *, saved=None, status=200) -> HttpResponse:
    subjects = plan.subjects.select_related("subject")
    context = {"plan": plan, "form": form, "subjects": subjects, "saved": saved}
    return render(request, "iop/report/report_edit.html", context, status=status)


# --- Certificate annex ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def annex(request: HttpRequest, pk: int) -> HttpResponse:
    """Readers of the annex: rows and the notation helper; IOP admin: add a row (POST)."""
    need = "write_plan" if request.method == "POST" else "read_annex"
    plan, rights = get_plan_for(request, pk, need)
    form = AnnexRowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.plan = plan
        row.position = services.next_position(plan.annex_rows.all())
        row.save()
        _log_change(request, plan, "iop_annex", row.pk, "row added")
        messages.success(request, _("The row was added to the annex."))
        return redirect("iop:annex", pk=plan.pk)
    if request.method == "GET":
        record(request, action="viewed", object_type="iop_annex", object_id=plan.pk, student=plan.student)
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
        form.save()
        _log_change(request, plan, "iop_annex", row.pk, "row changed")
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
    row_pk = row.pk
    row.delete()
    record(request, action="deleted", object_type="iop_annex", object_id=row_pk, student=plan.student,
           detail="row deleted")
    messages.success(request, _("The annex row was deleted."))
    return redirect("iop:annex", pk=plan.pk)


@login_required
@require_POST
def annex_move(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: move an annex row one place up or down."""
    row, plan = _row_for(request, pk)
    direction = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if direction is None:
        messages.error(request, _("Choose up or down."))
        return redirect("iop:annex", pk=plan.pk)
    services.move(row, direction=direction)
    _log_change(request, plan, "iop_annex", row.pk, f"row moved {request.POST['direction']}")
    return redirect("iop:annex", pk=plan.pk)


# --- Generated PDFs --------------------------------------------------------------


@login_required
@require_GET
def plan_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """IOP admin always; student and guardian per stage; teachers never: download a generated PDF."""
    if kind not in PDF_KINDS:
        raise Http404
    need, build, label = PDF_KINDS[kind]
    plan, _rights = get_plan_for(request, pk, need)
    response = private_pdf_response(build(plan), pdfs.download_title(plan, label))
    record(request, action="downloaded", object_type="iop_pdf", object_id=plan.pk, student=plan.student,
           detail=kind)
    return response
