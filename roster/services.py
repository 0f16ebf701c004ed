"""An import's life: uploaded, checked (a dry run), applied in one transaction, or discarded.

The check and the apply run the same code (`roster.sync.Sync`) inside a transaction; the check rolls
it back, so the preview shows exactly what applying will do. Both run in the background
(`roster.tasks`); the command runs them inline.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from accounts.header import forget_every_header
from audit.log import record

from .models import ImportRun
from .oneroster import read_roster
from .reading import Problems, Unreadable, read_export
from .results import read_results
from .sync import Sync

logger = logging.getLogger(__name__)
MAX_PROBLEMS = 200  # listed one by one; the count is always whole
IMPORT = "roster_import"  # how the access log names an import


class _RollBack(Exception):
    """Ends a dry run's transaction."""


def import_upload(*, file, user, school, language: str) -> ImportRun:
    """Store the uploaded zip and queue its check. `school` is None for a system administrator."""
    run = ImportRun(created_by=user, school=school, file_name=file.name[:200], language=language)
    run.file.save("upload.zip", file, save=False)
    run.save()
    _enqueue("check", run)
    return run


def import_apply_later(*, run: ImportRun, user) -> None:
    """Queue the apply of a checked run (the page shows its progress)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        run.begin_apply(user)
        _refuse_if_stale(run)
        run.save()
    _enqueue("apply", run)


def import_discard(*, run: ImportRun) -> None:
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        run.discard()
        run.save(update_fields=["status"])
    _forget_file(run)


def import_path(path, *, user=None, dry_run: bool = False) -> ImportRun:
    """The command: check a zip or folder and, unless `dry_run` or it has errors, apply it."""
    run = ImportRun.objects.create(created_by=user, file_name=str(path)[-200:])
    import_check(run_id=run.pk, source=path)
    run.refresh_from_db()
    if not dry_run and run.can_apply:
        run.begin_apply(user)
        run.save()
        import_apply(run_id=run.pk, source=path)
        run.refresh_from_db()
    return run


def import_check(*, run_id: int, source=None) -> None:
    """The dry run: everything the apply would do, rolled back, kept as the run's summary."""
    run = ImportRun.objects.get(pk=run_id)
    _set(run, status=ImportRun.Status.CHECKING)
    with translation.override(run.language), _failing_safely(run):
        summary, problems = _run_sync(run, source, apply=False)
        _set(run, status=ImportRun.Status.REJECTED if problems else ImportRun.Status.CHECKED,
             summary=summary, checked_at=timezone.now(), step="")
        if problems:
            _forget_file(run)


def import_apply(*, run_id: int, source=None) -> None:
    """The apply: one transaction; any problem (the database may have changed since the check) and nothing is kept."""
    run = ImportRun.objects.get(pk=run_id)
    with translation.override(run.language), _failing_safely(run):
        summary, problems = _run_sync(run, source, apply=True)
        if problems:
            _set(run, status=ImportRun.Status.FAILED, summary=summary, step="")
        _forget_file(run)
        if not problems:
            _discard_superseded(run)


def _discard_superseded(applied: ImportRun) -> None:
    """Checked runs waiting to be applied are stale now (their preview no longer holds): their files go."""
    for run in ImportRun.objects.filter(status=ImportRun.Status.CHECKED).exclude(pk=applied.pk):
        _set(run, status=ImportRun.Status.DISCARDED)
        _forget_file(run)


def _run_sync(run: ImportRun, source, *, apply: bool) -> tuple[dict, Problems]:
    problems = Problems()
    try:
        export = read_export(source if source is not None else run.file.open("rb"), problems)
    except Unreadable as error:
        problems.add(run.file_name, None, str(error))
        return _summary({}, [], problems), problems
    finally:
        if source is None and run.file:
            run.file.close()
    _set(run, files=export.files)
    roster, results = read_roster(export, problems), read_results(export, problems)
    changes = {}
    if not problems:
        changes = _synchronise(run, roster, results, problems, apply=apply)
    return _summary(changes.get("counts", {}), changes.get("changes", []), problems,
                    noted_all=changes.get("noted_all", True)), problems


def _synchronise(run: ImportRun, roster, results, problems: Problems, *, apply: bool) -> dict:
    sync = Sync(roster, results, school=run.school, today=timezone.localdate(), problems=problems,
                progress=lambda step, done, total: _progress(run, step, done, total))
    try:
        with transaction.atomic():
            if apply:
                _one_apply_at_a_time()
            summary = sync.run().as_json()
            if problems or not apply:
                raise _RollBack
            record(None, action="changed", object_type=IMPORT, object_id=run.pk, school=run.school,
                   user=run.applied_by, detail=_counts_line(summary["counts"]))
            transaction.on_commit(forget_every_header)  # staff, guardians and students written in bulk
            # In the same transaction: the run says "applied" exactly when its changes are there.
            _set(run, status=ImportRun.Status.APPLIED, applied_at=timezone.now(), step="",
                 summary=_summary(summary["counts"], summary["changes"], problems, summary["noted_all"]))
    except _RollBack:
        pass
    return summary


APPLY_LOCK = 7_301_813  # any fixed number: the advisory lock that lets one import apply at a time


def _one_apply_at_a_time() -> None:
    """Two imports applied at once would each change what the other matched: the second waits (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPLY_LOCK])


def _summary(counts: dict, changes: list, problems: Problems, noted_all: bool = True) -> dict:
    return {
        "counts": counts, "changes": changes, "noted_all": noted_all,
        "errors": [{"file": p.file, "line": p.line, "message": p.message} for p in problems[:MAX_PROBLEMS]],
        "error_count": len(problems),
    }


def _counts_line(counts: dict) -> str:
    return "; ".join(f"{kind}: " + ", ".join(f"{n} {action}" for action, n in sorted(actions.items()))
                     for kind, actions in sorted(counts.items()))


def _refuse_if_stale(run: ImportRun) -> None:
    """Another import applied after this one was checked: its preview no longer says what would happen."""
    newer = ImportRun.objects.filter(status=ImportRun.Status.APPLIED, applied_at__gt=run.checked_at or run.created_at)
    if newer.exists():
        raise Refused(_("Another import was applied after this one was checked. Upload the file again "
                        "to see what it would change now."))


def _progress(run: ImportRun, step: str, done: int, total: int) -> None:
    """Progress through a connection of its own where there is one, so the page sees it during the transaction."""
    ImportRun.objects.using(_progress_db()).filter(pk=run.pk).update(
        step=step, progress_done=done, progress_total=total)


def _progress_db() -> str:
    return "progress" if "progress" in settings.DATABASES else "default"


def _set(run: ImportRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))


@contextmanager
def _failing_safely(run: ImportRun):
    """A crash is logged and the run marked failed (nothing was changed: the transaction rolled back)."""
    try:
        yield
    except Exception:
        logger.exception("roster import %s failed", run.pk)
        _set(run, status=ImportRun.Status.FAILED, step="")
        _forget_file(run)


def _forget_file(run: ImportRun) -> None:
    """The upload holds identity numbers: it goes as soon as it is no longer needed."""
    if run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")


def _enqueue(what: str, run: ImportRun) -> None:
    from .tasks import apply_import, check_import  # the tasks module imports this one

    (check_import if what == "check" else apply_import).enqueue(run.pk)
