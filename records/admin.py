"""A system administrator gives the records-officer role per county or municipality, and sets its deadlines
and complaint text. Access requests themselves are handled in the app, never here."""

from django.contrib import admin

from .models import RecordsOfficer, RecordsSettings
from .services import officer_grant, officer_revoke


@admin.register(RecordsOfficer)
class RecordsOfficerAdmin(admin.ModelAdmin):
    """Grants are added and removed (each logged), never changed."""

    list_display = ["user", "authority", "granted_at"]
    list_filter = ["authority"]
    search_fields = ["user__username", "user__last_name", "authority__name"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = officer_grant(authority=obj.authority, user=obj.user, request=request)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        officer_revoke(grant=obj, request=request)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            officer_revoke(grant=grant, request=request)


@admin.register(RecordsSettings)
class RecordsSettingsAdmin(admin.ModelAdmin):
    list_display = ["authority", "subject_deadline_days", "other_deadline_days"]
