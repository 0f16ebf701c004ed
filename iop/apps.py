from django.apps import AppConfig


class IopConfig(AppConfig):
    """The IOP itself: plan part 1 and 2, assessments, log, annual report, certificate annex."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "iop"
    verbose_name = "IOP"
