from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The versions of the texts people write in an IOP and an application (django-simple-history)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "history"
    verbose_name = _("Text history")
