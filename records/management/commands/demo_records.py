"""`manage.py demo_records`: the records officers and access requests of the demo (records/demo.py), after
`demo_data`.

Only for development (DEBUG=True), like demo_data, which runs it at its end. Running it again creates nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from records.demo import DemoDataMissing, build_demo_records, counts


class Command(BaseCommand):
    help = ("Create a records officer per authority and the access requests at demo schools A and B (DEBUG only; "
            "run demo_data first, which runs this too).")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_records only runs with DEBUG=True; it writes made-up access requests.")
        try:
            with transaction.atomic():
                created = build_demo_records(timezone.localdate())
        except DemoDataMissing as error:
            raise CommandError(str(error)) from None
        now = counts()
        self.stdout.write(
            f"Records duties: {now['officers']} records officers, {now['requests']} access requests "
            f"({now['registered']} registered, {now['in_review']} in review, {now['released']} answered, "
            f"{now['packages']} packages); this run created {created} requests."
        )
