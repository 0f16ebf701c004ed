"""Time the roster import at county scale: the check (dry run) and the apply of each export, in turn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop_bench DEBUG=True \\
        .venv/bin/python bench/roster_import.py /tmp/county /tmp/county /tmp/county-1pct

Runs the import's own services (roster.services), as the background worker does, against the
database in DATABASE_URL (migrated; start empty for the first-import figure). Prints, per export,
the seconds of the check and of the apply, the counts, and the process's peak memory.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from roster.models import ImportRun  # noqa: E402
from roster.services import import_apply, import_check  # noqa: E402


def timed(function, **kwargs) -> float:
    start = time.perf_counter()
    function(**kwargs)
    return time.perf_counter() - start


def import_once(path: str) -> None:
    run = ImportRun.objects.create(file_name=path)
    check = timed(import_check, run_id=run.pk, source=path)
    run.refresh_from_db()
    if not run.can_apply:
        sys.exit(f"{path}: {run.get_status_display()}: {run.summary.get('errors')[:5]}")
    run.begin_apply(None)
    run.save()
    apply = timed(import_apply, run_id=run.pk, source=path)
    run.refresh_from_db()
    changes = sum(sum(actions.values()) for actions in run.summary["counts"].values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{path}: check {check:.1f} s, apply {apply:.1f} s, {changes} changes, peak {peak_mb} MB "
          f"({run.get_status_display()})")
    for kind, actions in sorted(run.summary["counts"].items()):
        print(f"    {kind}: " + ", ".join(f"{n} {action}" for action, n in sorted(actions.items())))


if __name__ == "__main__":
    for export in sys.argv[1:]:
        import_once(export)
