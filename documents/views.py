"""A student's IOP documents: list, upload, change, share, delete, download."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import router
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from guardian.shortcuts import get_users_with_perms

from accounts.access import Role

from . import access
from .access import MANAGE, READ, SHARING
from .downloads import private_pdf_response
from .forms import DocumentEditForm, DocumentUploadForm, GrantForm
from .models import DOWNLOAD_PERMISSION, Document
from .services import DocumentInUse, document_create, document_delete, document_grant, document_revoke, document_update

FAMILY = "family"  # the POST field of the documents page's one-click grant to the student and guardians


@login_required
@require_GET
def student_documents(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Admin: all documents; teacher: those visible to teachers; others: those granted to them."""
    student, roles = access.get_student_for(request, student_pk, READ)
    documents = list(access.documents_visible_to(request.user, student, roles).select_related("uploaded_by"))
    is_admin = Role.IOP_ADMIN in roles
    family = access.family_access(student, documents) if is_admin else []
    for document in documents:
        document.family_can = [person for person, ids in family if document.pk in ids]
        document.family_cannot = [person for person, ids in family if document.pk not in ids]
    return render(
        request,
        "documents/student_documents.html",
        {"student": student, "documents": documents, "is_admin": is_admin, "family": family,
         "may_manage": access.may_manage(student, roles)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Admin: upload a PDF for the student."""
    student, _roles = access.get_student_for(request, student_pk, MANAGE)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = document_create(
            student=student,
            title=form.cleaned_data["title"],
            visible_to_teachers=form.cleaned_data["visible_to_teachers"],
            pdf=form.sanitized,
            by=request.user,
            request=request,
        )
        messages.success(request, _("The document “%(title)s” was uploaded.") % {"title": document.title})
        return redirect("documents:student_documents", student_pk=student.pk)
    return render(request, "documents/document_upload.html", {"student": student, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin: change the title and the visibility to teachers."""
    document = access.get_document_for(request, pk, MANAGE)
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        document_update(document=document, request=request, **form.cleaned_data)
        messages.success(request, _("The document was saved."))
        return redirect("documents:student_documents", student_pk=document.student_id)
    return render(request, "documents/document_edit.html", {"document": document, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def document_grants(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin: see who may download the document and give that right to one more person (not once archived)."""
    document = access.get_document_for(request, pk, MANAGE if request.method == "POST" else SHARING)
    if request.method == "POST" and FAMILY in request.POST:
        return _grant_to_family(request, document)
    form = GrantForm(request.POST or None, student=document.student)
    if request.method == "POST" and form.is_valid():
        grantee = form.cleaned_data["grantee"]
        document_grant(document=document, user=grantee, request=request)
        messages.success(request, _("%(name)s may now download the document.") % {"name": grantee})
        return redirect("documents:document_grants", pk=document.pk)
    grantees = get_users_with_perms(document, only_with_perms_in=[DOWNLOAD_PERMISSION], with_group_users=False)
    return render(
        request,
        "documents/document_grants.html",
        {"document": document, "form": form, "grantees": grantees.order_by("last_name", "first_name"),
         "may_grant": access.is_changeable(document.student)},
    )


def _grant_to_family(request: HttpRequest, document: Document) -> HttpResponse:
    """The one-click grant from the documents page: the student's and the guardians' logins."""
    for person in access.family_recipients(document.student):
        document_grant(document=document, user=person, request=request)
    messages.success(request, _("The student and the guardians may now download “%(title)s”.")
                     % {"title": document.title})
    return redirect("documents:student_documents", student_pk=document.student_id)


@login_required
@require_POST
def document_revoke_view(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Admin: take back one person's right to download the document (also once archived)."""
    document = access.get_document_for(request, pk, SHARING)
    person = get_object_or_404(get_user_model(), pk=user_pk)
    document_revoke(document=document, user=person, request=request)
    messages.success(request, _("%(name)s may no longer download the document.") % {"name": person})
    return redirect("documents:document_grants", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin: confirm (GET) and delete (POST) a document not attached to an application."""
    document = access.get_document_for(request, pk, MANAGE)
    if request.method == "GET":
        return render(request, "documents/document_delete.html",
                      {"document": document, "held_by": _held_by(document)})
    student, title = document.student, document.title
    try:
        document_delete(document=document, request=request)
    except DocumentInUse:
        messages.error(
            request,
            _("“%(title)s” is attached to the student's application. Remove it from the application first.")
            % {"title": title},
        )
        return redirect("documents:student_documents", student_pk=student.pk)
    messages.success(request, _("The document “%(title)s” was deleted.") % {"title": title})
    return redirect("documents:student_documents", student_pk=student.pk)


def _held_by(document) -> list:
    """What keeps the document from being deleted (an application's attachment), found the way a
    delete would find it but without deleting; this app does not know the apps above it."""
    try:
        Collector(using=router.db_for_write(Document)).collect([document])
    except ProtectedError as protected:
        return sorted(protected.protected_objects, key=str)
    return []


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Whoever may see the document: download it as an attachment."""
    document = access.get_document_for(request, pk, READ, event="downloaded")
    return private_pdf_response(document.file, document.title)

