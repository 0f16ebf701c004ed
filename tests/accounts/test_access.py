"""The role predicates of accounts/access.py for every member of the cast."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts import access
from accounts.access import Role
from accounts.models import SchoolYear, StaffMembership

from ..access_table import ADMIN, CAST, GUARDIAN, STUDENT, TEACHER, relation
from ..factories import EnrollmentFactory, GuardianshipFactory, StudentFactory, SubjectFactory, UserFactory, request_as

pytestmark = pytest.mark.django_db

# Who relates to `minor` (Emma, 16, school A) and how: the relations the access table of
# tests/access_table.py is written for, as roles.
ROLE_OF = {ADMIN: Role.IOP_ADMIN, TEACHER: Role.TEACHER, STUDENT: Role.STUDENT, GUARDIAN: Role.GUARDIAN}
EXPECTED_MINOR_ROLES = {name: {ROLE_OF[relation(name)]} if relation(name) else set() for name in CAST}


@pytest.mark.parametrize("name", EXPECTED_MINOR_ROLES)
def test_roles_towards_minor(cast, minor, name):
    assert access.roles_for(cast[name], minor) == EXPECTED_MINOR_ROLES[name]


@pytest.mark.parametrize("name", EXPECTED_MINOR_ROLES)
def test_each_predicate_towards_minor(cast, minor, name):
    user, expected = cast[name], EXPECTED_MINOR_ROLES[name]
    assert access.is_iop_admin(user, minor.school) == (Role.IOP_ADMIN in expected)
    assert access.teaches(user, minor) == (Role.TEACHER in expected)
    assert access.is_student(user, minor) == (Role.STUDENT in expected)
    assert access.guards(user, minor) == (Role.GUARDIAN in expected)


@pytest.mark.parametrize("name", EXPECTED_MINOR_ROLES)
def test_list_filter_agrees_with_object_check(cast, minor, adult, other_child, name):
    user = cast[name]
    visible = set(access.students_visible_to(user))
    for student in (minor, adult, other_child):
        assert (student in visible) == bool(access.roles_for(user, student)), student


def test_adult_student_sees_only_themselves(cast, adult, minor):
    assert access.roles_for(cast["adult_student"], adult) == {Role.STUDENT}
    assert access.roles_for(cast["adult_student"], minor) == set()


def test_admin_of_other_school_is_admin_there_only(other_admin, school_a, school_b):
    assert access.is_iop_admin(other_admin, school_b)
    assert not access.is_iop_admin(other_admin, school_a)
    assert list(access.admin_schools(other_admin)) == [school_b]


def test_principal_is_not_admin_by_office(principal, school_a):
    assert access.is_principal(principal, school_a)
    assert not access.is_iop_admin(principal, school_a)


def test_guardianship_ends_on_18th_birthday(guardian, minor):
    birthday = minor.birth_date.replace(year=minor.birth_date.year + 18)
    assert access.guards(guardian, minor, today=birthday - timedelta(days=1))
    assert not access.guards(guardian, minor, today=birthday)
    assert minor not in access.children_of(guardian, today=birthday)
    assert minor in access.children_of(guardian, today=birthday - timedelta(days=1))


def test_guardian_of_adult_has_no_right(adult):
    parent = UserFactory(username="parent_of_adult")
    GuardianshipFactory(guardian=parent, student=adult)
    assert not access.guards(parent, adult)
    assert access.roles_for(parent, adult) == set()


def test_leap_day_child_comes_of_age_on_1_march(school_a):
    from datetime import date

    child = StudentFactory(school=school_a, birth_date=date(2008, 2, 29))
    parent = UserFactory(username="leap_parent")
    GuardianshipFactory(guardian=parent, student=child)
    assert access.guards(parent, child, today=date(2026, 2, 28))
    assert not access.guards(parent, child, today=date(2026, 3, 1))
    assert child in access.children_of(parent, today=date(2026, 2, 28))
    assert child not in access.children_of(parent, today=date(2026, 3, 1))


def test_enrollment_that_ended_stops_teaching(teacher, minor):
    today = timezone.localdate()
    minor.enrollments.update(ended_on=today)
    assert not access.teaches(teacher, minor, today=today)
    assert access.teaches(teacher, minor, today=today - timedelta(days=1))
    assert minor not in access.students_taught_by(teacher, today=today)


def test_last_years_enrollment_does_not_count(other_teacher, minor):
    last_year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_of(timezone.localdate()) - 1)
    EnrollmentFactory(student=minor, subject=SubjectFactory(code="NOR1260"), school_year=last_year,
                      teachers=[other_teacher])
    assert not access.teaches(other_teacher, minor)


def test_school_year_runs_august_to_july():
    from datetime import date

    assert SchoolYear.start_year_of(date(2026, 7, 31)) == 2025
    assert SchoolYear.start_year_of(date(2026, 8, 1)) == 2026
    year = SchoolYear.objects.current(date(2026, 11, 23), create=True)
    assert (year.starts_on, year.ends_on) == (date(2026, 8, 1), date(2027, 7, 31))


def test_revoked_admin_is_no_longer_admin(admin, school_a):
    remove_perm("administer_iop", admin, school_a)
    assert not access.is_iop_admin(admin, school_a)


def test_admin_grant_counts_only_while_on_the_staff(admin, school_a):
    StaffMembership.objects.filter(user=admin, school=school_a).delete()
    assert not access.is_iop_admin(admin, school_a)
    assert not access.students_administered_by(admin).exists()


def test_inactive_user_has_no_role(admin, teacher, minor):
    for user in (admin, teacher):
        user.is_active = False
        user.save()
        assert access.roles_for(user, minor) == set()


def test_superuser_and_global_permission_open_nothing(minor, school_a):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assign_perm("accounts.administer_iop", root)  # a global (model-level) grant
    assert not access.is_iop_admin(root, school_a)
    assert access.roles_for(root, minor) == set()


def test_anonymous_user_has_no_role(minor):
    from django.contrib.auth.models import AnonymousUser

    assert access.roles_for(AnonymousUser(), minor) == set()
    assert not access.students_visible_to(AnonymousUser()).exists()


def test_deny_gives_404_to_outsiders_and_403_to_insiders():
    with pytest.raises(Http404):
        access.deny(insider=False)
    with pytest.raises(PermissionDenied):
        access.deny(insider=True)
    access.require(True, insider=False)  # allowed: no exception


def test_school_for_principal(principal, teacher, other_admin, school_a):
    assert access.get_school_for_principal(request_as(principal), school_a.pk) == school_a
    with pytest.raises(PermissionDenied):
        access.get_school_for_principal(request_as(teacher), school_a.pk)
    with pytest.raises(Http404):
        access.get_school_for_principal(request_as(other_admin), school_a.pk)
    with pytest.raises(Http404):
        access.get_school_for_principal(request_as(principal), 999999)
