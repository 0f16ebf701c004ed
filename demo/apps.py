from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and county-scale data generators (`manage.py demo_data`, `manage.py scale_data`); no models."""

    name = "demo"
    verbose_name = "Demo data"
