"""Storing, changing and sharing a student's documents. Each change writes its access-log event."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from guardian.shortcuts import assign_perm, remove_perm

from audit.log import record

from .models import DOWNLOAD_PERMISSION, Document, DocumentUserObjectPermission
from .sanitize import SanitizedPdf


class DocumentInUse(Exception):
    """The document is attached to something (an application) that protects it."""


def document_create(*, student, title: str, visible_to_teachers: bool, pdf: SanitizedPdf, by,
                    request=None) -> Document:
    document = Document(
        student=student,
        title=title,
        visible_to_teachers=visible_to_teachers,
        size=pdf.size,
        page_count=pdf.page_count,
        sha256=pdf.sha256,
        uploaded_by=by,
    )
    # The file is written first; if the row cannot be saved, the file goes too,
    # so a failure never leaves half a document behind.
    document.file.save("upload.pdf", ContentFile(pdf.content), save=False)
    try:
        with transaction.atomic():
            document.save()
            record(request, action="created", object_type="document", object_id=document.pk, student=student,
                   detail=title)
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_update(*, document: Document, request=None, **values) -> None:
    """Change the title or the visibility to teachers."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(document, name, value)
        document.save(update_fields=list(values))
        record(request, action="changed", object_type="document", object_id=document.pk, student=document.student,
               detail=document.title)


def document_delete(*, document: Document, request=None) -> None:
    pk, title = document.pk, document.title
    try:
        with transaction.atomic():
            document.delete()
            record(request, action="deleted", object_type="document", object_id=pk, student=document.student,
                   detail=title)
    except ProtectedError:
        raise DocumentInUse from None
    stored = document.file
    transaction.on_commit(lambda: stored.delete(save=False))


def document_grant(*, document: Document, user, request=None) -> None:
    """Let one more named person download the document (docs/architecture.md §4: a grant only narrows)."""
    grants = DocumentUserObjectPermission.objects.filter(user=user, content_object=document)
    if grants.filter(permission__codename=DOWNLOAD_PERMISSION).exists():
        return  # nothing changes, nothing to log
    with transaction.atomic():
        assign_perm(DOWNLOAD_PERMISSION, user, document)
        record(request, action="granted", object_type="document", object_id=document.pk, student=document.student,
               detail=user.username)


def document_revoke(*, document: Document, user, request=None) -> None:
    with transaction.atomic():
        remove_perm(DOWNLOAD_PERMISSION, user, document)
        record(request, action="revoked", object_type="document", object_id=document.pk, student=document.student,
               detail=user.username)
