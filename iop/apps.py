from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    """The IOP itself: plan part 1 and 2, assessments, log, annual report, certificate annex."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "iop"
    verbose_name = _("IOP")

    def ready(self):
        # The documents page shows which documents the family can open once they see the IOP; the
        # documents app sits below this one, so the rule of who sees an IOP is handed to it here.
        from documents import access as documents_access

        from .access import plans_visible_to

        documents_access.set_plan_check(lambda user, student: plans_visible_to(user).filter(student=student).exists())
