"""`manage.py iop_deadlines`: tell teachers of assessments due soon and IOP admins of passed deadlines (nightly)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from iop.reminders import deadlines_notify


class Command(BaseCommand):
    help = ("Tell teachers when an IOP assessment they write is due within a week, and each school's IOP admins "
            "when an IOP deadline has passed. Each is told once, so it is safe to run every night.")

    def handle(self, *args, **options):
        told = deadlines_notify(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(
            f"{told.assessment_due} assessment reminder(s), {told.deadline_passed} passed deadline notice(s)."))
