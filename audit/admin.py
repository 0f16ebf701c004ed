"""The access log in the Django admin: read-only, for superusers only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "who", "action", "object_type", "object_id", "student", "school", "client_address"]
    list_filter = ["action", "object_type", "school"]
    date_hierarchy = "at"
    search_fields = ["username", "detail", "object_id"]
    list_select_related = ["user", "student", "school"]
    actions = None
    show_full_result_count = False  # a large table: spare the second COUNT(*)

    @admin.display(description=_("user"), ordering="username")
    def who(self, event: AccessEvent) -> str:
        return str(event.user) if event.user else event.username or "–"

    # The log shows who looked at which child: superusers only, and nobody may
    # add, change or delete an event (the model refuses too).
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
