"""Access requests as staff and requesters meet them: the start page, registering a request, its receipt."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import log_students_listed, student_self
from accounts.feedback import attempt
from accounts.pagination import paginate

from .. import access, services
from ..forms import RequestForm, StudentSearchForm, search_students
from ..models import AccessRequest, RecordsSettings
from .common import crumbs, mark_deadlines

LIST_TYPE = "access_request_list"
RELEASED = AccessRequest.Status.RELEASED


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: a records officer's requests, a staff member's receipts, a requester's answers."""
    user = request.user
    context = {"is_officer": access.officer_authorities(user).exists(),
               "answered": request.GET.get("status") == RELEASED}
    listed = []
    if context["is_officer"]:
        context["authorities"] = list(access.officer_authorities(user).order_by("name"))
        visible = access.requests_visible_to(user).select_related("student__school", "registered_by")
        if context["answered"]:
            rows = paginate(request, visible.filter(status=RELEASED).order_by("-released_on", "-pk"))
        else:
            rows = paginate(request, visible.exclude(status=RELEASED).order_by("deadline_on", "pk"))
        context["officer_rows"] = rows
        context["officer_page"] = mark_deadlines(list(rows.page.object_list))
        listed += [row.student for row in context["officer_page"]]
    context["may_register"] = access.students_for_registration(user).exists()
    receipts = paginate(request, access.requests_registered_by(user).select_related("student")
                        .order_by("-received_on", "-pk"), key="receipts", per_page=20)
    context["receipts"] = receipts
    context["receipt_page"] = mark_deadlines(list(receipts.page.object_list))
    listed += [row.student for row in context["receipt_page"]]
    context["answers"] = list(access.packages_for_requester(user).select_related("student", "package")
                              .order_by("-released_on", "-pk"))
    # An adult student downloads their own dossier (records.access.get_student_for_dossier).
    context["own_dossier"] = next((student for student in student_self(user) if student.is_adult()), None)
    context["nothing"] = not (context["is_officer"] or context["may_register"] or context["receipt_page"]
                              or context["answers"] or context["own_dossier"])
    students = {student.pk: student for student in listed}
    log_students_listed(request, students.values(), object_type=LIST_TYPE)
    return render(request, "records/home.html", context)


@login_required
@require_safe
def register_student(request: HttpRequest) -> HttpResponse:
    """Staff of a school (teacher, IOP admin, principal): choose the student a request they received is about."""
    allowed = access.students_for_registration(request.user)
    if not allowed.exists():
        raise Http404
    form = StudentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = search_students(allowed, query).select_related("school").order_by("group", "last_name", "first_name", "pk")
    # A list of names (not of records): not logged.
    context = {"form": form, "query": query, "students": paginate(request, found),
               "heading": _("Register an access request"),
               "intro": _("Which student is the request about? Choose the student to fill in the request."),
               "here": "records:register_student", "open": "records:register",
               "open_label": _("register an access request"),
               "crumbs": crumbs((_("Register an access request"), reverse("records:register_student")))}
    return render(request, "records/student_search.html", context)


def _deadline_days(authority) -> tuple[int, int]:
    """The authority's deadlines (a data subject, anyone else), in days."""
    try:
        row = authority.records_settings if authority else None
    except RecordsSettings.DoesNotExist:
        row = None
    return (row.subject_deadline_days, row.other_deadline_days) if row else (30, 30)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Staff of the student's school: register an access request they received; it goes to the records officer."""
    student = access.get_student_for_registration(request, student_pk)
    form = RequestForm(request.POST or None, student=student)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data, created = form.cleaned_data, []
            if attempt(request, lambda: created.append(services.request_register(
                    student=student, requester_kind=data["requester_kind"], requester_name=data["requester_name"],
                    requester_user=data["requester_user"], relation=data["relation"], asked_for=data["asked_for"],
                    received_on=data["received_on"], by=request.user, request=request)),
                    _("The access request is registered and sent to the records officer.")):
                return redirect("records:receipt", pk=created[0].pk)
        status = 400
    authority = access.authority_of(student)
    subject_days, other_days = _deadline_days(authority)
    here = reverse("records:register", args=[student.pk])
    context = {"student": student, "form": form, "authority": authority, "subject_days": subject_days,
               "other_days": other_days,
               "crumbs": crumbs((_("Register an access request"), reverse("records:register_student")),
                                (student.full_name, here))}
    return render(request, "records/register.html", context, status=status)


@login_required
@require_safe
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member who registered the request, and the records officer: its status and deadline."""
    access_request = access.get_receipt_for(request, pk)
    mark_deadlines([access_request])
    context = {"access_request": access_request,
               "is_officer": access.is_records_officer(request.user, access_request.authority),
               "crumbs": crumbs((_("Receipt for %(request)s") % {"request": access_request},
                                 reverse("records:receipt", args=[access_request.pk])))}
    return render(request, "records/receipt.html", context)
