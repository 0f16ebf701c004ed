"""A student's dossier: everything the app holds about the student, for the records officer (and an adult
student's own), downloaded as the same PDF/A + JSON package an answer is, without a secrecy review."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from accounts.pagination import paginate
from documents.downloads import private_pdf_response

from .. import access, collect, package
from ..forms import StudentSearchForm, search_students
from .common import crumbs, kind_label
from .review import json_response

FORMATS = ("pdf", "json")


@login_required
@require_safe
def dossier_students(request: HttpRequest) -> HttpResponse:
    """A records officer: find the student whose dossier to open, among the schools of the officer's authorities."""
    if not access.officer_authorities(request.user).exists():
        raise Http404
    allowed = access.dossier_students_for(request.user)
    form = StudentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = search_students(allowed, query).select_related("school").order_by(
        "school__name", "group", "last_name", "first_name", "pk")
    # A list of names (not of records): not logged.
    context = {"form": form, "query": query, "students": paginate(request, found),
               "heading": _("A student's dossier"),
               "intro": _("Everything the app holds about one student, for your own work as records officer. To "
                          "answer a request, register it and review each record instead."),
               "here": "records:dossier_students", "open": "records:dossier", "open_label": _("dossier"),
               "crumbs": crumbs((_("A student's dossier"), reverse("records:dossier_students")))}
    return render(request, "records/student_search.html", context)


@login_required
@require_safe
def dossier(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The records officer of the student's authority, or an adult student: what the dossier holds; download it."""
    student = access.get_student_for_dossier(request, student_pk, event="viewed")
    is_officer = access.is_records_officer(request.user, access.authority_of(student))
    records = [{"record": rec, "kind_label": kind_label(rec.kind), "file": rec.file is not None}
               for rec in collect.records_of(student, confidential=is_officer)]
    here = reverse("records:dossier", args=[student.pk])
    trail = ((_("A student's dossier"), reverse("records:dossier_students")), (student.full_name, here)) \
        if is_officer else ((_("Your dossier"), here),)
    context = {"student": student, "records": records, "is_officer": is_officer, "crumbs": crumbs(*trail)}
    return render(request, "records/dossier.html", context)


@login_required
@require_GET
def dossier_download(request: HttpRequest, student_pk: int, fmt: str) -> HttpResponse:
    """The records officer of the student's authority, or an adult student: the whole dossier as PDF or JSON."""
    if fmt not in FORMATS:
        raise Http404
    student = access.get_student_for_dossier(request, student_pk)
    is_officer = access.is_records_officer(request.user, access.authority_of(student))
    built = package.dossier(student, by=request.user, confidential=is_officer)
    title = _("Dossier – %(name)s – %(day)s") % {"name": student.full_name, "day": timezone.localdate().isoformat()}
    if fmt == "pdf":
        return private_pdf_response(built.pdf, title)
    return json_response(built.json, title)
