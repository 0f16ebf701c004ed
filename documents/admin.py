"""Documents in the Django admin: metadata only, never the file; every view is logged.

Reading or downloading a document happens in the app, where access is
decided and the download logged. Download grants added or removed here go
through the same services as in the app, which log them.
"""

from django.contrib import admin

from audit.admin_logging import LoggedViewsMixin, ObjectGrantAdminMixin

from .models import DOWNLOAD_PERMISSION, Document, DocumentUserObjectPermission
from .services import document_grant, document_revoke


@admin.register(Document)
class DocumentAdmin(LoggedViewsMixin, admin.ModelAdmin):
    # No "file": its read-only display would be a link to the file.
    fields = ["title", "student", "visible_to_teachers", "size", "page_count", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    list_display = ["title", "student", "visible_to_teachers", "page_count", "uploaded_at"]
    list_filter = ["visible_to_teachers", "student__school"]
    search_fields = ["title", "student__first_name", "student__last_name"]
    list_select_related = ["student"]
    student_path = "student"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentUserObjectPermission)
class DocumentGrantAdmin(ObjectGrantAdminMixin, admin.ModelAdmin):
    """Per-document download grants: added and removed, never changed."""

    list_display = ["user", "content_object"]
    search_fields = ["user__username", "user__last_name", "content_object__title"]
    list_select_related = ["user", "content_object"]
    raw_id_fields = ["user", "content_object"]
    student_path = "content_object__student"
    log_object_type = "admin:document_grant"
    grant_permission = ("documents", "document", DOWNLOAD_PERMISSION)

    def grant(self, request, obj):
        document_grant(document=obj.content_object, user=obj.user, request=request)

    def revoke(self, request, obj):
        document_revoke(document=obj.content_object, user=obj.user, request=request)
