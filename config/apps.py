"""Third-party apps under our own names in the Django admin: they ship no bokmål catalogue, so their
headers would stay English. Each subclass keeps the app's own behaviour and only names it."""

from axes.apps import AppConfig as AxesBase
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticBase
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpBase
from django_tasks.apps import TasksAppConfig as TasksBase
from django_tasks_db.apps import TasksAppConfig as TasksDbBase
from guardian.apps import GuardianConfig as GuardianBase


class GuardianConfig(GuardianBase):
    verbose_name = _("Object permissions")


class AxesConfig(AxesBase):
    verbose_name = _("Login attempts")


class OtpConfig(AppConfig):
    name = "django_otp"  # it ships no AppConfig of its own
    verbose_name = _("Second factor")


class OtpTotpConfig(OtpTotpBase):
    verbose_name = _("Second factor: authenticator apps")


class OtpStaticConfig(OtpStaticBase):
    verbose_name = _("Second factor: recovery codes")


class TasksConfig(TasksBase):
    verbose_name = _("Background tasks")


class TasksDbConfig(TasksDbBase):
    verbose_name = _("Background tasks (queue)")
