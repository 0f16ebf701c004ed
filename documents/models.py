"""A student's uploaded IOP documents (all years), stored sanitized outside any public URL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

DOWNLOAD_PERMISSION = "download_document"


def stored_name(document: "Document", filename: str) -> str:
    """A generated name: the user's file name never reaches the disk."""
    return f"documents/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """An uploaded PDF belonging to one student.

    Applications link documents as attachments with on_delete=PROTECT on their
    side, so a document attached to an application cannot be deleted.
    """

    student = models.ForeignKey("accounts.Student", verbose_name=_("student"), on_delete=models.PROTECT,
                                related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    visible_to_teachers = models.BooleanField(
        _("visible to subject teachers"),
        default=False,
        help_text=_("Teachers of the student may then read and download it."),
    )
    file = models.FileField(_("file"), upload_to=stored_name, max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        permissions = [(DOWNLOAD_PERMISSION, _("May download the document"))]

    def __str__(self):
        return self.title


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian rows: per-document download grants to named people."""

    content_object = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("download right of a user")
        verbose_name_plural = _("download rights of users")


class DocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("download right of a group")
        verbose_name_plural = _("download rights of groups")
