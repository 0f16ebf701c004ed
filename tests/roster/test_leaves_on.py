"""A homeroom enrollment whose endDate comes before the school year's end is the school's notice of the day
the student leaves: the import sets Student.leaves_on (person cases must be closed before it)."""

from datetime import date

import pytest

from accounts.models import Student
from roster.models import ImportRun, SourceLink
from roster.services import import_path

from .helpers import edit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]

# Marte Skaar's homeroom enrollment (class 1STA) in the sample export, without an endDate.
MARTE_HOMEROOM = "e-1sta-s-nv03,,2026-08-10T06:00:00Z,cl-1sta,nvgs,s-nv03,student,false,2026-08-17,"
YEAR_END = date(2027, 7, 31)  # the school year 2026/2027 ends on 31 July


def student(sourced_id: str) -> Student:
    return Student.objects.get(pk=SourceLink.objects.get(kind=SourceLink.Kind.STUDENT, sourced_id=sourced_id)
                               .object_id)


def imported(export) -> None:
    run = import_path(export)
    assert run.status == ImportRun.Status.APPLIED, run.summary


def test_an_end_before_the_school_year_ends_sets_leaves_on(copy_sample):
    export = copy_sample()
    edit(export, "enrollments.csv", MARTE_HOMEROOM, MARTE_HOMEROOM + "2027-03-01")
    imported(export)
    marte = student("s-nv03")
    assert marte.leaves_on == date(2027, 3, 1)
    assert marte.left_on is None  # she has not left yet
    assert student("s-nv01").leaves_on is None  # the others stay


def test_an_end_on_the_school_years_end_does_not(copy_sample):
    export = copy_sample()
    edit(export, "enrollments.csv", MARTE_HOMEROOM, MARTE_HOMEROOM + YEAR_END.isoformat())
    imported(export)
    assert student("s-nv03").leaves_on is None


def test_no_end_date_means_not_leaving(copy_sample):
    imported(copy_sample())
    assert not Student.objects.filter(leaves_on__isnull=False).exists()


def test_a_later_export_without_the_end_takes_leaves_on_away(copy_sample):
    export = copy_sample()
    edit(export, "enrollments.csv", MARTE_HOMEROOM, MARTE_HOMEROOM + "2027-03-01")
    imported(export)
    assert student("s-nv03").leaves_on == date(2027, 3, 1)
    edit(export, "enrollments.csv", MARTE_HOMEROOM + "2027-03-01", MARTE_HOMEROOM)
    imported(export)
    assert student("s-nv03").leaves_on is None
