"""`manage.py demo_cases`: the person cases at demo school A (cases/demo.py), after `demo_data`.

Only for development (DEBUG=True), like demo_data, which runs it at its end. Running it again creates nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.demo import DemoDataMissing, build_demo_cases
from cases.models import Case, Event, EventVersion


class Command(BaseCommand):
    help = "Create the person cases at demo school A (DEBUG only; run demo_data first, which runs this too)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_cases only runs with DEBUG=True; it writes made-up person cases.")
        try:
            with transaction.atomic():
                created = build_demo_cases(timezone.localdate())
        except DemoDataMissing as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Person cases: {Case.objects.count()} cases, {Event.objects.count()} events, "
            f"{EventVersion.objects.count()} event versions; this run created {created} cases."
        )
