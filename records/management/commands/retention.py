"""`manage.py retention [--dry-run] [--authority NAME]`: the daily retention job (run it from cron)."""

from django.core.management.base import BaseCommand, CommandError

from applications.models import Authority
from records import retention
from records.services import retention_run


class Command(BaseCommand):
    help = ("Compute what the retention rules make due today: records to destroy go on each county's or "
            "municipality's destruction list, awaiting a records officer's approval; students whose records are "
            "due for hand-over to the archive are listed. Nothing is deleted or handed over here.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only report; change nothing")
        parser.add_argument("--authority", metavar="NAME", help="one county or municipality, by its name")

    def handle(self, *args, dry_run, authority, **options):
        authorities = Authority.objects.order_by("name")
        if authority:
            authorities = authorities.filter(name=authority)
            if not authorities:
                raise CommandError(f"No county or municipality named {authority}.")
        for one in authorities:
            report = retention.due_report(one) if dry_run else retention_run(authority=one)
            self._write(one, report, dry_run)

    def _write(self, authority, report: retention.Report, dry_run: bool) -> None:
        listed = "to put on the destruction list" if dry_run else "put on the destruction list"
        self.stdout.write(f"{authority.name}: {len(report.destroy)} record(s) {listed}, "
                          f"{report.on_list} already on it, {len(report.handovers)} student(s) due for hand-over.")
        for due in report.destroy:
            self.stdout.write(f"  destroy  {due.record.key:<24} student {due.student.pk}  due {due.due_on}  "
                              f"{due.rule.describe()}")
        for student, dues in report.handovers.items():
            self.stdout.write(f"  hand over  student {student.pk}  {len(dues)} record(s) due since "
                              f"{min(d.due_on for d in dues)}")
