from django.contrib import admin

from .models import Application, ApplicationAttachment, ApplicationSubject, Authority, DecidedSubject, Decision, SchoolBatch


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ApplicationSubjectInline(admin.TabularInline):
    model = ApplicationSubject
    extra = 0


class ApplicationAttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    raw_id_fields = ["document"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """For system administrators; schools work through the app, where transitions are checked."""

    list_display = ["student", "school_year", "status", "batch", "sent_on", "approved_at"]
    list_filter = ["status", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name"]
    list_select_related = ["student", "school_year", "batch"]
    raw_id_fields = ["student", "batch", "approved_by", "created_by"]
    readonly_fields = ["status", "approved_by", "approved_at", "approved_hash", "snapshot", "sent_on"]
    inlines = [ApplicationSubjectInline, ApplicationAttachmentInline]


@admin.register(SchoolBatch)
class SchoolBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "authority", "sent_on", "created_at"]
    list_filter = ["school", "authority"]
    search_fields = ["name"]
    readonly_fields = ["sent_on", "pdf", "pdf_hash"]


class DecidedSubjectInline(admin.TabularInline):
    model = DecidedSubject
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["student", "school_year", "outcome", "decided_on", "reference"]
    list_filter = ["outcome", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name", "reference"]
    raw_id_fields = ["student", "application", "registered_by"]
    inlines = [DecidedSubjectInline]
