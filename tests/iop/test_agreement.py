"""The list twin agrees with the object check for IOPs (DESIGN.md §4 "IOP: see at all").

For every member of the cast and every publication stage, a plan is in `plans_visible_to(user)`
if and only if `get_plan_for(request, pk, "see")` lets the user open it. The plans are those of
every student the cast relates to in a different way (the minor, the adult, another child of
school A, a student of school B), this school year and last, and the guardian also holds a
guardianship of the adult, which gives nothing once the student is 18.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from iop.access import get_plan_for, plans_visible_to
from iop.models import Plan

from ..access_table import CAST, iop_holds
from ..factories import GuardianshipFactory, SchoolYearFactory, StudentFactory, request_as
from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def opens(user, plan) -> bool:
    try:
        get_plan_for(request_as(user), plan.pk, "see")
    except (Http404, PermissionDenied):
        return False
    return True


@pytest.fixture
def plans_at(minor, adult, other_child, school_b, guardian):
    GuardianshipFactory(guardian=guardian, student=adult)
    students = [minor, adult, other_child, StudentFactory(school=school_b)]
    this_year = SchoolYearFactory()
    years = [this_year, SchoolYearFactory(start_year=this_year.start_year - 1)]

    def make(stage):
        """Every student's plan in both years at `stage`; `minor`'s of this year first."""
        return [PlanFactory(student=student, school_year=year, stage=stage) for student in students for year in years]

    return make


@pytest.mark.parametrize("stage", Plan.Stage.values)
@pytest.mark.parametrize("name", CAST)
def test_plans_visible_to_agrees_with_get_plan_for(cast, plans_at, name, stage):
    user = cast[name]
    plans = plans_at(stage)
    visible = set(plans_visible_to(user))
    assert visible <= set(plans)
    for plan in plans:
        assert (plan in visible) == opens(user, plan), (plan.student, plan.school_year)
    # Not agreement by both refusing everything: the minor's plan follows the access table.
    assert opens(user, plans[0]) == iop_holds(name, "see", stage)


@pytest.mark.parametrize("name", CAST)
def test_one_schools_plans_are_the_visible_plans_at_that_school(cast, plans_at, school_a, school_b, name):
    user = cast[name]
    plans_at(Plan.Stage.STUDENT_AND_GUARDIANS)
    for school in (school_a, school_b):
        assert set(plans_visible_to(user, school=school.pk)) == set(
            plans_visible_to(user).filter(student__school=school)), school
