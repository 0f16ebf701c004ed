"""The school's batches (samlesøknader): create, fill with approved applications, download, mark sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access as accounts_access
from accounts.access import log_students_listed, students_administered_by
from accounts.exceptions import Refused
from accounts.feedback import attempt
from accounts.forms import StudentFilterForm
from documents.downloads import private_pdf_response

from .. import access, services
from ..access import MANAGE
from ..batch_pdf import batch_pdf_file
from ..forms import BatchCreateForm, SentOnForm
from ..models import Authority, SchoolBatch


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest, school_pk: int) -> HttpResponse:
    """IOP admin of the school: the school's batches, and a new one."""
    school = accounts_access.get_school_for_admin(request, school_pk)
    form = BatchCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = services.batch_create(school=school, request=request, **form.cleaned_data)
        messages.success(request, _("The batch “%(name)s” was created.") % {"name": batch.name})
        return redirect("applications:batch_detail", pk=batch.pk)
    batches = school.batches.select_related("authority").annotate(application_count=Count("applications"))
    return render(request, "applications/batches/batch_list.html", {
        "school": school, "batches": batches, "form": form, "has_authorities": Authority.objects.exists(),
    })


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin of the batch's school: its applications, the candidates, download and send."""
    batch = access.get_batch_for(request, pk)
    return render_detail(request, batch, SentOnForm(initial={"sent_on": timezone.localdate()}))


def render_detail(request: HttpRequest, batch: SchoolBatch, send_form: SentOnForm, status: int = 200):
    applications = list(batch.applications.select_related("student"))
    log_students_listed(request, [a.student for a in applications], object_type="school_batch", object_id=batch.pk)
    context = {"batch": batch, "send_form": send_form, "school": batch.school, "applications": applications}
    if not batch.is_sent:
        candidates = services.batch_candidates(batch=batch).select_related("student")
        groups = candidates.order_by("student__group").values_list("student__group", flat=True).distinct()
        filter_form = StudentFilterForm(request.GET or None, groups=groups)
        students = filter_form.filter(students_administered_by(request.user).filter(school=batch.school))
        context.update(filter_form=filter_form, candidates=candidates.filter(student__in=students),
                       any_candidates=candidates.exists(), filter_query=request.GET.urlencode())
    return render(request, "applications/batches/batch_detail.html", context, status=status)


@login_required
@require_POST
def batch_add(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    """IOP admin of the batch's school: add an approved application that is in no batch."""
    batch = access.get_batch_for(request, pk)
    application = access.get_application_for(request, application_pk, MANAGE)
    attempt(request, lambda: services.batch_add(batch=batch, application=application, request=request),
            _("%(student)s was added.") % {"student": application.student.full_name})
    return back_to_detail(request, batch)


@login_required
@require_POST
def batch_remove(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    """IOP admin of the batch's school: take an application out of the unsent batch."""
    batch = access.get_batch_for(request, pk)
    application = access.get_application_for(request, application_pk, MANAGE)
    attempt(request, lambda: services.batch_remove(batch=batch, application=application, request=request),
            _("%(student)s was removed.") % {"student": application.student.full_name})
    return back_to_detail(request, batch)


def back_to_detail(request: HttpRequest, batch: SchoolBatch) -> HttpResponse:
    """The detail page with the candidate filter the user had (carried in the form's action URL)."""
    url = reverse("applications:batch_detail", args=[batch.pk])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def batch_send(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin of the batch's school: record the sent date, which locks the batch."""
    batch = access.get_batch_for(request, pk)
    form = SentOnForm(request.POST)
    if not form.is_valid():
        return render_detail(request, batch, form)
    sent = attempt(request, lambda: services.batch_send(batch=batch, on=form.cleaned_data["sent_on"], by=request.user,
                                                        request=request),
                   _("The batch was marked as sent. Its applications are now under processing."))
    if sent:
        _freeze_pdf(request, batch)
    return redirect("applications:batch_detail", pk=batch.pk)


def _freeze_pdf(request: HttpRequest, batch: SchoolBatch) -> None:
    """Build the file now, with the sent date on its cover: from here on it is what was sent."""
    try:
        batch_pdf_file(batch)
    except Refused as refusal:
        messages.warning(request, refusal.message)


@login_required
@require_GET
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin of the batch's school: the batch as one PDF, every application with its attachments."""
    batch = access.get_batch_for(request, pk)
    try:
        stored = batch_pdf_file(batch).open("rb")
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("applications:batch_detail", pk=batch.pk)
    except FileNotFoundError:
        raise Http404 from None
    # The PDF holds every student's application: each student's log shows the download.
    students = [application.student for application in batch.applications.select_related("student")]
    log_students_listed(request, students, object_type="school_batch", object_id=batch.pk, event="downloaded",
                        detail=batch.name)
    return private_pdf_response(stored, batch.name)
