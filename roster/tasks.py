"""The background tasks (django-tasks; `manage.py db_worker` runs them): an import's check and its apply."""

from django_tasks import task

from . import services


@task()
def check_import(run_id: int) -> None:
    services.import_check(run_id=run_id)


@task()
def apply_import(run_id: int) -> None:
    services.import_apply(run_id=run_id)
