"""Approval by the student or a guardian (workflow step 2): read the published application, approve it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.exceptions import Refused
from accounts.feedback import attempt
from documents.access import documents_visible_to

from .. import access, services
from ..access import APPROVE, READ
from ..forms import ApprovalForm, CommentForm
from ..models import Application


@login_required
@require_GET
def application_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Student and guardians (once published) and the IOP admin: read the application; approvers approve."""
    application = access.get_application_for(request, pk, READ)
    return _read_page(request, application)


def _read_page(request: HttpRequest, application: Application, comment_form: CommentForm | None = None):
    student = application.student
    flags = access.approval_flags(request.user, application)
    can_approve = flags["can_approve"]
    content = {"content_hash": application.content_hash()} if can_approve else None
    attachments = _attachment_rows(request, application, flags["roles"])
    context = {
        "application": application,
        "student": student,
        "subjects": application.subjects.select_related("subject"),
        "attachments": attachments,
        "any_not_shared": any(not row["downloadable"] for row in attachments),
        "can_approve": can_approve,
        "form": ApprovalForm(initial=content) if can_approve else None,
        "comment_form": comment_form or (CommentForm(initial=content) if can_approve else None),
        "my_comments": application.comments.filter(by=request.user),
        "decision": getattr(application, "decision", None),
        "guardian_approves": flags["guardian_approves"],
        "approver_is_student": bool(application.approved_by_id) and application.approved_by_id == student.user_id,
    }
    return render(request, "applications/approval/application_read.html", context)


def _attachment_rows(request: HttpRequest, application: Application, roles) -> list[dict]:
    """Every attachment by title; downloadable only where the reader may download that document."""
    downloadable = set(
        documents_visible_to(request.user, application.student, roles).values_list("pk", flat=True)
    )
    return [
        {"document": attachment.document, "downloadable": attachment.document_id in downloadable}
        for attachment in application.attachments.select_related("document")
    ]


@login_required
@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The adult student or a guardian of a minor: approve that the school sends the application."""
    application = access.get_application_for(request, pk, APPROVE)
    form = ApprovalForm(request.POST)
    if not form.is_valid() or form.cleaned_data["content_hash"] != application.content_hash():
        messages.error(request, _("The application changed after you opened it. Read it again, then approve."))
        return redirect("applications:application_read", pk=application.pk)
    try:
        services.application_approve(
            application=application, by=request.user, content_hash=form.cleaned_data["content_hash"], request=request
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("applications:application_read", pk=application.pk)
    messages.success(request, _("Thank you. You have approved that the school sends the application."))
    return redirect("applications:application_read", pk=application.pk)


@login_required
@require_POST
def application_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The adult student or a guardian of a minor: instead of approving, disagree or ask the school."""
    application = access.get_application_for(request, pk, APPROVE)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _read_page(request, application, comment_form=form)
    attempt(request, lambda: services.application_comment(
        application=application, by=request.user, request=request, **form.cleaned_data,
    ), _("Thank you. The school has your answer and will contact you. The application is not approved."))
    return redirect("applications:application_read", pk=application.pk)
