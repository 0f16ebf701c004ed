"""Part 2: goals and assessments per subject — who reads and writes at which stage, and the edits."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AccessEvent
from iop.access import rights_for
from iop.models import Goal, PlanSubject

from ..access_table import CAST, IOP_PAGES, STAGES, iop_holds, iop_status
from ..factories import SubjectFactory
from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=2)


@pytest.fixture
def own(plan):
    """The subject `teacher` and `coteacher` teach the student."""
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), half_year_development="Halvår-tekst",
                              annual_development="Års-tekst")


@pytest.fixture
def foreign(plan):
    """A subject of the same plan that nobody in the cast teaches."""
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1021"), position=1)


def write_status(name, stage, *, own_subject=True):
    return iop_status(name, "write_own_subject" if own_subject else "write_other_subject", stage, ok=302)


def set_stage(plan, stage):
    plan.stage = stage
    plan.save(update_fields=["stage"])


def detail_url(subject):
    return reverse("iop:subject_detail", args=[subject.pk])


# --- Reading ------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_subject_detail_access_matrix(client, cast, plan, own, name, stage):
    set_stage(plan, stage)
    client.force_login(cast[name])
    response = client.get(detail_url(own))
    assert response.status_code == iop_status(name, IOP_PAGES["part 2 subject"], stage)
    if response.status_code == 200:
        content = response.content.decode()
        assert ("Halvår-tekst" in content) == iop_holds(name, "read_half_year", stage)
        assert ("Års-tekst" in content) == iop_holds(name, "read_annual", stage)
        assert response.context["writes"] == iop_holds(name, "write_own_subject", stage)
        assert AccessEvent.objects.filter(action="viewed", object_type="plan_subject", object_id=str(own.pk),
                                          user=cast[name]).exists()


def test_teacher_reads_a_subject_they_do_not_teach_without_controls(client, teacher, plan, own, foreign):
    GoalFactory(plan_subject=foreign)
    client.force_login(teacher)
    response = client.get(detail_url(foreign))
    assert response.status_code == 200
    assert response.context["writes"] is False
    assert reverse("iop:goal_add", args=[foreign.pk]).encode() not in response.content
    assert reverse("iop:assessment_edit", args=[foreign.pk, "halvar"]).encode() not in response.content


def test_forged_id_of_another_schools_subject_is_404(client, other_admin, own):
    client.force_login(other_admin)
    assert client.get(detail_url(own)).status_code == 404
    assert client.get(reverse("iop:assessment_edit", args=[own.pk, "halvar"])).status_code == 404


# --- Writing: every action, every cast member, every stage ---------------------------


def _write_actions(own_subject):
    goal = GoalFactory(plan_subject=own_subject)
    edit = {"competence_goal": "Nytt mål", "learning_goal": "", "content": "", "version": goal.version}
    assessment = {"development": "Ny tekst", "opportunities": "", "done": "on"}
    return [
        ("goal_add", reverse("iop:goal_add", args=[own_subject.pk]), {"competence_goal": "Mål"}),
        ("goal_edit", reverse("iop:goal_edit", args=[goal.pk]), edit),
        ("goal_move", reverse("iop:goal_move", args=[goal.pk]), {"direction": "down"}),
        ("goals_done", reverse("iop:goals_done", args=[own_subject.pk]), {"done": "1"}),
        ("half_year", reverse("iop:assessment_edit", args=[own_subject.pk, "halvar"]),
         {**assessment, "version": own_subject.half_year_version}),
        ("annual", reverse("iop:assessment_edit", args=[own_subject.pk, "ar"]),
         {**assessment, "version": own_subject.annual_version}),
        ("goal_delete", reverse("iop:goal_delete", args=[goal.pk]), {}),
    ]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_write_access_matrix(client, cast, plan, own, foreign, name, stage):
    set_stage(plan, stage)
    client.force_login(cast[name])
    for subject, own_subject in ((own, True), (foreign, False)):
        subject.refresh_from_db()
        expected = write_status(name, stage, own_subject=own_subject)
        for action, url, data in _write_actions(subject):
            assert client.post(url, data).status_code == expected, (action, own_subject)
        # The edit forms (GET) follow the same rule, apart from the redirect.
        goal = GoalFactory(plan_subject=subject)
        for url in (reverse("iop:goal_edit", args=[goal.pk]), reverse("iop:goal_delete", args=[goal.pk]),
                    reverse("iop:assessment_edit", args=[subject.pk, "ar"])):
            assert client.get(url).status_code == (200 if expected == 302 else expected), url


@pytest.mark.parametrize("url_name", ["goal_add", "goals_done"])
def test_post_only_subject_views_refuse_get(client, admin, own, url_name):
    client.force_login(admin)
    assert client.get(reverse(f"iop:{url_name}", args=[own.pk])).status_code == 405


def test_goal_move_refuses_get(client, admin, own):
    client.force_login(admin)
    assert client.get(reverse("iop:goal_move", args=[GoalFactory(plan_subject=own).pk])).status_code == 405


def test_unknown_assessment_kind_is_404(client, admin, own):
    client.force_login(admin)
    assert client.get(f"/iop/fag/{own.pk}/vurdering/kvartal/").status_code == 404


# --- Goals: add, edit, delete, reorder, done ------------------------------------------


def goal_texts(subject):
    return list(subject.goals.values_list("competence_goal", flat=True))


def test_teacher_adds_goals_in_order(client, teacher, minor, own):
    client.force_login(teacher)
    for text in ("Første", "Andre"):
        response = client.post(reverse("iop:goal_add", args=[own.pk]),
                               {"competence_goal": text, "learning_goal": "L", "content": "I"})
        assert response.status_code == 302
    assert goal_texts(own) == ["Første", "Andre"]
    assert AccessEvent.objects.filter(action="created", object_type="goal", student=minor).count() == 2


def test_adding_an_empty_goal_rerenders_with_errors(client, teacher, own):
    client.force_login(teacher)
    response = client.post(reverse("iop:goal_add", args=[own.pk]), {"competence_goal": "", "learning_goal": "Beholdt"})
    assert response.status_code == 200
    assert response.context["goal_form"].errors["competence_goal"]
    assert "Beholdt" in response.content.decode()
    assert not own.goals.exists()


def test_coteacher_edits_a_goal(client, coteacher, minor, own):
    goal = GoalFactory(plan_subject=own)
    client.force_login(coteacher)
    form = client.get(reverse("iop:goal_edit", args=[goal.pk])).context["form"]
    assert form["version"].value() == 0
    response = client.post(reverse("iop:goal_edit", args=[goal.pk]),
                           {"competence_goal": "Endret", "learning_goal": "L", "content": "I", "version": 0})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.competence_goal, goal.version) == ("Endret", 1)
    assert AccessEvent.objects.filter(action="changed", object_type="goal", object_id=str(goal.pk)).exists()


def test_delete_asks_first_then_deletes(client, teacher, minor, own):
    goal = GoalFactory(plan_subject=own)
    client.force_login(teacher)
    assert client.get(reverse("iop:goal_delete", args=[goal.pk])).status_code == 200
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert client.post(reverse("iop:goal_delete", args=[goal.pk])).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert AccessEvent.objects.filter(action="deleted", object_type="goal", object_id=str(goal.pk)).exists()


def test_goals_move_up_and_down(client, teacher, own):
    first, second, third = (GoalFactory(plan_subject=own, competence_goal=t, position=i)
                            for i, t in enumerate(["A", "B", "C"]))
    client.force_login(teacher)
    client.post(reverse("iop:goal_move", args=[third.pk]), {"direction": "up"})
    assert goal_texts(own) == ["A", "C", "B"]
    client.post(reverse("iop:goal_move", args=[first.pk]), {"direction": "down"})
    assert goal_texts(own) == ["C", "A", "B"]
    client.post(reverse("iop:goal_move", args=[third.pk]), {"direction": "up"})  # already first: no change
    assert goal_texts(own) == ["C", "A", "B"]
    assert client.post(reverse("iop:goal_move", args=[second.pk]), {"direction": "sideways"}).status_code == 302
    assert goal_texts(own) == ["C", "A", "B"]


def test_goals_done_mark_is_set_and_cleared_without_touching_text(client, teacher, own):
    client.force_login(teacher)
    client.post(reverse("iop:goals_done", args=[own.pk]), {"done": "1"})
    own.refresh_from_db()
    assert own.goals_done and own.half_year_development == "Halvår-tekst"
    client.post(reverse("iop:goals_done", args=[own.pk]), {"done": "0"})
    own.refresh_from_db()
    assert not own.goals_done


@pytest.mark.parametrize(("kind", "prefix"), [("halvar", "half_year"), ("ar", "annual")])
def test_teacher_writes_an_assessment_and_marks_it_done(client, teacher, minor, own, kind, prefix):
    client.force_login(teacher)
    url = reverse("iop:assessment_edit", args=[own.pk, kind])
    form = client.get(url).context["form"]
    assert form["development"].value() == getattr(own, f"{prefix}_development")
    assert 'data-draft-key="iop-fag-' in client.get(url).content.decode()
    response = client.post(url, {"development": "Utvikling", "opportunities": "Muligheter", "done": "on",
                                 "version": 0})
    assert response.status_code == 302
    own.refresh_from_db()
    assert getattr(own, f"{prefix}_development") == "Utvikling"
    assert getattr(own, f"{prefix}_opportunities") == "Muligheter"
    assert getattr(own, f"{prefix}_done") is True
    assert getattr(own, f"{prefix}_version") == 1
    assert AccessEvent.objects.filter(action="changed", object_type="assessment", object_id=str(own.pk)).exists()


# --- The section on the plan page and the admin grid ---------------------------------


def render_section(user, plan):
    subjects = list(plan.subjects.select_related("subject").prefetch_related("goals"))
    return render_to_string("iop/part2/_section.html",
                            {"plan": plan, "rights": rights_for(user, plan), "subjects": subjects})


def squash(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))


def test_admin_grid_shows_done_per_subject_and_part(admin, plan, own, foreign):
    PlanSubject.objects.filter(pk=own.pk).update(goals_done=True, annual_done=True)
    with translation.override("en"):
        html = squash(render_section(admin, plan))
    grid = html[html.index('id="part2-grid"'):html.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", grid)
    assert len(rows) == 2
    done = [re.findall(r'class="ds-sr-only">(Done|Not done)<', row) for row in rows]
    assert done == [["Done", "Not done", "Done"], ["Not done", "Not done", "Not done"]]


def test_teacher_sees_no_grid_but_the_goals(teacher, plan, own):
    GoalFactory(plan_subject=own, competence_goal="Regne med brøk")
    html = render_section(teacher, plan)
    assert "part2-grid" not in html
    assert "Regne med brøk" in html and "Halvår-tekst" in html


@pytest.mark.parametrize(("stage", "half_year", "annual"), [(3, False, False), (4, True, False), (5, True, True)])
def test_guardian_section_follows_the_stage(guardian, plan, own, stage, half_year, annual):
    set_stage(plan, stage)
    GoalFactory(plan_subject=own, competence_goal="Regne med brøk")
    html = render_section(guardian, plan)
    assert "Regne med brøk" in html
    assert ("Halvår-tekst" in html, "Års-tekst" in html) == (half_year, annual)
    assert "part2-grid" not in html


def _queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_subject_detail_query_count_does_not_grow_with_goals(client, teacher, own, django_assert_num_queries):
    GoalFactory(plan_subject=own)
    client.force_login(teacher)
    url = detail_url(own)
    client.get(url)  # warm up session and caches
    one = _queries(lambda: client.get(url))
    GoalFactory.create_batch(29, plan_subject=own)
    with django_assert_num_queries(one):
        assert len(client.get(url).context["goals"]) == 30


def test_section_query_count_does_not_grow_with_goals(admin, plan, own, foreign, django_assert_num_queries):
    GoalFactory(plan_subject=own)
    one = _queries(lambda: render_section(admin, plan))
    GoalFactory.create_batch(29, plan_subject=own)
    GoalFactory.create_batch(30, plan_subject=foreign)
    with django_assert_num_queries(one):
        render_section(admin, plan)
