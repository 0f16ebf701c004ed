"""`manage.py run_iko_rules [--school ORGNUMBER]`: the IKO identification rules, for one school or all."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import School
from followup.services import counts_line, signals_find


class Command(BaseCommand):
    help = ("Run the IKO identification rules (seed 002) and create a signal for each new finding: for one "
            "school, or for every upper secondary school.")

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="ORGNUMBER", help="the school's organisation number")

    def handle(self, *args, school, **options):
        if school:
            schools = list(School.objects.filter(org_number=school))
            if not schools:
                raise CommandError(f"No school with organisation number {school}.")
        else:
            schools = list(School.objects.filter(kind=School.Kind.UPPER_SECONDARY).order_by("name"))
        today = timezone.localdate()
        total = 0
        for one in schools:
            counts = signals_find(school=one, today=today)
            total += sum(counts.values())
            self.stdout.write(f"{one.org_number} {one.name}: {counts_line(counts)}")
        self.stdout.write(self.style.SUCCESS(f"{total} new signal(s) at {len(schools)} school(s)."))
