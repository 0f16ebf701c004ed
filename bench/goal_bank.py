"""Time the goal-bank search (curriculum.selectors.search_goals and the search page) at Grep's size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop_bench .venv/bin/python bench/goal_bank.py [--goals 40000]

The shipped subset has 861 goals; the whole of Grep (LK20 and LK06) has tens of thousands. Inside one
transaction that is rolled back at the end, the bench copies the shipped goals under bench-only codes
(KMB…, in curricula BNC…-01, 60 goals each, in one goal set each whose level runs through the search's levels)
until the bank holds `--goals`, then asks the search page
for typical searches (a teacher typing in the subject's curriculum, and in all curricula), `--runs`
times each, and prints the median and the 95th percentile. The target is p95 under 100 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import School, StaffMembership, User  # noqa: E402
from curriculum.forms import LEVELS as SEARCH_LEVELS  # noqa: E402
from curriculum.models import CompetenceGoal, Curriculum, GoalSet  # noqa: E402

PER_CURRICULUM = 60
SEARCHES = [
    {"laereplan": "NOR01-08", "q": "tek"},
    {"laereplan": "NOR01-08", "q": "tekster sidemål"},
    {"laereplan": "MAT01-06", "q": "funksjoner"},
    {"laereplan": "BNC00001-01", "q": "bruke"},
    {"laereplan": "", "q": "bærekraftig"},
    {"laereplan": "", "q": "kilder kritisk"},
    {"laereplan": "", "q": "km13328"},
    {"laereplan": "MAT01-06", "trinn": "aarstrinn7", "q": ""},
    {"laereplan": "", "trinn": "aarstrinn10", "q": "kilder"},
]
LEVELS = [level for level, _label in SEARCH_LEVELS if level]


class _RollBack(Exception):
    pass


def fill_bank(goals: int) -> None:
    """Copies of the shipped goals under bench codes, until the bank holds `goals`."""
    originals = list(CompetenceGoal.objects.all())
    missing = goals - len(originals)
    curricula = Curriculum.objects.bulk_create(
        Curriculum(code=f"BNC{i:05}-01", title_nb=f"Læreplan {i}") for i in range(missing // PER_CURRICULUM + 1))
    goal_sets = GoalSet.objects.bulk_create(
        GoalSet(code=f"KVB{i:05}", curriculum=curriculum, level=LEVELS[i % len(LEVELS)], title_nb="Kompetansemål")
        for i, curriculum in enumerate(curricula))
    copies = []
    for i in range(missing):
        source = originals[i % len(originals)]
        copy = CompetenceGoal(code=f"KMB{i:06}", curriculum=curricula[i // PER_CURRICULUM],
                              goal_set=goal_sets[i // PER_CURRICULUM], position=i,
                              title_nb=source.title_nb, title_nn=source.title_nn, title_en=source.title_en)
        for name, value in copy.search_texts().items():
            setattr(copy, name, value)
        copies.append(copy)
    CompetenceGoal.objects.bulk_create(copies, batch_size=2000)
    if connection.vendor == "postgresql":  # as after a refresh (curriculum.services.bank_refresh)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE curriculum_curriculum, curriculum_goalset, curriculum_competencegoal")


def staff_client() -> Client:
    school = School.objects.create(name="Benkskolen", org_number="999999999", kind=School.Kind.UPPER_SECONDARY,
                                   owner_kind=School.OwnerKind.COUNTY, owner_name="Benk fylkeskommune")
    user = User.objects.create(username="bench-goal-bank", is_active=True)
    StaffMembership.objects.create(user=user, school=school, role=StaffMembership.Role.TEACHER)
    client = Client()
    client.force_login(user)
    return client


def timed(client: Client, params: dict, runs: int) -> list[float]:
    url = reverse("curriculum:search")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goals", type=int, default=40000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup_test_environment()
    try:
        with transaction.atomic():
            fill_bank(args.goals)
            print(f"bank: {CompetenceGoal.objects.count()} goals in {Curriculum.objects.count()} curricula")
            client = staff_client()
            everything = []
            for params in SEARCHES:
                times = timed(client, params, args.runs)
                everything += times
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{params!s:55} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")
            print(f"{'all searches':55} median {statistics.median(everything):6.1f} ms  "
                  f"p95 {statistics.quantiles(everything, n=20)[-1]:6.1f} ms")
            raise _RollBack
    except _RollBack:
        pass


if __name__ == "__main__":
    main()
