"""manage.py grep_refresh <dump>: refresh the goal bank from Udir's Grep JSON dump.

Download the dump from https://data.udir.no/kl06/v201906/dump/json (a zip) and give
its path, or the folder it unpacks to. Running it again with the same dump changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum.grep import DumpError
from curriculum.services import bank_refresh


class Command(BaseCommand):
    help = "Refresh the goal bank from a Grep JSON dump (a zip file, the folder it unpacks to, or one JSON file)."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The Grep dump: zip file, folder or JSON file.")

    def handle(self, *args, dump: Path, **options):
        try:
            counts = bank_refresh(path=dump)
        except (DumpError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Goal bank refreshed: {curricula} curricula, {goal_sets} goal sets; goals created {created}, "
            "changed {changed}, unchanged {unchanged}, expired {expired}.".format(**counts)
        )
