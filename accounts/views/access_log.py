"""A student's access log: who has seen or changed the student's records."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from audit.selectors import events_for_student

from .. import access
from ..pagination import paginate


@login_required
@require_GET
def student_access_log(request: HttpRequest, student_pk: int) -> HttpResponse:
    """IOP admin of the student's school: every event about the student, newest first."""
    student = access.get_student_for_admin(request, student_pk)
    paged = paginate(request, events_for_student(student.pk))
    # A link by name, not an import: the documents page is where this page is opened from.
    back_url = reverse("documents:student_documents", args=[student.pk])
    return render(request, "audit/student_events.html", {"student": student, "page": paged.page, "paged": paged,
                                                         "back_url": back_url})
