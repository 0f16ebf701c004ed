"""Issue 18 part 2: last year's IOP listed on the student's IOP pages, and this year's started from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear, Student
from audit.models import AccessEvent
from iop.models import Goal, Plan, PlanSubject

from ..factories import StudentFactory, SubjectFactory
from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

ALL = {"part1": "on", "subjects": "on", "goals": "on"}


def school_year(offset: int) -> SchoolYear:
    start = SchoolYear.start_year_of(timezone.localdate()) + offset
    return SchoolYear.objects.get_or_create(start_year=start)[0]


@pytest.fixture
def old_plan(minor):
    """Last year's IOP of the minor: part 1, maths with one goal open and one reached."""
    plan = PlanFactory(student=minor, school_year=school_year(-1), stage=Plan.Stage.ANNUAL_REPORT,
                       mapping_academic="Leser sakte, regner godt.", long_term_plan="Vg1 over to år.")
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), content="Brøk og prosent.")
    GoalFactory(plan_subject=maths, competence_goal="Regne med brøk.", reached=False)
    GoalFactory(plan_subject=maths, competence_goal="Telle penger.", reached=True)
    return plan


def copy_url(student, plan) -> str:
    return reverse("iop:plan_copy", args=[student.pk, plan.pk])


def this_years_plan(student) -> Plan | None:
    return Plan.objects.filter(student=student, school_year__start_year=school_year(0).start_year).first()


# Listing earlier years


def test_the_admin_sees_earlier_plans_on_the_missing_and_the_detail_page(client, admin, minor, old_plan):
    client.force_login(admin)
    missing = client.get(reverse("iop:student_plan", args=[minor.pk]))
    assert [p.pk for p in missing.context["earlier_plans"]] == [old_plan.pk]
    html = missing.content.decode()
    assert reverse("iop:plan_detail", args=[old_plan.pk]) in html
    assert reverse("iop:plan_download", args=[old_plan.pk, "arsrapport"]) in html
    assert copy_url(minor, old_plan) in html

    plan = PlanFactory(student=minor, school_year=school_year(0))
    page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert [p.pk for p in page.context["earlier_plans"]] == [old_plan.pk]
    assert reverse("iop:plan_detail", args=[old_plan.pk]) in page.content.decode()


