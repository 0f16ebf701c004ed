"""The start page shows one section per role the user has."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from .factories import EnrollmentFactory, StudentFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def start(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("start"), params)
    assert response.status_code == 200
    return response


def admin_students(response):
    return [list(section["page"].object_list) for section in response.context["admin_sections"]]


def test_admin_sees_the_schools_students_with_their_status(client, admin, minor, adult, other_child, school_b):
    from applications.models import Application

    from .applications.factories import ApplicationFactory

    StudentFactory(school=school_b, first_name="Kari")
    ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    response = start(client, admin)
    assert admin_students(response) == [[adult, minor, other_child]]
    statuses = {s.first_name: s.application_status for s in admin_students(response)[0]}
    assert statuses == {"Erik": None, "Emma": "awaiting_approval", "Ola": None}
    html = response.content.decode()
    assert "Spesialundervisning" in html and "Emma Hansen" in html and "Kari" not in html


def test_admin_filters_by_name_and_class(client, admin, minor, adult, school_a):
    StudentFactory(school=school_a, first_name="Nora", last_name="Lie", group="2STB")
    prefix = f"s{school_a.pk}"
    assert admin_students(start(client, admin, **{f"{prefix}-q": "emma"})) == [[minor]]
    assert admin_students(start(client, admin, **{f"{prefix}-q": "hansen emma"})) == [[minor]]
    assert [s.first_name for s in admin_students(start(client, admin, **{f"{prefix}-group": "2STB"}))[0]] == ["Nora"]


def test_admin_filter_with_unknown_class_shows_everyone_and_no_error(client, admin, minor, adult, school_a):
    response = start(client, admin, **{f"s{school_a.pk}-group": "<script>"})
    assert admin_students(response) == [[adult, minor]]


def test_admin_list_is_paged(client, admin, school_a):
    StudentFactory.create_batch(55, school=school_a)
    first = start(client, admin)
    assert len(admin_students(first)[0]) == 50
    second = start(client, admin, **{f"s{school_a.pk}-page": "2"})
    assert len(admin_students(second)[0]) == 5
    assert start(client, admin, **{f"s{school_a.pk}-page": "banana"}).status_code == 200


def test_admin_empty_school_has_a_helpful_message(client, admin):
    assert "har ingen elever registrert" in start(client, admin).content.decode()


def taught(response) -> list:
    return list(response.context["taught"]["page"].object_list)


@pytest.mark.parametrize("name", ["teacher", "coteacher"])
def test_teacher_sees_the_students_they_teach(client, cast, minor, adult, other_child, name):
    response = start(client, cast[name])
    expected = {minor, adult} if name == "teacher" else {minor}
    assert set(taught(response)) == expected
    assert response.context["admin_sections"] == []


def test_teacher_without_students_gets_an_empty_state(client, school_a, other_teacher):
    response = start(client, other_teacher)
    assert response.context["taught"]["total"] == 0
    assert "ikke registrert som lærer" in response.content.decode()


def test_a_teacher_of_many_classes_filters_and_pages_the_list(client, school_a, teacher):
    maths = SubjectFactory(code="MAT1019")
    for number in range(60):
        student = StudentFactory(school=school_a, last_name=f"Elev{number:02d}", group="1STA" if number < 55 else "2STB")
        EnrollmentFactory(student=student, subject=maths, teachers=[teacher])
    first = start(client, teacher)
    assert len(taught(first)) == 50 and first.context["taught"]["total"] == 60
    assert "Side 1 av 2" in first.content.decode()
    assert len(taught(start(client, teacher, **{"t-page": "2"}))) == 10
    assert [s.group for s in taught(start(client, teacher, **{"t-group": "2STB"}))] == ["2STB"] * 5
    assert [s.last_name for s in taught(start(client, teacher, **{"t-q": "elev07"}))] == ["Elev07"]


def test_guardian_sees_their_children_only(client, guardian, other_guardian, minor, other_child):
    assert list(start(client, guardian).context["children"]) == [minor]
    assert list(start(client, other_guardian).context["children"]) == [other_child]


def test_students_see_themselves(client, minor_student, adult_student, minor, adult):
    assert start(client, minor_student).context["self_student"] == minor
    response = start(client, adult_student)
    assert response.context["self_student"] == adult
    assert list(response.context["children"]) == [] and response.context["taught"] is None


def test_principal_gets_the_tilgang_link(client, principal, school_a):
    response = start(client, principal)
    assert reverse("accounts:school_access", args=[school_a.pk]) in response.content.decode()


def test_teacher_does_not_get_the_tilgang_link(client, teacher, school_a):
    assert reverse("accounts:school_access", args=[school_a.pk]) not in start(client, teacher).content.decode()


def test_user_with_several_roles_sees_each_section(client, teacher, minor, school_a, principal):
    child = StudentFactory(school=school_a, first_name="Lille")
    child.guardianships.create(guardian=teacher)
    assign_perm("administer_iop", teacher, school_a)
    response = start(client, teacher)
    assert len(response.context["admin_sections"]) == 1
    assert minor in taught(response)
    assert list(response.context["children"]) == [child]


def test_stranger_sees_an_explanation(client, stranger, minor):
    html = start(client, stranger).content.decode()
    assert "ikke knyttet til noen skole" in html
    assert minor.full_name not in html  # not "Emma": the stranger may be called Emma too


def test_header_names_user_roles_and_school(client, admin, school_a):
    html = start(client, admin).content.decode()
    assert "IOP-ansvarlig" in html and school_a.name in html


def test_system_administrator_gets_the_admin_link(client):
    from .factories import UserFactory

    html = start(client, UserFactory(username="root", is_staff=True, is_superuser=True)).content.decode()
    assert reverse("admin:index") in html and "ikke knyttet" not in html


def test_guardian_sees_the_application_awaiting_approval(client, guardian, minor):
    from applications.models import Application

    from .applications.factories import ApplicationFactory

    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    response = start(client, guardian)
    assert list(response.context["awaiting"]) == [application]
    assert reverse("applications:application_read", args=[application.pk]) in response.content.decode()


@pytest.mark.parametrize("stage, teacher_sees, guardian_sees", [(1, False, False), (2, True, False), (3, True, True)])
def test_start_page_links_to_the_iop_when_it_is_visible(client, teacher, guardian, minor, stage, teacher_sees,
                                                         guardian_sees):
    from .iop.factories import PlanFactory

    plan = PlanFactory(student=minor, stage=stage)
    link = reverse("iop:plan_detail", args=[plan.pk])
    assert (link in start(client, teacher).content.decode()) == teacher_sees
    assert (link in start(client, guardian).content.decode()) == guardian_sees
