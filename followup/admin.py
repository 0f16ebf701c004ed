"""The IKO rule thresholds of a county or municipality (no student data; the IKO records stay in the app)."""

from django.contrib import admin

from .models import RuleSettings


@admin.register(RuleSettings)
class RuleSettingsAdmin(admin.ModelAdmin):
    list_display = ["owner_name", "first_choice_average_below", "lower_choice_average_at_most", "absence_over_percent"]
    search_fields = ["owner_name"]
