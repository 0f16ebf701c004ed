from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Access log")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from .receivers import on_logged_in, on_logged_out, on_login_failed

        user_logged_in.connect(on_logged_in, dispatch_uid="audit.login")
        user_logged_out.connect(on_logged_out, dispatch_uid="audit.logout")
        user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
