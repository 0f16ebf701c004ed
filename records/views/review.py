"""The records officer's work on one request: the checklist, the review of each record, the release, the package."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from accounts.feedback import attempt
from accounts.pagination import paginate
from documents.downloads import download_name, private_pdf_response

from .. import access, package, services
from ..forms import ReviewForm
from ..models import AccessRequest, RequestItem
from .common import DECISION_COLORS, crumbs, kind_label, mark_deadlines, mark_items

PENDING = RequestItem.Decision.PENDING


def _request_crumbs(access_request: AccessRequest, *more):
    return crumbs((f"{access_request} – {access_request.student.full_name}",
                   reverse("records:request", args=[access_request.pk])), *more)


def _items(access_request: AccessRequest):
    return access_request.items.order_by("position", "pk")


def _download_title(access_request: AccessRequest) -> str:
    return _("Answer to access request %(number)s – %(name)s") % {
        "number": access_request.pk, "name": access_request.student.full_name}


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A records officer of the request's authority: the request and its checklist of records."""
    access_request = access.get_request_for_officer(request, pk)
    mark_deadlines([access_request])
    items = _items(access_request)
    counts = {row["decision"]: row["n"] for row in _decision_counts(items)}
    total = sum(counts.values())
    reviewed = total - counts.get(PENDING, 0)
    paged = paginate(request, items)
    context = {"access_request": access_request, "items": paged, "item_page": mark_items(list(paged.page.object_list)),
               "total": total, "reviewed": reviewed,
               "released": access_request.status == AccessRequest.Status.RELEASED,
               "crumbs": _request_crumbs(access_request)}
    context["may_release"] = total and reviewed == total and not context["released"]
    return render(request, "records/request.html", context)


def _decision_counts(items):
    return items.order_by().values("decision").annotate(n=Count("pk"))


@login_required
@require_POST
def collect_records(request: HttpRequest, pk: int) -> HttpResponse:
    """A records officer of the request's authority: gather the student's records into the checklist."""
    access_request = access.get_request_for_officer(request, pk)
    added = []
    # The message needs the count, known only once the change has run: it is rendered when it is shown.
    success = lazy(lambda: ngettext("%(count)d record collected.", "%(count)d records collected.", added[0])
                   % {"count": added[0]}, str)()
    attempt(request, lambda: added.append(services.request_collect(
        access_request=access_request, by=request.user, request=request)), success)
    return redirect("records:request", pk=access_request.pk)


def _neighbours(item: RequestItem):
    """The previous and next item on the checklist, and the next one still to review (after this one, then from
    the top)."""
    rows = list(_items(item.request).values_list("pk", "decision"))
    index = next((n for n, (pk, _decision) in enumerate(rows) if pk == item.pk), 0)
    previous_pk = rows[index - 1][0] if index > 0 else None
    next_pk = rows[index + 1][0] if index + 1 < len(rows) else None
    pending = [pk for pk, decision in rows[index + 1:] + rows[:index] if decision == PENDING]
    return {"previous_pk": previous_pk, "next_pk": next_pk, "next_pending_pk": pending[0] if pending else None,
            "number": index + 1, "count": len(rows)}


def _preview(rec, strikes, form=None) -> list[dict]:
    """The record's sections, each as (segment, struck) pairs with the passages marked so far, and the form's
    field for striking passages in it (None once answered, or for an uploaded file)."""
    sections = []
    for index, section in enumerate(rec.sections if rec else ()):
        passages = [strike.get("passage", "") for strike in strikes if strike.get("section") == index]
        try:
            segments = package.struck_segments(section.text, passages) if passages else [(section.text, False)]
        except (AttributeError, NotImplementedError):  # package.struck_segments is being written
            segments = [(section.text, False)]
        name = f"strike-{index}"
        field = form[name] if form is not None and name in form.fields else None
        sections.append({"heading": section.heading, "segments": segments, "field": field,
                         "marked": bool(passages)})
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A records officer of the request's authority: read one record and decide what is released of it."""
    item, rec = access.get_item_for_officer(request, pk)
    access_request = item.request
    released = access_request.status == AccessRequest.Status.RELEASED
    sections = rec.sections if rec is not None else ()
    form = None if released else ReviewForm(request.POST or None, item=item, sections=sections,
                                           record_gone=rec is None)
    around = _neighbours(item)
    status = 200
    if request.method == "POST":
        if released:
            messages.info(request, _("The request is answered; its review cannot change."))
            return redirect("records:item", pk=item.pk)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.item_review(
                    item=item, by=request.user, decision=data["decision"], legal_basis=data["legal_basis"],
                    reason=data["reason"], strikes=form.strikes(), request=request),
                    _("Your decision on “%(title)s” is saved.") % {"title": item.title}):
                if around["next_pending_pk"]:
                    return redirect("records:item", pk=around["next_pending_pk"])
                messages.info(request, _("Every record is reviewed."))
                return redirect("records:request", pk=access_request.pk)
        status = 400
    strikes = form.strikes() if form is not None and form.is_bound and form.is_valid() else item.strikes or []
    mark_items([item])
    context = {"item": item, "record": rec, "access_request": access_request, "released": released, "form": form,
               "sections": _preview(rec, strikes, form), "kind_label": kind_label(item.kind), **around,
               "crumbs": _request_crumbs(access_request, (item.title, reverse("records:item", args=[item.pk])))}
    return render(request, "records/item.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """A records officer of the request's authority: check the summary and release the answer."""
    access_request = access.get_request_for_officer(request, pk)
    if request.method == "POST":
        attempt(request, lambda: services.request_release(
            access_request=access_request, by=request.user, request=request),
            _("The answer is released. Download the package to send it."))
        return redirect("records:request", pk=access_request.pk)
    if access_request.status == AccessRequest.Status.RELEASED:
        messages.info(request, _("The request is answered."))
        return redirect("records:request", pk=access_request.pk)
    mark_deadlines([access_request])
    items = _items(access_request)
    counts = {row["decision"]: row["n"] for row in _decision_counts(items)}
    summary = [{"decision": value, "label": label, "count": counts.get(value, 0),
                "color": DECISION_COLORS.get(value, "neutral")}
               for value, label in RequestItem.Decision.choices]
    withheld = mark_items(list(items.exclude(decision__in=[PENDING, RequestItem.Decision.RELEASE])))
    context = {"access_request": access_request, "summary": summary, "withheld": withheld,
               "pending": counts.get(PENDING, 0), "total": sum(counts.values()),
               "crumbs": _request_crumbs(access_request, (_("Release the answer"),
                                                          reverse("records:release", args=[access_request.pk])))}
    return render(request, "records/release.html", context)


@login_required
@require_GET
def package_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The records officer, or the requester with a login (the student, a minor's guardian): the answer as PDF."""
    access_request = access.get_package_for(request, pk)
    return private_pdf_response(access_request.package.pdf, _download_title(access_request))


@login_required
@require_GET
def package_json(request: HttpRequest, pk: int) -> FileResponse:
    """The records officer, or the requester with a login: the same answer as machine-readable JSON."""
    access_request = access.get_package_for(request, pk)
    return json_response(access_request.package.data, _download_title(access_request))


def json_response(content, title: str) -> FileResponse:
    """A JSON file (a stored FieldFile, or bytes) as a private attachment browsers must not sniff or cache."""
    if isinstance(content, bytes):
        stream = BytesIO(content)
    else:
        try:
            stream = content.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
    filename = download_name(title).removesuffix(".pdf") + ".json"
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type="application/json")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
