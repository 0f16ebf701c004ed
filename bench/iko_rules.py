"""Time the IKO identification rules (followup.rules.find_signals) for every school of a county.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop_bench .venv/bin/python bench/iko_rules.py [--history]

Reads a county imported with bench/roster_export.py and bench/roster_import.py (see bench/README.md,
"Roster import at county scale"): runs the rules for every upper secondary school, then again (the
idempotent run, which finds everything again and creates nothing), and prints the wall time of each.

Everything happens in one transaction that is rolled back at the end: the bench leaves no signals
behind. If the database has not been migrated for `followup` yet, its two tables the rules write
(RuleSettings, Signal) are created inside that transaction too (PostgreSQL rolls DDL back).

`--history` adds, inside the transaction, what the export has not got: last school year's T2 and final
grades for the Vg2 and Vg3 students (derived from their T1 grades, some lower, a few 1 or IV) and a
spring period of absence for everyone, so that the rules for earlier years and the trends have data
to read (about 400,000 grade rows and 120,000 absence rows in all).
"""

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.models import School, SchoolYear  # noqa: E402
from followup.models import RuleSettings, Signal  # noqa: E402
from followup.rules import find_signals  # noqa: E402
from roster.models import Absence, Grade  # noqa: E402

# The export's school year is 2026/2027 and its absence runs to 30 November 2026.
DEFAULT_TODAY = date(2026, 11, 30)


class _RollBack(Exception):
    pass


def ensure_tables() -> None:
    existing = set(connection.introspection.table_names())
    missing = [model for model in (RuleSettings, Signal) if model._meta.db_table not in existing]
    if missing:
        with connection.schema_editor(atomic=False) as editor:
            for model in missing:
                editor.create_model(model)
        print(f"created (inside the transaction) {', '.join(model._meta.db_table for model in missing)}")


def add_history(start_year: int) -> None:
    """Last year's T2 and final grades for Vg2/Vg3, and a spring absence period: derived, seeded by the ids."""
    last = SchoolYear.objects.get_or_create(start_year=start_year - 1)[0]
    this = SchoolYear.objects.get(start_year=start_year)
    spring_start, spring_end = date(start_year, 1, 5), date(start_year, 6, 19)
    with connection.cursor() as cursor:
        for term, shift in ((Grade.Term.T2, 0), (Grade.Term.FINAL, 1)):
            cursor.execute(
                f"""INSERT INTO {Grade._meta.db_table} (student_id, subject_id, school_year_id, term, grade)
                SELECT g.student_id, g.subject_id, %s, %s,
                       CASE WHEN (g.student_id * 7 + g.subject_id + %s) %% 97 = 0 THEN 'IV'
                            WHEN (g.student_id * 7 + g.subject_id + %s) %% 41 = 0 THEN '1'
                            WHEN g.grade = 'IV' THEN '3'
                            ELSE LEAST(6, g.grade::int + (g.student_id + %s) %% 3)::text END
                FROM {Grade._meta.db_table} g JOIN accounts_student s ON s.id = g.student_id
                WHERE g.school_year_id = %s AND g.term = 'T1' AND left(s."group", 1) IN ('2', '3')""",
                [last.pk, term, shift, shift, shift, this.pk])
            print(f"added {cursor.rowcount} {term} grades of {last}")
        cursor.execute(
            f"""INSERT INTO {Absence._meta.db_table}
                   (student_id, period_start, period_end, subject_code, kind, percent, days, hours)
            SELECT student_id, %s, %s, '', kind, round(percent * ((student_id %% 5) + 1) / 4, 2), NULL, NULL
            FROM {Absence._meta.db_table} WHERE subject_code = '' AND period_start >= %s""",
            [spring_start, spring_end, this.starts_on])
        print(f"added {cursor.rowcount} absence rows for {spring_start} – {spring_end}")


def run_all(schools, today) -> tuple[float, dict, float]:
    totals: dict[str, int] = {}
    slowest = 0.0
    start = time.perf_counter()
    for school in schools:
        one = time.perf_counter()
        for rule, n in find_signals(school=school, today=today).items():
            totals[rule] = totals.get(rule, 0) + n
        slowest = max(slowest, time.perf_counter() - one)
    return time.perf_counter() - start, totals, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--history", action="store_true", help="add last year's grades and a spring period first")
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL): the bench relies on rolling back DDL.")
    try:
        with transaction.atomic():
            ensure_tables()
            if arguments.history:
                add_history(SchoolYear.start_year_of(arguments.today))
            with connection.cursor() as cursor:
                for model in (Grade, Absence, Signal):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
            schools = list(School.objects.filter(kind=School.Kind.UPPER_SECONDARY).order_by("name"))
            counts = (Grade.objects.count(), Absence.objects.count(), Signal.objects.count())
            print(f"{len(schools)} schools; {counts[0]} grade rows, {counts[1]} absence rows, {counts[2]} signals "
                  f"before; today {arguments.today}")
            for label in ("first run", "second run"):
                if label == "second run":
                    # As autovacuum would after the first run's inserts (it cannot see them in this transaction):
                    # with the statistics of an empty table the planner reads every school's signals.
                    with connection.cursor() as cursor:
                        cursor.execute(f"ANALYZE {Signal._meta.db_table}")
                seconds, totals, slowest = run_all(schools, arguments.today)
                print(f"{label}: {seconds:.2f} s (slowest school {slowest:.2f} s), {sum(totals.values())} new "
                      f"signals: " + ", ".join(f"{rule} {n}" for rule, n in totals.items()))
            print(f"signals in the transaction: {Signal.objects.count()}; "
                  f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
            raise _RollBack
    except _RollBack:
        print("rolled back: nothing was left in the database")


if __name__ == "__main__":
    main()
