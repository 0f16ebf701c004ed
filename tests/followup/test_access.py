"""The IKO table of docs/architecture.md §4, walked for the whole cast: who opens a student's IKO page and a plan."""

import pytest
from django.urls import reverse

from accounts.models import Guardianship, StaffMembership
from audit.models import AccessEvent
from followup import access
from followup.models import Plan

from ..factories import request_as, years_ago
from .factories import iko_objects

pytestmark = pytest.mark.django_db

STUDENT_PAGE = {"iko_team": 200, "contact": 200, "teacher": 403, "coteacher": 403, "admin": 403,
                "principal": 403, "guardian": 404, "other_teacher": 200,  # other_teacher is the contact
                # the student under 18 sees nothing of IKO, not even that it exists
                "minor_student": 404,
                "other_admin": 404, "other_guardian": 404, "stranger": 404, "adult_student": 404}


@pytest.mark.parametrize("name, status", STUDENT_PAGE.items())
def test_a_students_iko_page_is_for_the_team_and_the_contact_teacher(client, iko_cast, minor, name, status):
    client.force_login(iko_cast[name])
    assert client.get(reverse("followup:student", args=[minor.pk])).status_code == status


@pytest.fixture
def plan(minor, teacher):
    """A draft plan for Emma, with a measure her maths teacher is responsible for."""
    return iko_objects(minor, teacher)["iko_plan"]


PLAN_DRAFT = {"iko_team": 200, "contact": 200, "teacher": 200, "coteacher": 403, "admin": 403, "guardian": 404,
              "minor_student": 404, "other_admin": 404, "stranger": 404}


@pytest.mark.parametrize("name, status", PLAN_DRAFT.items())
def test_a_plan_is_for_the_team_the_contact_teacher_and_those_responsible(client, iko_cast, plan, name, status):
    client.force_login(iko_cast[name])
    assert client.get(reverse("followup:plan", args=[plan.pk])).status_code == status


def test_the_family_reads_the_plan_once_it_is_shared(client, iko_cast, plan, guardian):
    client.force_login(guardian)
    assert client.get(reverse("followup:plan", args=[plan.pk])).status_code == 404  # not told it exists
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE, shared_on="2026-11-01")
    page = client.get(reverse("followup:plan", args=[plan.pk]))
    assert page.status_code == 200
    assert "Legg til et tiltak" not in page.content.decode()  # reads only
    assert plan in access.shared_plans_for_family(guardian)


def test_a_guardians_right_ends_when_the_student_turns_18(client, iko_cast, plan, guardian, minor):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE, shared_on="2026-11-01")
    minor.birth_date = years_ago(18)
    minor.save()
    client.force_login(guardian)
    assert client.get(reverse("followup:plan", args=[plan.pk])).status_code == 404
    assert not access.shared_plans_for_family(guardian).exists()


def test_the_adult_student_reads_their_own_shared_plan(client, adult, adult_student, teacher):
    plan = iko_objects(adult, teacher)["iko_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE, shared_on="2026-11-01")
    client.force_login(adult_student)
    assert client.get(reverse("followup:plan", args=[plan.pk])).status_code == 200


def test_the_contact_teachers_right_ends_with_the_relation(client, iko_cast, minor, contact):
    client.force_login(contact)
    url = reverse("followup:student", args=[minor.pk])
    assert client.get(url).status_code == 200
    minor.contact_teacher = None
    minor.save()
    assert client.get(url).status_code == 403  # still staff of the school: an insider


def test_the_responsibles_right_ends_when_they_leave_the_staff(client, iko_cast, plan, teacher):
    client.force_login(teacher)
    StaffMembership.objects.filter(user=teacher).delete()
    assert client.get(reverse("followup:plan", args=[plan.pk])).status_code == 404


def test_the_iko_teams_right_ends_when_they_leave_the_staff(client, iko_cast, minor, iko_team):
    StaffMembership.objects.filter(user=iko_team).delete()
    client.force_login(iko_team)
    assert client.get(reverse("followup:student", args=[minor.pk])).status_code == 404


def test_the_list_and_the_single_plan_agree_for_every_role(iko_cast, plan, guardian):
    for name, user in iko_cast.items():
        assert (plan in access.plans_visible_to(user)) == access.plan_rights(user, plan).read, name


def test_the_list_and_the_single_student_agree_for_every_role(iko_cast, minor):
    for name, user in iko_cast.items():
        assert (minor in access.students_followed_by(user)) == access.follows(user, minor), name


def test_reading_the_iko_page_is_logged(client, iko_team, minor):
    client.force_login(iko_team)
    client.get(reverse("followup:student", args=[minor.pk]))
    assert AccessEvent.objects.filter(user=iko_team, object_type="iko_student", student=minor,
                                      action="viewed").exists()


@pytest.mark.parametrize("name, status", [("iko_team", 200), ("contact", 200), ("teacher", 403),
                                          ("admin", 403), ("other_admin", 404), ("stranger", 404)])
def test_the_overview_is_for_the_team_and_contact_teachers(client, iko_cast, school_a, name, status):
    client.force_login(iko_cast[name])
    assert client.get(reverse("followup:overview", args=[school_a.pk])).status_code == status


def test_a_contact_teacher_sees_only_their_own_class_on_the_overview(client, iko_cast, minor, other_child, contact):
    iko_objects(minor, contact)
    iko_objects(other_child, contact)
    client.force_login(contact)
    page = client.get(reverse("followup:overview", args=[minor.school_id])).content.decode()
    assert "Emma Hansen" in page and "Ola Nilsen" not in page
