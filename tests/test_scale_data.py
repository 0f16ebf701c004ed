"""`manage.py scale_data`: proportions, every status and stage, the same data from the same seed,
refusals, and generated users who log in with the shared password and open their pages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from accounts.access import children_of, is_iko_team, is_iop_admin
from accounts.models import Enrollment, Guardianship, School, StaffMembership, Student, User
from applications.models import Application, Decision, SchoolBatch
from followup import models as iko
from iop.access import plans_visible_to
from iop.models import AnnexRow, Plan
from demo.scale import apportion, generate
from tests.admin.verified import pass_second_factor

pytestmark = pytest.mark.django_db

SCHOOLS, STUDENTS = 2, 60
PASSWORD = "scale"


@pytest.fixture
def result():
    return generate(schools=SCHOOLS, students=STUDENTS, seed=1)


def run_command(**options) -> str:
    out = StringIO()
    call_command("scale_data", schools=SCHOOLS, students=STUDENTS, stdout=out, **options)
    return out.getvalue()


def test_counts_are_in_proportion(result):
    assert School.objects.count() == SCHOOLS
    assert set(School.objects.values_list("kind", "owner_name")) == {
        (School.Kind.UPPER_SECONDARY, "Vestland fylkeskommune"), (School.Kind.LOWER_SECONDARY, "Bergen kommune"),
    }
    assert Student.objects.count() == STUDENTS
    assert Enrollment.objects.count() == 8 * STUDENTS
    assert Application.objects.count() == STUDENTS // 10
    assert Plan.objects.count() == STUDENTS // 10
    for number, school in enumerate(School.objects.order_by("pk"), start=1):
        staff = StaffMembership.objects.filter(school=school)
        assert staff.get(role=StaffMembership.Role.PRINCIPAL).user.username == f"s{number:02d}-principal"
        upper = school.kind == School.Kind.UPPER_SECONDARY
        # teachers + IOP admins (+ the IKO-team member at an upper secondary school)
        assert staff.filter(role=StaffMembership.Role.TEACHER).count() == 4 + 2 + upper
        for n in (1, 2):
            assert is_iop_admin(User.objects.get(username=f"s{number:02d}-admin{n}"), school)
        assert User.objects.filter(username=f"s{number:02d}-iko").exists() == upper


def test_iko_rows_exist_at_upper_secondary_schools(result):
    upper = School.objects.get(kind=School.Kind.UPPER_SECONDARY)
    assert is_iko_team(User.objects.get(username="s01-iko"), upper)
    assert result.samples["iko"] == ["s01-iko"]
    signals = iko.Signal.objects.all()
    assert signals.exists() and not signals.exclude(student__school=upper).exists()
    assert iko.Signal.objects.filter(status=iko.Signal.Status.NEW).exists()
    assert iko.Signal.objects.filter(reported_by__isnull=True).exclude(evidence={}).exists()
    plans = iko.Plan.objects.all()
    assert plans.exists() and iko.Talk.objects.filter(kind=iko.Talk.Kind.MAPPING).count() == plans.count()
    for plan in plans:
        assert 1 <= plan.measures.count() <= 2
        assert plan.student.iko_signals.filter(status=iko.Signal.Status.MAPPING).exists()
        teachers = set(Enrollment.teachers.through.objects.filter(
            enrollment__student=plan.student).values_list("user_id", flat=True))
        assert set(plan.measures.values_list("responsible", flat=True)) <= teachers
    assert iko.Meeting.objects.filter(school=upper).count() == len(iko.SEED_MEETINGS)


def test_org_numbers_pass_the_mod11_check(result):
    for number in School.objects.values_list("org_number", flat=True):
        weighted = sum(int(d) * w for d, w in zip(number, (3, 2, 7, 6, 5, 4, 3, 2)))
        assert (11 - weighted % 11) % 11 == int(number[8])


def test_enrollments_have_one_or_two_teachers_of_the_students_school(result):
    teacher_counts = Enrollment.objects.annotate(n=Count("teachers")).values_list("n", flat=True)
    assert set(teacher_counts) == {1, 2}
    staff = set(StaffMembership.objects.values_list("user_id", "school_id"))
    taught = Enrollment.teachers.through.objects.values_list("user_id", "enrollment__student__school_id")
    assert set(taught) <= staff


def test_minors_have_guardians_and_adults_a_login(result):
    minors = [s for s in Student.objects.all() if not s.is_adult()]
    adults = [s for s in Student.objects.all() if s.is_adult()]
    assert minors and adults
    assert all(1 <= s.guardianships.count() <= 2 and s.user_id is None for s in minors)
    assert all(not s.guardianships.exists() and s.user.username.startswith("student") for s in adults)
    assert not Guardianship.objects.exclude(guardian__username__startswith="guardian").exists()


def test_every_application_status_with_consistent_fields(result):
    applications = Application.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(Application.Status.values)
    for application in applications:
        approved = application.status not in {Application.Status.REGISTERED, Application.Status.AWAITING_APPROVAL}
        assert bool(application.approved_by_id) == approved
        assert application.approved_hash == (application.content_hash() if approved else "")
        assert 2 <= application.subjects.count() <= 4
        decision = Decision.objects.filter(application=application).first()
        if application.status in {Application.Status.GRANTED, Application.Status.REJECTED}:
            assert decision.outcome == application.status
            assert decision.subjects.count() == application.subjects.count()
        else:
            assert decision is None
    assert SchoolBatch.objects.filter(sent_on__isnull=False).exists()


def test_plans_at_every_stage_with_stage_appropriate_content(result):
    plans = Plan.objects.all()
    assert set(plans.values_list("stage", flat=True)) == set(Plan.Stage.values)
    for plan in plans:
        assert plan.decision.outcome == Decision.Outcome.GRANTED
        enrolled = set(plan.student.enrollments.values_list("subject_id", flat=True))
        subjects = list(plan.subjects.annotate(goal_count=Count("goals")))
        assert 2 <= len(subjects) <= 4 and {s.subject_id for s in subjects} <= enrolled
        assert all(3 <= s.goal_count <= 6 for s in subjects)
        if plan.stage != 2:  # at stage 2 some teachers are still writing
            assert all(s.goals_done == (plan.stage >= 3) for s in subjects)
        assert all(s.half_year_done for s in subjects) == (plan.stage >= 4)
        assert all(s.annual_done for s in subjects) == (plan.stage == 5)
        assert bool(plan.report_assessment) == (plan.stage == 5)
        assert AnnexRow.objects.filter(plan=plan).count() == (len(subjects) if plan.stage == 5 else 0)


def collected() -> list[tuple]:
    return sorted(
        (s.first_name, s.last_name, s.group, s.birth_date, s.school.name,
         Plan.objects.filter(student=s).values_list("stage", flat=True).first(),
         Application.objects.filter(student=s).values_list("status", flat=True).first(),
         tuple(s.guardianships.values_list("guardian__username", flat=True).order_by("guardian__username")))
        for s in Student.objects.select_related("school")
    )


def generated_then_rolled_back(seed: int) -> list[tuple]:
    with transaction.atomic():
        generate(schools=SCHOOLS, students=STUDENTS, seed=seed)
        data = collected()
        transaction.set_rollback(True)
    return data


def test_same_seed_gives_the_same_data():
    first = generated_then_rolled_back(seed=1)
    assert not Student.objects.exists()
    assert generated_then_rolled_back(seed=1) == first
    assert generated_then_rolled_back(seed=2) != first


def test_the_command_prints_counts_and_sample_logins(settings):
    settings.DEBUG = True
    output = run_command()
    assert "accounts.Student" in output and "iop.Plan" in output
    assert "s01-admin1" in output


def test_refuses_when_schools_exist(settings, school_a):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="already has schools"):
        run_command()
    assert not Student.objects.exists()


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=True"):
        run_command()
    assert not School.objects.exists()


@pytest.mark.parametrize("role", ["admin", "teacher", "guardian"])
def test_sample_users_log_in_and_open_the_start_page_and_an_iop(client, result, role):
    username = result.samples[role][0]
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    pass_second_factor(client, User.objects.get(username=username))
    assert client.get(reverse("start")).status_code == 200
    plan = plans_visible_to(User.objects.get(username=username)).first()
    assert client.get(reverse("iop:plan_detail", args=[plan.pk])).status_code == 200


def test_sample_guardians_guard_a_minor_with_a_published_iop(result):
    assert result.samples["guardian"]
    for username in result.samples["guardian"]:
        children = children_of(User.objects.get(username=username))
        assert Plan.objects.filter(student__in=children, stage__gte=Plan.Stage.STUDENT_AND_GUARDIANS).exists()


def test_apportion_gives_every_key_at_least_once_when_it_can():
    assert sorted(apportion(6, {"a": 50, "b": 30, "c": 1})) == ["a", "a", "a", "b", "b", "c"]
    assert apportion(2, {"a": 1, "b": 1, "c": 5}) == ["c", "c"]
