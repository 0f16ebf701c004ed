"""One person case: its page (for its handlers), closing it, and the case file as a PDF (for its handler)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.feedback import attempt
from documents.downloads import private_pdf_response

from .. import access, pdfs, selectors, services
from ..forms import CloseForm
from ..models import Case


def leaving_flags(case: Case) -> dict:
    """Whether the open case's student leaves within four weeks (`leaving_soon`) or has left (`has_left`)."""
    leaving = case.card.student.leaving_date
    if not case.is_open or leaving is None:
        return {"leaving": leaving, "leaving_soon": False, "has_left": False}
    today = timezone.localdate()
    return {"leaving": leaving, "leaving_soon": today < leaving <= today + selectors.WARN_BEFORE_LEAVING,
            "has_left": leaving <= today}


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler and co-handlers: the case, its events and attachments (the handler also its access history)."""
    case, rights = access.get_case_for(request, pk, access.Need.READ)
    context = {
        "case": case, "rights": rights, "student": case.card.student,
        "co_handlers": selectors.co_handlers_of(case),
        "events": selectors.events_with_versions(case),
        "history": list(selectors.access_history(case)) if rights.handle else None,
        **leaving_flags(case),
    }
    return render(request, "cases/case.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler: close the case with a closing note."""
    case, rights = access.get_case_for(request, pk, access.Need.CLOSE)
    if not case.is_open:
        messages.info(request, _("The case is closed."))
        return redirect("cases:case", pk=case.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and attempt(
                request, lambda: services.case_close(case=case, by=request.user, note=form.cleaned_data["note"],
                                                     request=request),
                _("The case is closed.")):
            return redirect("cases:case", pk=case.pk)
        status = 400
    else:
        status = 200
    context = {"case": case, "rights": rights, "student": case.card.student, "form": form}
    return render(request, "cases/case_close.html", context, status=status)


@login_required
@require_GET
def case_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The case's handler: download the whole case file (every event, every version) as a PDF."""
    case, _rights = access.get_case_for(request, pk, access.Need.HANDLE, event="downloaded")
    return private_pdf_response(pdfs.case_pdf(case), pdfs.download_title(case))
