"""The Django admin shows person-case metadata at most (DESIGN §4): never a description, an event or a
closing note. Case types are edited here too; the case creators edit them in the app."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_logging import LoggedViewsMixin

from .models import Case, CaseType


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "active"]
    list_filter = ["school", "active"]
    search_fields = ["name", "school__name"]


@admin.register(Case)
class CaseAdmin(LoggedViewsMixin, admin.ModelAdmin):
    """Read-only metadata: which cases exist, whose, handled by whom, open or closed."""

    list_display = ["pk", "student", "school", "case_type", "category", "handler", "status", "opened_on",
                    "closed_on"]
    list_filter = ["school", "status", "category"]
    fields = ["student", "school", "case_type", "category", "handler", "status", "opened_on", "closed_on"]
    readonly_fields = fields
    student_path = "card__student"
    school_path = "school"
    log_object_type = "person_case_admin"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("card__student", "school", "case_type", "handler")

    @admin.display(description=_("student"))
    def student(self, case):
        return case.card.student

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
