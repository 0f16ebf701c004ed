"""IOPs in the Django admin, for system administrators: every view and change is logged.

The publication stage and the version counters are read-only here: stages
change in the app, where the change is checked and logged, and the versions
belong to the app's check for stale edits.
"""

from django.contrib import admin

from audit.admin_logging import LoggedAdminMixin

from .models import AnnexRow, Goal, LogEntry, Plan, PlanSubject


class PlanSubjectInline(admin.TabularInline):
    model = PlanSubject
    extra = 0
    fields = ["subject", "position", "extent", "goals_done", "half_year_done", "annual_done",
              "half_year_version", "annual_version"]
    readonly_fields = ["half_year_version", "annual_version"]


@admin.register(Plan)
class PlanAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["student", "school_year", "stage", "changed_at"]
    list_filter = ["stage", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name"]
    list_select_related = ["student", "school_year"]
    raw_id_fields = ["student", "decision"]
    readonly_fields = ["stage", "part1_version", "report_version", "created_by"]
    inlines = [PlanSubjectInline]
    student_path = "student"


@admin.register(Goal)
class GoalAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["plan_subject", "position", "competence_goal"]
    search_fields = ["competence_goal", "plan_subject__plan__student__last_name"]
    raw_id_fields = ["plan_subject"]
    list_select_related = ["plan_subject__subject"]
    readonly_fields = ["version"]
    student_path = "plan_subject__plan__student"


@admin.register(LogEntry)
class LogEntryAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "created_by", "created_at", "changed_by", "changed_at"]
    search_fields = ["text", "plan__student__last_name"]
    raw_id_fields = ["plan", "created_by", "changed_by"]
    list_select_related = ["plan__student", "plan__school_year", "created_by", "changed_by"]
    readonly_fields = ["version"]
    student_path = "plan__student"


@admin.register(AnnexRow)
class AnnexRowAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "position", "subject_topic", "year", "extent"]
    search_fields = ["subject_topic", "plan__student__last_name"]
    raw_id_fields = ["plan"]
    list_select_related = ["plan__student", "plan__school_year"]
    student_path = "plan__student"
