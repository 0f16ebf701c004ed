"""scripts/backup.sh and scripts/restore.sh: a backup restores to the same rows and the same files.

PostgreSQL only (CI runs it): the data set is dumped with pg_dump, restored into a
fresh database and a fresh media folder, and compared table by table, sequence by
sequence and file by file. Real processes read the data, so the test commits it
(transaction=True).
"""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from guardian.shortcuts import assign_perm

from audit import log
from audit.models import AccessEvent
from documents.models import Document

from .applications.factories import ApplicationFactory, ApplicationSubjectFactory
from .factories import DocumentFactory, request_as
from .iop.factories import GoalFactory, LogEntryFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
BACKUP, RESTORE = ROOT / "scripts" / "backup.sh", ROOT / "scripts" / "restore.sh"
# Every byte value, and a file bigger than a tar block.
ODD_BYTES = bytes(range(256)) * 41


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: the backup is pg_dump's (CI runs PostgreSQL).")
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"PostgreSQL's client programs are missing: {missing}")


def url(name: str) -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def run(script: Path, folder: Path, database: str, media: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url(database), "MEDIA_ROOT": str(media), **extra}
    return subprocess.run(["bash", str(script), str(folder)], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def restored_database():
    """A new, empty database beside the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def records(minor, guardian, admin, teacher, adult):
    """A small school's worth: applications, an IOP with goals and log, documents with files, the access log."""
    application = ApplicationFactory(student=minor)
    ApplicationSubjectFactory(application=application)
    application.snapshot.save("snapshot.pdf", ContentFile(b"%PDF-1.7 approved\n"), save=True)
    plan_subject = PlanSubjectFactory(plan__student=minor)
    GoalFactory(plan_subject=plan_subject)
    LogEntryFactory(plan=plan_subject.plan, created_by=teacher, changed_by=teacher, text="Møte – «æøå» 🙂")
    documents = [
        DocumentFactory(student=minor, title="Sakkyndig vurdering"),
        DocumentFactory(student=adult, file__data=ODD_BYTES, title="Vedtak"),
    ]
    assign_perm("documents.download_document", guardian, documents[0])
    for document in documents:
        log.record(request_as(admin), action="viewed", object_type="document", object_id=document.pk,
                   student=document.student, detail="list")
    log.record(request_as(guardian), action="downloaded", object_type="document", object_id=documents[0].pk,
               student=minor)
    log.record(None, action="login_failed", object_type="user", detail="wrong password")
    return documents


def public_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def contents(cursor) -> dict:
    """Every table's rows (as PostgreSQL's text form, sorted), every sequence's position, every trigger."""
    rows = {}
    for table in public_tables(cursor):
        cursor.execute(f'SELECT t::text FROM "{table}" AS t')
        rows[table] = sorted(row for (row,) in cursor.fetchall())
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    sequences = dict(cursor.fetchall())
    cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
    triggers = sorted(cursor.fetchall())
    return {"rows": rows, "sequences": sequences, "triggers": triggers}


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_backup_restores_every_row_and_every_file(records, media_root, restored_database, tmp_path):
    backup = tmp_path / "backup"
    done = run(BACKUP, backup, connection.settings_dict["NAME"], media_root)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in backup.iterdir()) == ["SHA256SUMS", "backup.txt", "database.dump", "media.tar"]
    assert "media files: 3" in (backup / "backup.txt").read_text()

    restored_media = tmp_path / "restored-media"
    done = run(RESTORE, backup, restored_database, restored_media)
    assert done.returncode == 0, done.stderr + done.stdout

    with connection.cursor() as cursor:
        original = contents(cursor)
    with psycopg.connect(url(restored_database).replace("postgres://", "postgresql://", 1)) as restored:
        with restored.cursor() as cursor:
            copy = contents(cursor)
            # The access log is still append-only in the copy.
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute("UPDATE audit_accessevent SET detail = 'changed'")
            restored.rollback()

    assert copy["rows"].keys() == original["rows"].keys()
    for table, rows in original["rows"].items():
        assert copy["rows"][table] == rows, table
    assert copy["sequences"] == original["sequences"]
    assert copy["triggers"] == original["triggers"]
    assert ("audit_accessevent", "audit_accessevent_no_update_delete") in copy["triggers"]

    # The access log, the data set and the files, spelled out.
    assert len(original["rows"]["audit_accessevent"]) == AccessEvent.objects.count() == 4
    assert len(original["rows"]["documents_document"]) == 2
    assert any("«æøå» 🙂" in row for row in original["rows"]["iop_logentry"])
    media = files(media_root)
    assert files(restored_media) == media
    assert {document.file.name for document in Document.objects.all()} < media.keys()
    assert ODD_BYTES in media.values()
    assert len(media) == 3


def test_restore_refuses_a_database_or_media_folder_in_use(records, media_root, restored_database, tmp_path):
    backup = tmp_path / "backup"
    assert run(BACKUP, backup, connection.settings_dict["NAME"], media_root).returncode == 0
    assert run(BACKUP, backup, connection.settings_dict["NAME"], media_root).returncode != 0  # never overwrites

    refused = run(RESTORE, backup, connection.settings_dict["NAME"], tmp_path / "empty")
    assert refused.returncode != 0 and "the database is not empty" in refused.stderr
    refused = run(RESTORE, backup, restored_database, media_root)
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    assert Document.objects.count() == 2  # nothing was touched

    with (backup / "media.tar").open("r+b") as tar:
        tar.seek(1024)
        tar.write(b"X")
    refused = run(RESTORE, backup, restored_database, tmp_path / "empty")
    assert refused.returncode != 0 and "does not match its SHA256SUMS" in refused.stderr
    assert not (tmp_path / "empty").exists()


@pytest.mark.parametrize("script", [BACKUP, RESTORE])
def test_the_scripts_refuse_when_the_files_are_in_an_object_store(script, media_root, tmp_path):
    """Nothing is under MEDIA_ROOT then: a backup without a single file must not look complete."""
    refused = run(script, tmp_path / "backup", connection.settings_dict["NAME"], media_root, STORAGE_S3_BUCKET="iop")
    assert refused.returncode != 0 and "object store" in refused.stderr
    assert not (tmp_path / "backup").exists()
