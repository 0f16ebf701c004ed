"""The background task (django-tasks; `manage.py db_worker` runs it): the nightly deadline notices."""

from django.utils import timezone
from django_tasks import task

from . import reminders


@task()
def notify_deadlines() -> None:
    reminders.deadlines_notify(today=timezone.localdate())
