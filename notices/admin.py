"""The Django admin: who was told what, and the e-mails that could not be delivered (never lost silently)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from . import services
from .models import Notice, Preference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Delivery, not content: the student's first name and the link stay out of the admin."""

    list_display = ["created_at", "user", "event", "email_state", "attempts", "last_error", "read_at"]
    list_filter = ["email_state", "event", "created_at"]
    show_facets = admin.ShowFacets.ALWAYS  # the count of failed e-mails beside the filter
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "created_at"
    fields = ["user", "event", "key", "created_at", "read_at", "email_state", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    actions = ["retry_email"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        failed = Notice.objects.filter(email_state=Notice.EmailState.FAILED).count()
        if failed:
            self.message_user(request, ngettext(
                "%(count)d notice e-mail could not be delivered: filter on “Failed”, then send it again.",
                "%(count)d notice e-mails could not be delivered: filter on “Failed”, then send them again.",
                failed) % {"count": failed}, messages.WARNING)
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Send the failed e-mails again"))
    def retry_email(self, request, queryset):
        retried = sum(services.notice_retry_email(notice_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.",
                                            retried) % {"count": retried})


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
