"""Applications, batches and decisions in the Django admin: every view and change is logged."""

from django.contrib import admin

from audit.admin_logging import LoggedAdminMixin

from .models import Application, ApplicationAttachment, ApplicationSubject, Authority, DecidedSubject, Decision, SchoolBatch

# What an approver approved (Application.content_hash): frozen once approved.
APPROVED_CONTENT = ["student", "school_year", "expert_assessment_date", "expert_assessment_by",
                    "expert_assessment_summary", "student_goal", "other_information"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class FrozenOnceApprovedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


class ApplicationSubjectInline(FrozenOnceApprovedInline):
    model = ApplicationSubject


class ApplicationAttachmentInline(FrozenOnceApprovedInline):
    model = ApplicationAttachment
    raw_id_fields = ["document"]


@admin.register(Application)
class ApplicationAdmin(LoggedAdminMixin, admin.ModelAdmin):
    """For system administrators; schools work through the app, where transitions are checked."""

    list_display = ["student", "school_year", "status", "batch", "sent_on", "approved_at"]
    list_filter = ["status", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name"]
    list_select_related = ["student", "school_year", "batch"]
    raw_id_fields = ["student", "batch"]
    readonly_fields = ["status", "created_by", "approved_by", "approved_at", "approved_hash", "snapshot", "sent_on"]
    inlines = [ApplicationSubjectInline, ApplicationAttachmentInline]
    student_path = "student"

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Changed content would no longer match the approved hash and snapshot; the batch moves only
        # through the batch pages, which check that it is unsent.
        return fields if obj is None or obj.is_editable else [*fields, *APPROVED_CONTENT, "batch"]


@admin.register(SchoolBatch)
class SchoolBatchAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "school", "authority", "sent_on", "created_at"]
    list_filter = ["school", "authority"]
    search_fields = ["name"]
    list_select_related = ["school", "authority"]
    readonly_fields = ["sent_on", "pdf", "pdf_hash"]
    school_path = "school"


class DecidedSubjectInline(admin.TabularInline):
    model = DecidedSubject
    extra = 0


@admin.register(Decision)
class DecisionAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["student", "school_year", "outcome", "decided_on", "reference"]
    list_filter = ["outcome", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name", "reference"]
    list_select_related = ["student", "school_year"]
    raw_id_fields = ["student", "application"]
    readonly_fields = ["registered_by"]
    inlines = [DecidedSubjectInline]
    student_path = "student"
