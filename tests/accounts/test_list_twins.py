"""The list twins the notices use agree with the predicates they mirror, for the whole cast and every ending."""

from datetime import timedelta

import pytest
from django.db.models import OuterRef
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import Enrollment, School, Student

from ..factories import EnrollmentFactory, SubjectFactory

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


def answers(user, student, today=None):
    """The expression twins' answers, read with the student as the IOP page's query reads them."""
    row = Student.objects.annotate(
        taught=access.subjects_taught_expression(user, OuterRef("pk")),
        listed=access.guardianship_expression(user, OuterRef("pk")),
    ).get(pk=student.pk)
    return access.subject_ids(row.taught), access.guards(user, student, today, listed=row.listed)


def test_the_expression_twins_agree_with_the_checks(cast, minor, adult, other_child, teacher):
    EnrollmentFactory(student=minor, subject=SubjectFactory(code="NOR1260"), teachers=[teacher])  # two subjects
    for student in (minor, adult, other_child):
        for name, user in cast.items():
            assert answers(user, student) == (access.subjects_taught(user, student), access.guards(user, student)), \
                (name, student)
    assert len(answers(teacher, minor)[0]) == 2


def test_the_expression_twins_end_with_the_relation(minor, teacher, coteacher, guardian):
    teacher.staff_memberships.all().delete()
    assert answers(teacher, minor)[0] == frozenset() and answers(coteacher, minor)[0]
    Enrollment.objects.filter(student=minor).update(ended_on="2000-01-01")
    assert answers(coteacher, minor)[0] == frozenset()
    birthday = minor.birth_date.replace(year=minor.birth_date.year + 18)
    assert answers(guardian, minor, today=birthday - timedelta(days=1))[1]
    assert not answers(guardian, minor, today=birthday)[1]


def test_which_exist_agrees_with_each_lists_exists(cast):
    lists = {"admin": access.admin_schools, "principal": access.principal_schools, "staff": access.staff_schools,
             "teacher": access.teacher_schools, "teaches": access.enrollments_taught_by,
             "guardian": access.children_of, "student": access.student_self}
    for user in cast.values():
        checks = {name: of(user) for name, of in lists.items()}
        assert access.which_exist(user, checks) == {name: qs.exists() for name, qs in checks.items()}, user


def test_which_exist_ends_with_the_relation(guardian, minor, teacher):
    checks = lambda: {"guardian": access.children_of(guardian), "teaches": access.enrollments_taught_by(teacher)}  # noqa: E731
    assert access.which_exist(guardian, checks()) == {"guardian": True, "teaches": True}
    minor.birth_date = minor.birth_date.replace(year=minor.birth_date.year - 18)
    minor.save()
    Enrollment.objects.filter(teachers=teacher).update(ended_on="2000-01-01")
    assert access.which_exist(guardian, checks()) == {"guardian": False, "teaches": False}


def test_which_exist_of_an_inactive_user_is_all_false(teacher):
    teacher.is_active = False
    teacher.save()
    assert access.which_exist(teacher, {"teaches": access.enrollments_taught_by(teacher)}) == {"teaches": False}


@pytest.mark.parametrize("expression,check,permission", [
    (access.is_iop_admin_expression, access.is_iop_admin, "administer_iop"),
    (access.is_iko_team_expression, access.is_iko_team, "follow_up_iko"),
])
def test_the_school_role_twins_agree_and_end_with_the_staff_membership(cast, school_a, school_b, expression, check,
                                                                       permission):
    assign_perm(permission, cast["teacher"], school_a)
    assign_perm(permission, cast["stranger"], school_a)  # a grant without staff membership counts for nothing

    def answer(user, school):
        return School.objects.annotate(held=expression(user, OuterRef("pk"))).get(pk=school.pk).held

    for user in cast.values():
        for school in (school_a, school_b):
            assert answer(user, school) == check(user, school), (user, school)
    assert answer(cast["teacher"], school_a)
    cast["teacher"].staff_memberships.all().delete()
    assert not answer(cast["teacher"], school_a)


def test_the_registration_checks_say_whether_anyone_may_be_registered(cast, school_a, minor, teacher):
    from cases.access import registration_checks, students_for_registration

    def anyone(user):
        return any(access.which_exist(user, registration_checks(user)).values())

    minor.contact_teacher = teacher
    minor.save()
    assign_perm("create_cases", cast["principal"], school_a)
    for user in cast.values():
        assert anyone(user) == students_for_registration(user).exists(), user
    assert anyone(teacher) and anyone(cast["principal"])
    minor.left_on = minor.birth_date.replace(year=2000)
    minor.save()
    assert anyone(teacher) == students_for_registration(teacher).exists()