def test_earlier_plans_are_listed_only_as_far_as_the_rules_allow(client, teacher, guardian, minor, old_plan):
    plan = PlanFactory(student=minor, school_year=school_year(0), stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    Plan.objects.filter(pk=old_plan.pk).update(stage=Plan.Stage.DRAFT)  # a draft is the IOP admins' only
    for user in (teacher, guardian):
        client.force_login(user)
        page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
        assert page.status_code == 200 and page.context["earlier_plans"] == []
        assert reverse("iop:plan_detail", args=[old_plan.pk]) not in page.content.decode()


def test_a_guardian_gets_the_pdfs_of_earlier_years_their_rights_allow(client, guardian, minor, old_plan):
    plan = PlanFactory(student=minor, school_year=school_year(0), stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    client.force_login(guardian)
    html = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("iop:plan_download", args=[old_plan.pk, "vedlegg"]) in html  # last year's reached the report
    assert reverse("iop:plan_download", args=[plan.pk, "vedlegg"]) not in html


def test_earlier_plans_are_newest_first_and_apart_from_the_switcher(client, admin, minor, old_plan, adult):
    older = PlanFactory(student=minor, school_year=school_year(-2), stage=Plan.Stage.ANNUAL_REPORT)
    plan = PlanFactory(student=minor, school_year=school_year(0))
    classmate = PlanFactory(student=adult, school_year=school_year(0))
    PlanFactory(student=adult, school_year=school_year(-1))  # another student's earlier IOP: in neither list
    client.force_login(admin)
    page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert [p.pk for p in page.context["earlier_plans"]] == [old_plan.pk, older.pk]
    assert page.context["switch_count"] == 2
    assert (page.context["previous_plan"] or page.context["next_plan"]).pk == classmate.pk


def test_a_teacher_gets_only_the_pdfs_their_rights_allow(client, teacher, minor, old_plan):
    plan = PlanFactory(student=minor, school_year=school_year(0), stage=Plan.Stage.TEACHERS)
    client.force_login(teacher)
    html = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("iop:plan_download", args=[old_plan.pk, "iop"]) in html
    assert reverse("iop:plan_download", args=[old_plan.pk, "vedlegg"]) not in html
    assert copy_url(minor, old_plan) not in html


# The preview


def test_the_preview_shows_the_texts_and_changes_nothing(client, admin, minor, old_plan):
    client.force_login(admin)
    before = AccessEvent.objects.filter(action="created").count()
    page = client.get(copy_url(minor, old_plan))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Leser sakte, regner godt.", "Vg1 over to år.", "Brøk og prosent.", "Regne med brøk."):
        assert text in html
    assert "Telle penger." not in html  # a reached goal is not offered
    assert this_years_plan(minor) is None
    assert AccessEvent.objects.filter(action="created").count() == before
    assert AccessEvent.objects.filter(action="viewed", object_type="iop", object_id=str(old_plan.pk)).exists()


# Copying


def test_copy_takes_part1_subjects_and_only_the_goals_not_reached(client, admin, minor, old_plan):
    client.force_login(admin)
    assert client.post(copy_url(minor, old_plan), ALL).status_code == 302
    plan = this_years_plan(minor)
    assert plan.mapping_academic == "Leser sakte, regner godt." and plan.goal_kind == old_plan.goal_kind
    maths = plan.subjects.get()
    assert maths.subject.code == "MAT1019" and maths.content == "Brøk og prosent."
    assert list(maths.goals.values_list("competence_goal", "reached")) == [("Regne med brøk.", False)]
    assert old_plan.subjects.get().goals.count() == 2  # last year's IOP is left as it was


def test_copy_takes_exactly_what_was_chosen(client, admin, minor, old_plan):
    client.force_login(admin)
    assert client.post(copy_url(minor, old_plan), {"subjects": "on"}).status_code == 302
    plan = this_years_plan(minor)
    assert plan.mapping_academic == "" and plan.long_term_plan == ""
    assert plan.subjects.count() == 1 and not Goal.objects.filter(plan_subject__plan=plan).exists()


def test_the_copy_is_logged_with_its_source(client, admin, minor, old_plan):
    client.force_login(admin)
    client.post(copy_url(minor, old_plan), ALL)
    plan = this_years_plan(minor)
    event = AccessEvent.objects.get(action="created", object_type="iop", object_id=str(plan.pk))
    assert event.student_id == minor.pk
    assert f"IOP {old_plan.pk}" in event.detail and "part 1" in event.detail and "1 goals" in event.detail


def test_the_copied_texts_are_their_first_versions_by_the_admin(client, admin, minor, old_plan):
    """The text history (history/) starts with the copy, so "what it said before" includes it."""
    client.force_login(admin)
    client.post(copy_url(minor, old_plan), ALL)
    plan = this_years_plan(minor)
    maths = plan.subjects.get()
    goal = maths.goals.get()
    part1 = plan.history.filter(mapping_academic="Leser sakte, regner godt.").get()
    assert part1.history_user == admin
    assert maths.history.filter(content="Brøk og prosent.").get().history_user == admin
    assert goal.history.get().history_user == admin and goal.history.get().competence_goal == "Regne med brøk."


def test_creating_without_copying_still_works(client, admin, minor, old_plan):
    client.force_login(admin)
    assert client.post(reverse("iop:plan_create", args=[minor.pk])).status_code == 302
    plan = this_years_plan(minor)
    assert plan.mapping_academic == "" and not plan.subjects.exists()


def test_posting_twice_makes_one_plan(client, admin, minor, old_plan):
    client.force_login(admin)
    client.post(copy_url(minor, old_plan), ALL)
    client.post(copy_url(minor, old_plan), ALL)
    assert Plan.objects.filter(student=minor, school_year=school_year(0)).count() == 1
    assert PlanSubject.objects.filter(plan__student=minor, plan__school_year=school_year(0)).count() == 1


@pytest.mark.parametrize("data", [{}, {"goals": "on"}, {"part1": "on", "goals": "on"}])
def test_bad_input_shows_the_form_again_and_stores_nothing(client, admin, minor, old_plan, data):
    client.force_login(admin)
    page = client.post(copy_url(minor, old_plan), data)
    assert page.status_code == 200 and page.context["form"].errors
    assert this_years_plan(minor) is None


# Who may copy


def test_a_teacher_is_refused_and_an_outsider_sees_nothing(client, teacher, stranger, other_admin, minor, old_plan):
    for user, status in ((teacher, 403), (stranger, 404), (other_admin, 404)):
        client.force_login(user)
        assert client.get(copy_url(minor, old_plan)).status_code == status
        assert client.post(copy_url(minor, old_plan), ALL).status_code == status
    assert this_years_plan(minor) is None


def test_a_forged_source_plan_is_hidden(client, admin, school_a, school_b, minor, other_child, old_plan):
    other_students = PlanFactory(student=other_child, school_year=school_year(-1))
    other_schools = PlanFactory(student=StudentFactory(school=school_b), school_year=school_year(-1))
    this_year = PlanFactory(student=other_child, school_year=school_year(0))
    client.force_login(admin)
    for source in (other_students, other_schools, this_year):
        assert client.get(copy_url(minor, source)).status_code == 404
        assert client.post(copy_url(minor, source), ALL).status_code == 404
    assert client.post(reverse("iop:plan_copy", args=[minor.pk, 999999]), ALL).status_code == 404
    assert this_years_plan(minor) is None


def test_this_years_plan_is_no_source(client, admin, minor, old_plan):
    plan = PlanFactory(student=minor, school_year=school_year(0))
    client.force_login(admin)
    assert client.get(copy_url(minor, plan)).status_code == 404


def test_an_archived_student_gets_no_new_plan(client, admin, minor, old_plan):
    Student.objects.filter(pk=minor.pk).update(archived_on=timezone.localdate())
    client.force_login(admin)
    assert client.get(copy_url(minor, old_plan)).status_code == 403
    assert client.post(copy_url(minor, old_plan), ALL).status_code == 403
    page = client.get(reverse("iop:student_plan", args=[minor.pk]))
    assert copy_url(minor, old_plan) not in page.content.decode()
    assert this_years_plan(minor) is None


def test_the_copy_page_once_this_years_plan_exists_leads_to_it(client, admin, minor, old_plan):
    """A stale tab: the plan was made meanwhile; the page says nothing is copied and leads to the IOP."""
    PlanFactory(student=minor, school_year=school_year(0))
    client.force_login(admin)
    for response in (client.get(copy_url(minor, old_plan)), client.post(copy_url(minor, old_plan), ALL)):
        assert response.status_code == 302
        assert response.url == reverse("iop:student_plan", args=[minor.pk])
    assert Plan.objects.filter(student=minor, school_year=school_year(0)).count() == 1
