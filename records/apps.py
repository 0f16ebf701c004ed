from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = _("Records duties")

    def ready(self):
        # A records officer reads every record of the students of a county: a role on student data.
        from accounts import second_factor

        from .access import is_officer_anywhere

        second_factor.add_role_check(is_officer_anywhere)
