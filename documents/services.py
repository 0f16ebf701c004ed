"""Storing, changing and sharing a student's documents."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from guardian.shortcuts import assign_perm, remove_perm

from .models import DOWNLOAD_PERMISSION, Document
from .sanitize import SanitizedPdf


class DocumentInUse(Exception):
    """The document is attached to something (an application) that protects it."""


def document_create(*, student, title: str, visible_to_teachers: bool, pdf: SanitizedPdf, by) -> Document:
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
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_delete(*, document: Document) -> None:
    try:
        with transaction.atomic():
            document.delete()
    except ProtectedError:
        raise DocumentInUse from None
    stored = document.file
    transaction.on_commit(lambda: stored.delete(save=False))


def document_grant(*, document: Document, user) -> None:
    assign_perm(DOWNLOAD_PERMISSION, user, document)


def document_revoke(*, document: Document, user) -> None:
    remove_perm(DOWNLOAD_PERMISSION, user, document)
