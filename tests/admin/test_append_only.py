"""On PostgreSQL the access log refuses UPDATE, DELETE and TRUNCATE below the ORM (audit migration 0002)."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from audit.log import record
from audit.models import AccessEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="A PostgreSQL trigger (CI runs PostgreSQL)."),
]

migration = importlib.import_module("audit.migrations.0002_append_only_trigger")

REFUSED = [
    "UPDATE audit_accessevent SET detail = 'rewritten'",
    "UPDATE audit_accessevent SET detail = 'rewritten' WHERE false",
    "DELETE FROM audit_accessevent",
    "TRUNCATE audit_accessevent",
]


@pytest.fixture
def event(minor):
    return record(None, action="viewed", object_type="document", object_id=1, student=minor, detail="Kartlegging")


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("sql", REFUSED)
def test_raw_sql_cannot_change_or_remove_events(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("SET LOCAL audit.allow_truncate = off")  # whatever the test session allows
        execute(sql)
    assert AccessEvent.objects.filter(pk=event.pk, detail="Kartlegging").exists()


def test_raw_insert_still_works(event):
    execute("INSERT INTO audit_accessevent (at, username, action, object_type, object_id, detail)"
            " VALUES (now(), 'psql', 'viewed', 'document', '1', '')")
    assert AccessEvent.objects.filter(username="psql").exists()
    assert record(None, action="viewed", object_type="document", object_id=2).pk


def test_truncate_only_where_the_session_asks_for_it(event):
    # Django's flush between transactional tests needs it.
    with transaction.atomic():
        execute("SET LOCAL audit.allow_truncate = on")
        execute("TRUNCATE audit_accessevent")
        assert not AccessEvent.objects.exists()
        transaction.set_rollback(True)
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_the_migration_reverses(event):
    with transaction.atomic(), connection.schema_editor() as editor:
        migration.on_postgresql(migration.BACKWARD)(None, editor)
        execute("UPDATE audit_accessevent SET detail = 'rewritten'")
        migration.on_postgresql(migration.FORWARD)(None, editor)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            execute("UPDATE audit_accessevent SET detail = 'again'")
        transaction.set_rollback(True)
    assert AccessEvent.objects.get(pk=event.pk).detail == "Kartlegging"
