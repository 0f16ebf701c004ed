from django.contrib import admin

from .models import AnnexRow, Goal, LogEntry, Plan, PlanSubject


class PlanSubjectInline(admin.TabularInline):
    model = PlanSubject
    extra = 0
    fields = ["subject", "position", "extent", "goals_done", "half_year_done", "annual_done"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["student", "school_year", "stage", "changed_at"]
    list_filter = ["stage", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name"]
    list_select_related = ["student", "school_year"]
    raw_id_fields = ["student", "decision", "created_by"]
    inlines = [PlanSubjectInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["plan_subject", "position", "competence_goal"]
    search_fields = ["competence_goal", "plan_subject__plan__student__last_name"]
    raw_id_fields = ["plan_subject"]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["plan", "created_by", "created_at", "changed_by", "changed_at"]
    search_fields = ["text", "plan__student__last_name"]
    raw_id_fields = ["plan", "created_by", "changed_by"]


@admin.register(AnnexRow)
class AnnexRowAdmin(admin.ModelAdmin):
    list_display = ["plan", "position", "subject_topic", "year", "extent"]
    search_fields = ["subject_topic", "plan__student__last_name"]
    raw_id_fields = ["plan"]
