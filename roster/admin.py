"""Results from the school system in the Django admin (read-only: the import is their one source)."""

from django.contrib import admin

from audit.admin_logging import LoggedAdminMixin

from .models import Absence, Admission, Grade


class ImportedAdmin(LoggedAdminMixin, admin.ModelAdmin):
    student_path = "student"
    list_select_related = ["student"]
    search_fields = ["student__first_name", "student__last_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Grade)
class GradeAdmin(ImportedAdmin):
    list_display = ["student", "subject", "school_year", "term", "grade"]
    list_filter = ["term", "school_year"]


@admin.register(Absence)
class AbsenceAdmin(ImportedAdmin):
    list_display = ["student", "period_start", "period_end", "subject_code", "kind", "percent"]
    list_filter = ["kind"]


@admin.register(Admission)
class AdmissionAdmin(ImportedAdmin):
    list_display = ["student", "school_year", "grade_average", "choice"]
    list_filter = ["choice", "school_year"]
