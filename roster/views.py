"""Roster import pages: upload, the check's preview and progress, apply, discard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import attempt
from accounts.pagination import paginate

from . import access, services
from .forms import UploadForm

KIND_LABELS = {
    "schools": gettext_lazy("Schools"), "people": gettext_lazy("People (logins)"), "students": gettext_lazy("Students"), "staff": gettext_lazy("Staff"),
    "guardianships": gettext_lazy("Guardianships"), "subjects": gettext_lazy("Subjects"), "enrollments": gettext_lazy("Subjects taken"),
    "teaching": gettext_lazy("Teachers of subjects taken"), "grades": gettext_lazy("Grades"), "absence": gettext_lazy("Absence"),
    "admissions": gettext_lazy("Admissions"),
}

STEP_LABELS = {
    "schools": gettext_lazy("Schools"), "users": gettext_lazy("People (logins)"), "students": gettext_lazy("Students"),
    "leavers": gettext_lazy("Students who have left"), "staff": gettext_lazy("Staff"),
    "guardianships": gettext_lazy("Guardianships"), "enrollments": gettext_lazy("Subjects taken"),
    "result_rows": gettext_lazy("Grades, absence and admissions"),
}


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """A system administrator, or an IOP admin for their school: upload an export; earlier imports."""
    access.require_importer(request)
    system_admin = access.is_system_admin(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, schools=access.import_schools(request.user),
                      system_admin=system_admin)
    if request.method == "POST" and form.is_valid():
        run = services.import_upload(file=form.cleaned_data["file"], user=request.user,
                                     school=form.cleaned_data["school"], language=translation.get_language())
        return redirect("roster:detail", pk=run.pk)
    page = paginate(request, access.imports_visible_to(request.user).select_related("school", "created_by"))
    return render(request, "roster/imports.html", {"form": form, "page": page, "system_admin": system_admin})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The system administrator or the school's IOP admin: progress, then what the import changes."""
    run = access.get_import_for(request, pk)
    counts = [(KIND_LABELS.get(kind, kind), actions) for kind, actions in sorted(run.summary.get("counts", {}).items())]
    context = {"run": run, "counts": counts, "step": STEP_LABELS.get(run.step, "")}
    return render(request, "roster/detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The system administrator or the school's IOP admin: apply a checked import."""
    run = access.get_import_for(request, pk)
    attempt(request, lambda: services.import_apply_later(run=run, user=request.user),
            _("The import is being applied."))
    return redirect("roster:detail", pk=run.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """The system administrator or the school's IOP admin: throw away a checked import unapplied."""
    run = access.get_import_for(request, pk)
    attempt(request, lambda: services.import_discard(run=run), _("The import was discarded; nothing was changed."))
    return redirect("roster:imports")
