"""Issue 17, item 9: the annex names the reached individual goals; the IOP admin builds rows from them."""

import pytest
from django.urls import reverse

from accounts.models import Student
from audit.models import AccessEvent
from iop.models import AnnexRow, Goal, Plan
from tests.factories import SubjectFactory

from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=Plan.Stage.TEACHERS)


@pytest.fixture
def goals(plan):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1001", name="Matematikk"))
    return {
        "money": GoalFactory(plan_subject=maths, learning_goal="Regne med penger.", reached=True, position=1),
        "time": GoalFactory(plan_subject=maths, learning_goal="Lese klokka.", reached=True, position=2),
        "open": GoalFactory(plan_subject=maths, learning_goal="Brøk.", reached=False, position=3),
    }


def build(client, user, plan, data):
    client.force_login(user)
    return client.post(reverse("iop:plan_annex_from_goals", args=[plan.pk]), data)


def test_admin_builds_one_row_per_subject_from_the_chosen_reached_goals(client, admin, plan, goals):
    response = build(client, admin, plan, {"goals": [goals["money"].pk, goals["time"].pk], "extent": "70"})
    assert response.status_code == 302
    row = AnnexRow.objects.get()
    assert (row.plan, row.extent, row.year) == (plan, 70, str(plan.school_year.start_year + 1))
    assert "Matematikk" in row.subject_topic
    assert row.assessment == "– Regne med penger.\n– Lese klokka."
    assert AccessEvent.objects.filter(action="changed", object_type="iop_annex", object_id=str(row.pk)).exists()


def test_the_page_offers_only_reached_goals(client, admin, plan, goals):
    client.force_login(admin)
    response = client.get(reverse("iop:annex", args=[plan.pk]))
    offered = set(response.context["goals_form"].fields["goals"].queryset)
    assert offered == {goals["money"], goals["time"]}


@pytest.mark.parametrize("data", [
    {"extent": "70"},  # no goal chosen
    {"goals": ["open"], "extent": "70"},  # not reached
    {"goals": ["money"], "extent": "ti"},
    {"goals": ["money"], "extent": "-1"},
])
def test_bad_input_is_refused_and_nothing_stored(client, admin, plan, goals, data):
    data = {**data, "goals": [goals[name].pk for name in data.get("goals", [])]}
    response = build(client, admin, plan, data)
    assert response.status_code == 200 and response.context["goals_form"].errors
    assert not AnnexRow.objects.exists()


def test_a_goal_of_another_plan_is_refused(client, admin, plan, goals, adult):
    other = GoalFactory(plan_subject=PlanSubjectFactory(plan=PlanFactory(student=adult)), reached=True)
    response = build(client, admin, plan, {"goals": [other.pk], "extent": "70"})
    assert response.status_code == 200 and not AnnexRow.objects.exists()


def test_teacher_may_not_build_rows(client, teacher, plan, goals):
    assert build(client, teacher, plan, {"goals": [goals["money"].pk], "extent": "70"}).status_code == 403
    assert not AnnexRow.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "stranger"])
def test_outsiders_get_404(client, cast, plan, goals, who):
    assert build(client, cast[who], plan, {"goals": [goals["money"].pk], "extent": "70"}).status_code == 404


def test_archived_is_read_only(client, admin, minor, plan, goals):
    Student.objects.filter(pk=minor.pk).update(archived_on="2026-01-01")
    assert build(client, admin, plan, {"goals": [goals["money"].pk], "extent": "70"}).status_code == 403
    assert not AnnexRow.objects.exists()


def test_admin_marks_a_goal_reached(client, admin, plan, goals):
    goal = goals["open"]
    client.force_login(admin)
    response = client.post(reverse("iop:goal_edit", args=[goal.pk]), {
        "competence_goal": goal.competence_goal, "learning_goal": goal.learning_goal, "content": goal.content,
        "reached": "on", "version": goal.version,
    })
    assert response.status_code == 302 and Goal.objects.get(pk=goal.pk).reached is True


def test_teacher_marks_a_goal_of_their_subject_reached(client, teacher, minor):
    subject = PlanSubjectFactory(plan=PlanFactory(student=minor, stage=Plan.Stage.TEACHERS),
                                 subject=SubjectFactory(code="MAT1019"))  # the teacher's subject
    goal = GoalFactory(plan_subject=subject)
    client.force_login(teacher)
    response = client.post(reverse("iop:goal_edit", args=[goal.pk]), {
        "competence_goal": goal.competence_goal, "learning_goal": goal.learning_goal, "content": goal.content,
        "reached": "on", "version": goal.version,
    })
    assert response.status_code == 302 and Goal.objects.get(pk=goal.pk).reached is True
