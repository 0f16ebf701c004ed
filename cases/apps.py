from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("Person cases")

    def ready(self):
        # A student marked as leaving by hand while cases are open needs a confirmation (accounts.leaving).
        from accounts import leaving

        from .selectors import open_cases_on_leaving

        leaving.add_check(open_cases_on_leaving)
