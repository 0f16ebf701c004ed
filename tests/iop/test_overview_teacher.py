"""The teacher's list: what they still have to write in their own subjects, across their students' IOPs."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from audit.models import AccessEvent
from iop.models import SchoolYearDeadlines

from ..factories import SubjectFactory
from .factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

URL = "/iop/mitt-arbeid/"


@pytest.fixture
def year():
    return SchoolYear.objects.current(create=True)


@pytest.fixture
def plan(minor, year):
    return PlanFactory(student=minor, school_year=year, stage=2)


@pytest.fixture
def maths(plan):
    """Taught by `teacher` and `coteacher`."""
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))


@pytest.fixture
def norwegian(plan):
    """Taught by nobody in the cast."""
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1021"), position=1)


def listed(response) -> dict[int, list[str]]:
    """Subject id → the work listed for it."""
    html = response.content.decode()
    rows = re.findall(r'<tr data-subject="(\d+)">(.*?)</tr>', html, re.S)
    return {int(pk): re.findall(r'data-work="(\w+)"', body) for pk, body in rows}


def test_the_url_is_named():
    assert reverse("iop:my_work") == URL


def test_a_teacher_sees_the_goals_to_write_in_their_own_subjects_only(client, teacher, maths, norwegian):
    client.force_login(teacher)
    assert listed(client.get(URL)) == {maths.pk: ["goals"]}


def test_a_draft_iop_is_not_on_the_list(client, teacher, plan, maths):
    plan.stage = 1
    plan.save()
    client.force_login(teacher)
    assert listed(client.get(URL)) == {}


def test_assessments_join_the_list_when_their_time_has_come(client, teacher, school_a, year, plan, maths):
    maths.goals_done = True
    maths.save()
    client.force_login(teacher)
    assert listed(client.get(URL)) == {}
    yesterday = timezone.localdate() - timedelta(days=1)
    SchoolYearDeadlines.objects.create(school=school_a, school_year=year, half_year_due=yesterday)
    response = client.get(URL)
    assert listed(response) == {maths.pk: ["half_year"]}
    assert 'data-status="overdue"' in response.content.decode()
    maths.half_year_done = True
    maths.save()
    assert listed(client.get(URL)) == {}


def test_the_list_is_logged_per_student_shown(client, teacher, maths):
    client.force_login(teacher)
    client.get(URL)
    events = AccessEvent.objects.filter(object_type="iop_work_list", action="viewed", user=teacher)
    assert list(events.values_list("student_id", flat=True)) == [maths.plan.student_id]


def test_a_teacher_with_nothing_to_write_gets_an_empty_list(client, other_teacher, other_child, maths):
    client.force_login(other_teacher)
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == {}
    assert 'id="nothing-to-write"' in response.content.decode()


@pytest.mark.parametrize("name,status", [("principal", 403), ("admin", 403), ("guardian", 404),
                                         ("minor_student", 404), ("stranger", 404)])
def test_someone_who_teaches_nobody_is_refused(client, cast, maths, name, status):
    client.force_login(cast[name])
    assert client.get(URL).status_code == status


def test_the_list_is_linked_from_the_teachers_start_page(client, teacher, minor):
    client.force_login(teacher)
    assert URL in client.get(reverse("start")).content.decode()
