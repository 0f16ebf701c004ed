"""Adding goals from the bank on a part-2 page: the search (with and without JavaScript), the form with a
bank code, the code on the goal row and in the IOP PDF."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from curriculum.models import Curriculum, CurriculumSubject
from iop import pdfs
from iop.models import Goal

from ..factories import SubjectFactory
from ..iop.factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

KM14191_NB = ("skrive tekster med funksjonell tekstbinding og riktig tegnsetting og mestre rettskriving og "
              "ordbøying på hovedmål og sidemål")


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=3)


@pytest.fixture
def maths(plan):
    """The cast's subject MAT1019 (the cast's teacher teaches it), here without a curriculum for its code, as
    most subject codes are until grep_refresh has loaded Grep (the shipped subset links MAT1019 to MAT08-01)."""
    CurriculumSubject.objects.filter(subject_code="MAT1019").delete()
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))


def page(subject, **params):
    return reverse("iop:subject_detail", args=[subject.pk]), params


def get(client, subject, **params):
    url, params = page(subject, **params)
    return client.get(url, params)


def add(client, subject, **fields):
    data = {"competence_goal": "", "grep_code": "", "learning_goal": "", "content": "", **fields}
    return client.post(reverse("iop:goal_add", args=[subject.pk]), data)


def test_the_teacher_gets_the_search_and_the_family_does_not(client, teacher, guardian, maths):
    client.force_login(teacher)
    response = get(client, maths)
    assert response.context["bank"] is not None and b'id="goal-bank"' in response.content
    assert b"js/goal-bank.js" in response.content
    client.force_login(guardian)
    response = get(client, maths)
    assert response.status_code == 200 and response.context["bank"] is None
    assert b'id="goal-bank"' not in response.content


def test_without_a_curriculum_for_the_subject_all_are_offered(client, teacher, maths):
    client.force_login(teacher)
    bank = get(client, maths).context["bank"]
    assert bank.subject_curricula == [] and bank.form["laereplan"].value() is None
    assert {code for code, _label in bank.form.fields["laereplan"].choices if code} == set(
        Curriculum.objects.values_list("code", flat=True))


def test_the_subjects_curriculum_is_chosen_from_its_code(client, admin, plan):
    Curriculum.objects.get(code="NOR01-08").subject_codes.create(subject_code="NOR0214")
    norwegian = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR0214"), position=1)
    client.force_login(admin)  # the admin writes every subject
    response = get(client, norwegian)
    assert [c.code for c in response.context["bank"].subject_curricula] == ["NOR01-08"]
    assert b'<option value="NOR01-08" selected>' in response.content


def test_without_javascript_the_search_lists_hits_that_fill_the_form(client, teacher, maths):
    client.force_login(teacher)
    response = get(client, maths, laereplan="NOR01-08", q="sidemål rettskriving")
    assert [goal.code for goal in response.context["bank"].results] == ["KM14191", "KM14233"]  # year 10, Vg1
    assert b'href="?kode=KM14191#add-goal"' in response.content
    filled = get(client, maths, kode="KM14191")
    form = filled.context["goal_form"]
    assert form["competence_goal"].value() == KM14191_NB and form["grep_code"].value() == "KM14191"
    assert b'name="grep_code" value="KM14191"' in filled.content


def test_the_filled_form_follows_the_language(client, teacher, maths):
    client.force_login(teacher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    form = get(client, maths, kode="KM14191").context["goal_form"]
    assert form["competence_goal"].value().startswith("write texts with functional coherence")


def test_an_unknown_code_in_the_address_fills_nothing(client, teacher, maths):
    client.force_login(teacher)
    response = get(client, maths, kode="KM0")
    assert response.status_code == 200 and response.context["goal_form"]["grep_code"].value() in (None, "")


def test_a_goal_from_the_bank_is_saved_with_its_code(client, teacher, maths):
    client.force_login(teacher)
    response = add(client, maths, competence_goal=KM14191_NB, grep_code="KM14191", learning_goal="Skrive en tekst.")
    assert response.status_code == 302
    goal = Goal.objects.get(plan_subject=maths)
    assert (goal.grep_code, goal.competence_goal) == ("KM14191", KM14191_NB)


def test_free_text_stays_possible(client, teacher, maths):
    client.force_login(teacher)
    assert add(client, maths, competence_goal="Regne med penger i butikk.").status_code == 302
    assert Goal.objects.get(plan_subject=maths).grep_code == ""


@pytest.mark.parametrize("code", ["KM0", "KM14191' OR 1=1", "x" * 200])
def test_a_forged_code_is_a_form_error(client, teacher, maths, code):
    client.force_login(teacher)
    response = add(client, maths, competence_goal="Tekst", grep_code=code)
    assert response.status_code == 200 and response.context["goal_form"].errors["grep_code"]
    assert not Goal.objects.filter(plan_subject=maths).exists()


def test_an_expired_code_is_refused_for_a_new_goal_but_kept_on_its_row(client, teacher, maths):
    from curriculum.models import CompetenceGoal

    goal = GoalFactory(plan_subject=maths, grep_code="KM14191")
    CompetenceGoal.objects.filter(code="KM14191").update(status="utgaatt")
    client.force_login(teacher)
    assert add(client, maths, competence_goal="Tekst", grep_code="KM14191").status_code == 200
    response = client.post(reverse("iop:goal_edit", args=[goal.pk]), {
        "competence_goal": "Endret tekst", "grep_code": "KM14191", "learning_goal": "", "content": "",
        "version": goal.version})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.competence_goal, goal.grep_code) == ("Endret tekst", "KM14191")


def test_the_edit_form_keeps_the_code(client, teacher, maths):
    goal = GoalFactory(plan_subject=maths, grep_code="KM14191")
    client.force_login(teacher)
    response = client.get(reverse("iop:goal_edit", args=[goal.pk]))
    assert b'name="grep_code" value="KM14191"' in response.content


def test_the_goal_row_shows_the_code_with_a_link_to_udir(client, teacher, guardian, maths):
    GoalFactory(plan_subject=maths, grep_code="KM14191")
    link = f'href="{reverse("curriculum:goal_page", args=["KM14191"])}"'.encode()
    for user in (teacher, guardian):
        client.force_login(user)
        assert link in get(client, maths).content
    assert link in client.get(reverse("iop:plan_detail", args=[maths.plan.pk])).content


def test_the_iop_pdf_shows_the_code(maths):
    GoalFactory(plan_subject=maths, grep_code="KM14191", competence_goal=KM14191_NB)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdfs.plan_pdf(maths.plan))).pages)
    assert "KM14191" in text


def test_the_search_starts_where_the_subjects_last_goal_from_the_bank_came_from(client, teacher, maths):
    GoalFactory(plan_subject=maths, position=1, grep_code="KM13328")  # MAT01-06 after year 10
    GoalFactory(plan_subject=maths, position=2, grep_code="KM14175")  # NOR01-08 after year 7: the last from the bank
    GoalFactory(plan_subject=maths, position=3, grep_code="")  # written by hand
    client.force_login(teacher)
    response = get(client, maths)
    form = response.context["bank"].form
    assert (form["laereplan"].value(), form["trinn"].value()) == ("NOR01-08", "aarstrinn7")
    assert b'<option value="NOR01-08" selected>' in response.content
    assert b'<option value="aarstrinn7" selected>' in response.content
    assert "Søket starter i læreplanen og på trinnet" in response.content.decode()
    # A search that names neither (a link, an old form) starts there too; the form's own choices win.
    assert [goal.code for goal in get(client, maths, q="sidemål").context["bank"].results] == ["KM14175"]
    chosen = get(client, maths, laereplan="NOR01-08", trinn="", q="sidemål").context["bank"].results
    assert [goal.code for goal in chosen] == ["KM14161", "KM14175", "KM14191", "KM14233", "KM14244", "KM14261"]


def test_the_last_goal_from_the_bank_comes_before_the_subjects_own_curriculum(client, admin, plan):
    """1P (MAT08-01 by its code) built on the goals of year 7 in MAT01-06: the next goal is searched there."""
    practical = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1023"), position=1)  # 2P: MAT05-04
    client.force_login(admin)
    form = get(client, practical).context["bank"].form
    assert (form["laereplan"].value(), form["trinn"].value()) == ("MAT05-04", None)
    GoalFactory(plan_subject=practical, grep_code="KM13286")  # MAT01-06 after year 7
    response = get(client, practical)
    form = response.context["bank"].form
    assert (form["laereplan"].value(), form["trinn"].value()) == ("MAT01-06", "aarstrinn7")
    assert "Søket starter i læreplanen og på trinnet" in response.content.decode()


def test_a_goal_set_for_two_levels_presets_no_level(client, teacher, maths):
    GoalFactory(plan_subject=maths, grep_code="KM464")  # SAK01-01's KV48, "vg1/vg2"
    client.force_login(teacher)
    form = get(client, maths).context["bank"].form
    assert (form["laereplan"].value(), form["trinn"].value()) == ("SAK01-01", None)


@pytest.mark.parametrize(("subject_code", "curriculum"), [
    ("MAT1019", "MAT08-01"), ("MAT1023", "MAT05-04"), ("SAK1001", "SAK01-01")])
def test_a_shipped_subject_code_starts_the_search_at_its_curriculum(client, admin, plan, subject_code, curriculum):
    subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code=subject_code), position=1)
    client.force_login(admin)  # the admin writes every subject
    response = get(client, subject)
    assert [c.code for c in response.context["bank"].subject_curricula] == [curriculum]
    assert f'<option value="{curriculum}" selected>'.encode() in response.content
