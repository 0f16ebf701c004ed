"""Queries per page as the data grows: the IOP page, a part-2 subject page and the student list.

Run from the project root:
    DEBUG=True .venv/bin/python bench/query_counts.py

It builds its own data in a throwaway SQLite database (never the developer's
db.sqlite3): one school, one IOP admin, a student with an IOP of N subjects
with N goals each, N log entries and N annex rows, and N students at the
school; then it fetches each page as the admin with the test client and counts
the queries. A page whose count grows with N has an N+1 query to fix.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-queries-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from guardian.shortcuts import assign_perm  # noqa: E402

from accounts.models import Enrollment, School, SchoolYear, StaffMembership, Student, Subject, User  # noqa: E402
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject  # noqa: E402

SIZES = (1, 10, 30, 100)


def setup() -> tuple[Client, Plan]:
    call_command("migrate", verbosity=0)
    school = School.objects.create(name="Bench vgs", org_number="912345678", kind="upper_secondary",
                                   owner_kind="county", owner_name="Bench fylkeskommune")
    admin = User.objects.create(username="admin")
    StaffMembership.objects.create(user=admin, school=school, role="teacher")
    assign_perm("administer_iop", admin, school)
    student = Student.objects.create(first_name="Ada", last_name="Bench", birth_date="2010-01-01",
                                     school=school, group="1STA")
    plan = Plan.objects.create(student=student, school_year=SchoolYear.objects.current(create=True))
    client = Client()
    client.force_login(admin)
    return client, plan


def grow_to(plan: Plan, n: int) -> None:
    """Give the plan n subjects (n goals each), n log entries, n annex rows; the school n students."""
    year, admin = plan.school_year, User.objects.get(username="admin")
    for i in range(plan.subjects.count(), n):
        subject = Subject.objects.create(code=f"B{i:04d}", name=f"Fag {i}")
        Enrollment.objects.create(student=plan.student, subject=subject, school_year=year).teachers.add(admin)
        PlanSubject.objects.create(plan=plan, subject=subject, position=i)
    for plan_subject in plan.subjects.all():
        Goal.objects.bulk_create(Goal(plan_subject=plan_subject, position=j, competence_goal=f"Mål {j}")
                                 for j in range(plan_subject.goals.count(), n))
    LogEntry.objects.bulk_create(LogEntry(plan=plan, text="Notat", created_by=admin, changed_by=admin)
                                 for _ in range(plan.log_entries.count(), n))
    AnnexRow.objects.bulk_create(AnnexRow(plan=plan, position=k, extent=1, subject_topic="Fag", year="2027")
                                 for k in range(plan.annex_rows.count(), n))
    Student.objects.bulk_create(Student(first_name=f"Elev{k}", last_name="Bench", birth_date="2010-01-01",
                                        school=plan.student.school, group="1STB")
                                for k in range(plan.student.school.students.count(), n))


def count(client: Client, url: str) -> int:
    client.get(url)  # the first page of a session also fills the header's cache
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    assert status == 200, (url, status)
    return len(captured)


def main() -> None:
    client, plan = setup()
    first_subject = None
    rows = []
    for n in SIZES:
        grow_to(plan, n)
        first_subject = first_subject or plan.subjects.order_by("pk").first()
        rows.append((n, {
            "IOP page": count(client, reverse("iop:plan_detail", args=[plan.pk])),
            "part-2 subject page": count(client, reverse("iop:subject_detail", args=[first_subject.pk])),
            "certificate annex": count(client, reverse("iop:annex", args=[plan.pk])),
            "student list (start)": count(client, reverse("start")),
        }))
    pages = list(rows[0][1])
    print(f"{'rows':>5}  " + "  ".join(f"{page:>22}" for page in pages))
    for n, counts in rows:
        print(f"{n:>5}  " + "  ".join(f"{counts[page]:>22}" for page in pages))
    grows = [page for page in pages if len({counts[page] for _, counts in rows}) > 1]
    print("queries grow with rows on: " + (", ".join(grows) if grows else "no page"))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
