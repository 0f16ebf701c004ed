"""Who handles a person case: co-handlers added and removed, the case handed over to a new handler.

These pages show the case's metadata only (never its description or events): a case creator who is not
named on the case may open them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import attempt

from .. import access, selectors, services
from ..forms import StaffForm
from ..models import Case


def _add_form(case: Case, co_handlers, data=None) -> StaffForm:
    exclude = [case.handler_id, *(row.user_id for row in co_handlers)]
    return StaffForm(data, school=case.school, exclude=exclude, label=_("Add a co-handler"))


def _handover_form(case: Case, data=None) -> StaffForm:
    return StaffForm(data, prefix="handover", school=case.school, exclude=[case.handler_id], label=_("New handler"))


def _handlers_page(request: HttpRequest, case: Case, rights, *, co_handlers=None, add_form=None,
                   handover_form=None, status: int = 200) -> HttpResponse:
    """The handlers page; a form that came back with errors is shown with what was chosen (and status 400)."""
    co_handlers = list(selectors.co_handlers_of(case)) if co_handlers is None else co_handlers
    context = {
        "case": case, "rights": rights, "student": case.card.student, "co_handlers": co_handlers,
        "add_form": add_form or _add_form(case, co_handlers),
        "handover_form": handover_form or _handover_form(case),
    }
    return render(request, "cases/handlers.html", context, status=status)


def _after_change(request: HttpRequest, case: Case):
    """Back to the handlers page, or to the start page of person cases if the user no longer has a say here."""
    case.refresh_from_db(fields=["handler"])
    if access.rights_for(request.user, case).handlers:
        return redirect("cases:handlers", pk=case.pk)
    return redirect("cases:home")


@login_required
@require_http_methods(["GET", "POST"])
def case_handlers(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler or a case creator of its school: see and change who handles the case (metadata only)."""
    need = access.Need.HANDLERS if request.method == "GET" else access.Need.ADD_HANDLERS
    case, rights = access.get_case_for(request, pk, need)
    if request.method == "GET":
        return _handlers_page(request, case, rights)
    co_handlers = list(selectors.co_handlers_of(case))
    form = _add_form(case, co_handlers, request.POST)
    if form.is_valid():
        user = form.cleaned_data["user"]
        if attempt(request, lambda: services.co_handler_add(case=case, user=user, by=request.user, request=request),
                   _("%(name)s is now a co-handler and can read and write the case.")
                   % {"name": user.get_full_name() or user.username}):
            return redirect("cases:handlers", pk=case.pk)
    return _handlers_page(request, case, rights, co_handlers=co_handlers, add_form=form, status=400)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler or a case creator of its school: hand the case over to a new handler."""
    case, rights = access.get_case_for(request, pk, access.Need.ADD_HANDLERS)
    form = _handover_form(case, request.POST)
    if form.is_valid():
        to = form.cleaned_data["user"]
        if attempt(request, lambda: services.case_hand_over(case=case, to=to, request=request),
                   _("%(name)s is now the case's handler.") % {"name": to.get_full_name() or to.username}):
            return _after_change(request, case)
    return _handlers_page(request, case, rights, handover_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def co_handler_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """The case's handler or a case creator of its school: take a co-handler off the case (also a closed one)."""
    case, rights = access.get_case_for(request, pk, access.Need.HANDLERS)
    row = get_object_or_404(selectors.co_handlers_of(case), user_id=user_pk)
    name = row.user.get_full_name() or row.user.username
    if request.method == "POST":
        attempt(request, lambda: services.co_handler_remove(case=case, user=row.user, request=request),
                _("%(name)s no longer has access to the case.") % {"name": name})
        return _after_change(request, case)
    context = {"case": case, "rights": rights, "student": case.card.student, "row": row, "name": name}
    return render(request, "cases/co_handler_remove.html", context)
