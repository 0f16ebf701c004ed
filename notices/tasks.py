"""The background task (django-tasks; `manage.py db_worker` runs it): one notice's e-mail."""

from django_tasks import task

from . import services


@task()
def send_notice_email(notice_id: int) -> None:
    services.notice_send_email(notice_id=notice_id)
