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
    with transaction.atomic():
        _delete(document)
        record(request, action="deleted", object_type="document", object_id=pk, student=document.student,
               detail=title)


def erase_for_retention(*, document_ids=()) -> int:
    """Delete these documents, their download grants and (once committed) their files; return how many.
    Unknown ids are skipped. A document still attached to an application raises DocumentInUse.

    For the records service's destruction only: it has decided access and logs each destruction, so
    nothing is logged here.
    """
    with transaction.atomic():
        return sum(_delete(document) for document in Document.objects.filter(pk__in=list(document_ids)))


def _delete(document: Document) -> int:
    """Delete the row (its download grants cascade) and, once committed, its file. Nothing is logged."""
    stored = document.file
    try:
        with transaction.atomic():
            _total, by_model = document.delete()
    except ProtectedError:
        raise DocumentInUse from None
    transaction.on_commit(lambda: stored.delete(save=False))
    return by_model.get(Document._meta.label, 0)


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
