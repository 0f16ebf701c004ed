"""The events (journal notes) of a person case: written, corrected by a new version, their PDFs downloaded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.feedback import attempt
from documents.downloads import private_pdf_response

from .. import access, selectors, services
from ..forms import CorrectionForm, NewEventForm
from ..models import Case


def _at_event(case: Case, event_pk: int) -> str:
    return f"{reverse('cases:case', args=[case.pk])}#event-{event_pk}"


def _closed(request: HttpRequest, case: Case):
    messages.info(request, _("The case is closed. Nothing more can be added to it."))
    return redirect("cases:case", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler and co-handlers: write a new event in an open case, with PDFs if any."""
    case, rights = access.get_case_for(request, pk, access.Need.WRITE)
    if not case.is_open:
        return _closed(request, case)
    form = NewEventForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data, created = form.cleaned_data, []
            if attempt(request, lambda: created.append(services.event_create(
                    case=case, by=request.user, category=data["category"], kind=data["kind"],
                    occurred_on=data["occurred_on"], title=data["title"], text=data["text"],
                    pdfs=data["attachments"], request=request)), _("The event is saved.")):
                return redirect(_at_event(case, created[0].pk))
        status = 400
    context = {"case": case, "rights": rights, "student": case.card.student, "form": form, "event": None}
    return render(request, "cases/event_form.html", context, status=status)


def _saved_now(version) -> list[tuple[str, str]]:
    """The newest version as includes/stale_edit.html shows it beside the user's own text."""
    return [(_("Date"), date_format(version.occurred_on, "SHORT_DATE_FORMAT")),
            (_("Category"), version.get_category_display()), (_("Type of event"), version.get_kind_display()),
            (_("Title"), version.title), (_("Text"), version.text),
            (_("Written by"), (version.written_by.get_full_name() or version.written_by.username)
             if version.written_by else "–")]


@login_required
@require_http_methods(["GET", "POST"])
def event_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's handler and co-handlers: correct an event of an open case (a new version; the earlier stays)."""
    event, rights = access.get_event_for(request, pk, access.Need.WRITE)
    case = event.case
    if not case.is_open:
        return _closed(request, case)
    current = selectors.current_version(event)
    if current is None:
        raise Http404
    initial = {"category": current.category, "kind": current.kind, "occurred_on": current.occurred_on,
               "title": current.title, "text": current.text, "based_on": current.number}
    form = CorrectionForm(request.POST or None, initial=initial)
    status, stale_saved = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.event_correct(
                    event=event, by=request.user, based_on=data["based_on"], category=data["category"],
                    kind=data["kind"], occurred_on=data["occurred_on"], title=data["title"], text=data["text"],
                    request=request), _("The correction is saved. The earlier text is kept in the case.")):
                return redirect(_at_event(case, event.pk))
            latest = selectors.current_version(event)
            if latest.number != data["based_on"]:
                # Someone corrected the event since: keep the user's text, show the saved one beside it, and
                # let the form carry the newest number so that saving again replaces it knowingly.
                stale_saved, posted = _saved_now(latest), request.POST.copy()
                posted["based_on"] = latest.number
                form = CorrectionForm(posted, initial=initial)
                form.is_valid()
                current = latest
        status = 409 if stale_saved else 400
    context = {"case": case, "rights": rights, "student": case.card.student, "form": form, "event": event,
               "current": current, "stale_saved": stale_saved}
    return render(request, "cases/event_form.html", context, status=status)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The case's handler and co-handlers: download a PDF attached to one of the case's events."""
    attachment = access.get_attachment_for(request, pk)
    return private_pdf_response(attachment.file, attachment.title)
