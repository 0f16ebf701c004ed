"""The list twins the notices use agree with the predicates they mirror, for the whole cast and every ending."""

import pytest
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import Enrollment

pytestmark = pytest.mark.django_db


def test_teachers_of_agrees_with_teaches(cast, minor, adult, other_child):
    for student in (minor, adult, other_child):
        listed = set(access.teachers_of(student))
        assert listed == {user for user in cast.values() if access.teaches(user, student)}, student


def test_teachers_of_ends_with_the_staff_membership_and_the_enrollment(minor, teacher, coteacher):
    teacher.staff_memberships.all().delete()
    assert set(access.teachers_of(minor)) == {coteacher}
    Enrollment.objects.filter(student=minor).update(ended_on="2000-01-01")
    assert not access.teachers_of(minor).exists()


def test_iop_admins_of_agrees_with_is_iop_admin(cast, school_a, school_b):
    assign_perm("administer_iop", cast["stranger"], school_a)  # a grant without staff membership counts for nothing
    for school in (school_a, school_b):
        everyone = [*cast.values()]
        assert set(access.iop_admins_of(school)) == {u for u in everyone if access.is_iop_admin(u, school)}, school


def test_an_inactive_admin_is_not_listed(admin, school_a):
    admin.is_active = False
    admin.save()
    assert not access.iop_admins_of(school_a).exists()
