"""`manage.py import_roster PATH [--dry-run]`: a OneRoster export (zip or folder), checked, then applied."""

from django.core.management.base import BaseCommand, CommandError

from roster.models import ImportRun
from roster.services import import_path


class Command(BaseCommand):
    help = "Import a OneRoster 1.1 CSV export (a zip or a folder): check it, then apply it as one transaction."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a zip file or a folder holding orgs.csv, users.csv, …")
        parser.add_argument("--dry-run", action="store_true", help="only show what would change")

    def handle(self, *args, path, dry_run, **options):
        run = import_path(path, dry_run=dry_run)
        for kind, actions in sorted(run.summary.get("counts", {}).items()):
            self.stdout.write(f"{kind}: " + ", ".join(f"{n} {action}" for action, n in sorted(actions.items())))
        for change in run.summary.get("changes", []):
            if change["fields"]:
                fields = "; ".join(f"{name}: {old!r} → {new!r}" for name, old, new in change["fields"])
                self.stdout.write(f"  {change['kind']} {change['action']}: {change['label']} ({fields})")
        for error in run.summary.get("errors", []):
            where = f"{error['file']} line {error['line']}" if error["line"] else error["file"]
            self.stderr.write(f"{where}: {error['message']}")
        if run.status in (ImportRun.Status.REJECTED, ImportRun.Status.FAILED):
            raise CommandError(f"{run.error_count} error(s): nothing was changed.")
        self.stdout.write(self.style.SUCCESS("Checked: nothing was changed (dry run)." if dry_run
                                             else "Applied."))
