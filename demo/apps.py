from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and county-scale data generators (`manage.py demo_data`, `manage.py scale_data`); no models."""

    name = "demo"
    verbose_name = _("Demo data")
