"""A page under `reads_school_roles_once` reads the user's school roles in one query, and its rules answer
exactly as the live rules do, for the whole cast and every ending."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from guardian.shortcuts import assign_perm, remove_perm

from accounts import access

pytestmark = pytest.mark.django_db

SCHOOL_LISTS = (access.staff_schools, access.teacher_schools, access.principal_schools, access.admin_schools,
                access.iko_team_schools, access.case_creator_schools)
SCHOOL_CHECKS = (access.is_staff_of, access.is_principal, access.is_iop_admin, access.is_iko_team,
                 access.is_case_creator)
ANYWHERE = (access.is_staff_anywhere, access.is_teacher_anywhere)


def answers(user, schools) -> tuple:
    return (
        [set(school_list(user)) for school_list in SCHOOL_LISTS],
        [check(user, school) for check in SCHOOL_CHECKS for school in schools],
        [anywhere(user) for anywhere in ANYWHERE],
    )


def in_a_page(ask, method="get"):
    """`ask()` inside a view under reads_school_roles_once, requested with `method`."""
    found = []

    @access.reads_school_roles_once
    def view(request):
        found.append(ask())
        return HttpResponse()

    view(getattr(RequestFactory(), method)("/"))
    return found[0]


@pytest.fixture
def roles_everywhere(cast, school_a, school_b):
    """Every school role somewhere in the cast, and a grant that counts for nothing (not on the staff)."""
    assign_perm(access.IKO_TEAM_PERMISSION, cast["teacher"], school_a)
    assign_perm(access.CASE_CREATOR_PERMISSION, cast["principal"], school_a)
    assign_perm(access.IOP_ADMIN_PERMISSION, cast["teacher"], school_b)
    assign_perm(access.IOP_ADMIN_PERMISSION, cast["stranger"], school_a)
    return cast


def test_a_page_answers_as_the_live_rules(roles_everywhere, school_a, school_b):
    for name, user in roles_everywhere.items():
        assert in_a_page(lambda: answers(user, (school_a, school_b))) == answers(user, (school_a, school_b)), name


def test_a_page_reads_the_roles_once(admin, school_a, school_b, django_assert_num_queries):
    def ask_many():
        return (access.is_staff_anywhere(admin), access.is_iop_admin(admin, school_a),
                access.is_principal(admin, school_b), list(access.admin_schools(admin)))

    with django_assert_num_queries(2):  # the roles, then the schools' rows
        assert in_a_page(ask_many) == (True, True, False, [school_a])


def test_a_post_reads_the_roles_live(admin, school_a, django_assert_num_queries):
    with django_assert_num_queries(2):
        in_a_page(lambda: (access.is_iop_admin(admin, school_a), access.is_staff_of(admin, school_a)), "post")


def test_each_page_reads_the_roles_afresh(admin, school_a):
    assert in_a_page(lambda: access.is_iop_admin(admin, school_a))
    remove_perm(access.IOP_ADMIN_PERMISSION, admin, school_a)
    assert not in_a_page(lambda: access.is_iop_admin(admin, school_a))


def test_in_a_page_a_role_ends_with_the_staff_membership(admin, teacher, school_a):
    assign_perm(access.IKO_TEAM_PERMISSION, teacher, school_a)
    admin.staff_memberships.all().delete()
    teacher.staff_memberships.all().delete()
    assert in_a_page(lambda: answers(admin, [school_a]) + answers(teacher, [school_a])) == (
        [set()] * len(SCHOOL_LISTS), [False] * len(SCHOOL_CHECKS), [False] * len(ANYWHERE)) * 2


def test_an_inactive_user_holds_nothing_in_a_page(principal, school_a):
    principal.is_active = False
    principal.save()
    assert in_a_page(lambda: answers(principal, [school_a])) == (
        [set()] * len(SCHOOL_LISTS), [False] * len(SCHOOL_CHECKS), [False] * len(ANYWHERE))


def test_the_start_page_shows_a_role_revoked_between_two_pages(client, admin, school_a):
    client.force_login(admin)
    assert [section["school"] for section in client.get("/").context["admin_sections"]] == [school_a]
    remove_perm(access.IOP_ADMIN_PERMISSION, admin, school_a)
    assert client.get("/").context["admin_sections"] == []
