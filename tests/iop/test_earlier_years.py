"""Earlier school years are read-only for everyone but the IOP admin, who must confirm first."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from audit.models import AccessEvent
from iop.models import Plan

from ..factories import SubjectFactory
from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year():
    this = SchoolYear.start_year_of(timezone.localdate())
    return SchoolYear.objects.get_or_create(start_year=this - 1)[0]


@pytest.fixture
def old_plan(minor, last_year):
    """Last year's IOP, published, for the maths the teacher teaches the student this year too."""
    plan = PlanFactory(student=minor, school_year=last_year, stage=Plan.Stage.ANNUAL_REPORT)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), annual_development="Slik var det.")
    return plan


def test_a_teacher_reads_but_cannot_rewrite_last_years_assessment(client, teacher, old_plan):
    subject = old_plan.subjects.get()
    client.force_login(teacher)
    url = reverse("iop:assessment_edit", args=[subject.pk, "ar"])
    assert client.get(reverse("iop:subject_detail", args=[subject.pk])).status_code == 200
    response = client.post(url, {"development": "Omskrevet", "opportunities": "", "version": 0})
    assert response.status_code == 403
    subject.refresh_from_db()
    assert subject.annual_development == "Slik var det."


def test_a_teacher_cannot_add_or_change_goals_or_log_of_last_year(client, teacher, old_plan):
    subject = old_plan.subjects.get()
    goal = GoalFactory(plan_subject=subject, competence_goal="Gammelt mål")
    client.force_login(teacher)
    assert client.post(reverse("iop:goal_add", args=[subject.pk]), {"competence_goal": "Nytt"}).status_code == 403
    response = client.post(reverse("iop:goal_edit", args=[goal.pk]), {"competence_goal": "Endret", "version": 0})
    assert response.status_code == 403
    assert client.post(reverse("iop:log_add", args=[old_plan.pk]), {"text": "Ny logg"}).status_code == 403
    goal.refresh_from_db()
    assert goal.competence_goal == "Gammelt mål" and subject.goals.count() == 1


def test_the_admin_must_confirm_before_changing_last_years_plan(client, admin, old_plan):
    client.force_login(admin)
    page = client.get(reverse("iop:plan_detail", args=[old_plan.pk]))
    assert page.status_code == 200 and page.context["rights"].may_unlock
    assert reverse("iop:plan_edit_part1", args=[old_plan.pk]) not in page.content.decode()
    edit = reverse("iop:report_edit", args=[old_plan.pk])
    data = {"version": 0, "report_training": "Rettet", "report_assessment": "", "report_continued_need": "",
            "report_sent_on": ""}
    assert client.post(edit, data).status_code == 403

    assert client.post(reverse("iop:plan_unlock", args=[old_plan.pk])).status_code == 302
    assert AccessEvent.objects.filter(action="granted", object_type="iop", object_id=str(old_plan.pk)).exists()
    assert client.post(edit, data).status_code == 302
    old_plan.refresh_from_db()
    assert old_plan.report_training == "Rettet"


def test_only_the_admin_may_confirm(client, teacher, guardian, old_plan):
    for user, status in ((teacher, 403), (guardian, 403)):
        client.force_login(user)
        assert client.post(reverse("iop:plan_unlock", args=[old_plan.pk])).status_code == status


def test_this_years_plan_needs_no_confirmation(client, admin, minor):
    plan = PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True))
    client.force_login(admin)
    page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert not page.context["rights"].earlier_year and page.context["rights"].write_plan
    assert client.post(reverse("iop:plan_unlock", args=[plan.pk])).status_code == 403
