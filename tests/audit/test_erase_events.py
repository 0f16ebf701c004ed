"""Retention erases a student's access events before a cutoff, and only through audit.log.erase_events."""

import importlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.log import erase_events, record
from audit.models import AccessEvent, AppendOnlyError

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="A PostgreSQL trigger.")
migration = importlib.import_module("audit.migrations.0005_retention_delete")

NOW = timezone.now()


@pytest.fixture
def events(minor, adult):
    return {
        "old": AccessEvent.objects.create(at=NOW - timedelta(days=400), action="viewed", object_type="student",
                                          student_id=minor.pk),
        "older": AccessEvent.objects.create(at=NOW - timedelta(days=800), action="changed", object_type="iop_plan",
                                            student_id=minor.pk),
        "recent": AccessEvent.objects.create(at=NOW - timedelta(days=10), action="viewed", object_type="student",
                                             student_id=minor.pk),
        "other_student": AccessEvent.objects.create(at=NOW - timedelta(days=400), action="viewed",
                                                    object_type="student", student_id=adult.pk),
        "no_student": AccessEvent.objects.create(at=NOW - timedelta(days=400), action="login", object_type="user"),
    }


def remaining(events) -> set[str]:
    kept = set(AccessEvent.objects.filter(pk__in=[e.pk for e in events.values()]).values_list("pk", flat=True))
    return {name for name, event in events.items() if event.pk in kept}


def test_erases_only_that_students_events_before_the_cutoff(events, minor):
    assert erase_events(student_id=minor.pk, before=NOW - timedelta(days=365)) == 2
    assert remaining(events) == {"recent", "other_student", "no_student"}


def test_the_cutoff_itself_is_kept(events, minor):
    assert erase_events(student_id=minor.pk, before=events["old"].at) == 1
    assert "old" in remaining(events)


def test_erasing_again_or_an_unknown_student_changes_nothing(events, minor):
    erase_events(student_id=minor.pk, before=NOW - timedelta(days=365))
    assert erase_events(student_id=minor.pk, before=NOW - timedelta(days=365)) == 0
    assert erase_events(student_id=987654, before=NOW) == 0
    assert remaining(events) == {"recent", "other_student", "no_student"}


def test_a_naive_cutoff_is_refused(events, minor):
    with pytest.raises(ValueError):
        erase_events(student_id=minor.pk, before=NOW.replace(tzinfo=None))
    assert len(remaining(events)) == len(events)


def test_the_orm_still_refuses_to_delete(events, minor):
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(student_id=minor.pk).delete()
    with pytest.raises(AppendOnlyError):
        events["old"].delete()
    assert len(remaining(events)) == len(events)


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@on_postgresql
def test_raw_delete_without_the_setting_still_fails(events, minor):
    erase_events(student_id=minor.pk, before=NOW - timedelta(days=365))  # and it switches the setting off again
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(f"DELETE FROM audit_accessevent WHERE student_id = {minor.pk}")
    assert remaining(events) == {"recent", "other_student", "no_student"}


@on_postgresql
@pytest.mark.parametrize("sql", ["UPDATE audit_accessevent SET detail = 'rewritten'", "TRUNCATE audit_accessevent"])
def test_the_setting_opens_delete_only(events, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("SET LOCAL audit.allow_truncate = off")  # whatever the test session allows
        execute("SET LOCAL audit.allow_retention_delete = 'on'")
        execute(sql)
    assert len(remaining(events)) == len(events)


@on_postgresql
def test_the_migration_reverses(events, minor):
    with transaction.atomic(), connection.schema_editor() as editor:
        migration.on_postgresql(migration.BACKWARD)(None, editor)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            erase_events(student_id=minor.pk, before=NOW)
        migration.on_postgresql(migration.FORWARD)(None, editor)
        assert erase_events(student_id=minor.pk, before=NOW) == 3
        transaction.set_rollback(True)
    assert len(remaining(events)) == len(events)
