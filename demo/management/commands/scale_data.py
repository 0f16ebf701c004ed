"""`manage.py scale_data`: fill an empty database with a county's worth of made-up data for load benchmarks.

See iop/scale.py for what is generated and the username scheme. Only for development
(DEBUG=True), and only on a database without schools.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import School
from demo.scale import generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database (no schools) with scale data for load benchmarks (DEBUG only). "
        "Every user has the password --password. Usernames: s01-principal, s01-admin1/2 (IOP admins), "
        "s01-teacher1…N per school; guardian1…N; student1…N (adult students). "
        "School n is lower secondary when n % 3 == 2. Same --seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=30, help="Number of schools (default 30).")
        parser.add_argument("--students", type=int, default=30000, help="Number of students (default 30000).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default 1).")
        parser.add_argument("--password", default="scale", help='Password of every generated user (default "scale").')

    def handle(self, *args, schools, students, seed, password, **options):
        if not settings.DEBUG:
            raise CommandError(
                f"scale_data only runs with DEBUG=True; it creates users with the password '{password}'."
            )
        if schools < 1 or students < schools:
            raise CommandError("Give at least one school and at least one student per school.")
        if School.objects.exists():
            raise CommandError(
                "The database already has schools. scale_data only fills an empty database, "
                "so that it never mixes made-up people into real data; create a new database and migrate it."
            )
        started = time.perf_counter()
        with transaction.atomic():
            result = generate(schools=schools, students=students, seed=seed, password=password)
        seconds = time.perf_counter() - started
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<36} {count:>8}")
        self.stdout.write(f"Generated in {seconds:.1f} s (seed {seed}). Every user's password: '{password}'.")
        self.stdout.write("Sample logins (principals of schools with IOPs; the others see at least one IOP):")
        for role, usernames in result.samples.items():
            self.stdout.write(f"  {role:<10} {', '.join(usernames) or '(none)'}")
