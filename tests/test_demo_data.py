"""`manage.py demo_data`: refuses outside DEBUG, builds the demo logins' relations, re-runs cleanly."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.access import children_of, guards, is_iop_admin, is_principal, is_student, teaches
from demo.management.commands.demo_data import DEMO_LOGINS, SCHOOL_A, SCHOOL_B
from accounts.models import Enrollment, School, SchoolYear, Student, User

pytestmark = pytest.mark.django_db


def run_demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, monkeypatch):
    """The demo data, with PDFs stood in by a blank page (rendering is tested elsewhere; this keeps it fast)."""
    from .factories import blank_pdf

    settings.DEBUG = True
    monkeypatch.setattr("demo.management.commands.demo_data.render_pdf", lambda *args, **kwargs: blank_pdf())
    monkeypatch.setattr("applications.services.render_pdf", lambda *args, **kwargs: blank_pdf())
    monkeypatch.setattr("followup.pdfs.render_pdf", lambda *args, **kwargs: blank_pdf())
    monkeypatch.setattr("records.package.render_pdf", lambda *args, **kwargs: blank_pdf())
    return run_demo_data()


@pytest.fixture
def schools(demo):
    return tuple(School.objects.get(org_number=spec.org_number) for spec in (SCHOOL_A, SCHOOL_B))


def user(username: str) -> User:
    return User.objects.get(username=username)


def student_of(username: str) -> Student:
    return Student.objects.get(user__username=username)


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=True"):
        run_demo_data()
    assert not User.objects.exists()


def test_named_users_exist_with_password_demo(demo):
    usernames = [username for username, _description in DEMO_LOGINS]
    assert User.objects.filter(username__in=usernames).count() == len(usernames)
    # Argon2 is slow: check a couple, not all.
    assert user("emma").check_password("demo")
    assert user("rektor").check_password("demo")
    for username in usernames:
        assert username in demo


def test_named_users_have_the_documented_second_factor(demo):
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from demo.management.commands.demo_data import DEMO_TOTP_SECRET

    assert DEMO_TOTP_SECRET == "JBSWY3DPEHPK3PXP"  # documented in README.md (Demo logins)
    usernames = [username for username, _description in DEMO_LOGINS]
    devices = TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True)
    assert sorted(devices.values_list("user__username", flat=True)) == sorted(usernames)
    assert set(devices.values_list("key", flat=True)) == {base64.b32decode(DEMO_TOTP_SECRET).hex()}
    assert DEMO_TOTP_SECRET in demo and "django_otp.oath" in demo


def test_generated_users_cannot_log_in(demo):
    usernames = [username for username, _description in DEMO_LOGINS]
    generated = User.objects.exclude(username__in=usernames)
    assert generated.exists()
    assert not any(u.has_usable_password() for u in generated)


def test_sysadmin_is_superuser_without_school(demo):
    sysadmin = user("sysadmin")
    assert sysadmin.is_superuser and sysadmin.is_staff
    assert not sysadmin.staff_memberships.exists()


def test_school_roles(schools):
    school_a, school_b = schools
    assert is_principal(user("rektor"), school_a)
    assert is_iop_admin(user("iop"), school_a)
    assert not is_iop_admin(user("iop"), school_b)
    assert is_iop_admin(user("iop2"), school_b)
    assert not is_iop_admin(user("iop2"), school_a)


def test_emmas_teachers(demo):
    emma = Student.objects.get(user__username="emma", first_name="Emma")
    assert emma.group == "1STA"
    assert teaches(user("laerer"), emma)
    assert teaches(user("tolaerer"), emma)
    assert not teaches(user("laerer2"), emma)
    assert Enrollment.objects.active().filter(teachers=user("laerer2")).exists()

    maths = Enrollment.objects.active().get(student=emma, subject__code="MAT1019")
    assert {"laerer", "tolaerer"} <= set(maths.teachers.values_list("username", flat=True))
    taught_by_laerer = Enrollment.objects.active().filter(student=emma, teachers=user("laerer"))
    assert taught_by_laerer.count() == 3


def test_guardians(schools):
    school_a, _school_b = schools
    emma = student_of("emma")
    assert guards(user("forelder"), emma)
    assert not guards(user("forelder2"), emma)
    children = children_of(user("forelder2"))
    assert children.exists()
    assert all(child.school == school_a for child in children)


def test_students_login_and_age(demo):
    elev, emma = student_of("elev"), student_of("emma")
    assert elev.is_adult()
    assert not emma.is_adult()
    assert elev.group == emma.group == "1STA"
    assert is_student(user("elev"), elev)
    assert is_student(user("emma"), emma)
    assert not is_student(user("emma"), elev)


@pytest.mark.parametrize("spec", [SCHOOL_A, SCHOOL_B], ids=["A", "B"])
def test_school_size_and_enrollments(demo, spec):
    # The students at school now (the records demo adds two who left years ago, with neither teacher nor classes).
    students = Student.objects.filter(school__org_number=spec.org_number, left_on__isnull=True)
    assert 25 <= students.count() <= 35
    assert not students.filter(contact_teacher__isnull=True).exists()
    for student in students:
        assert 5 <= Enrollment.objects.active().filter(student=student).count() <= 8


def test_history_in_previous_school_year(demo):
    current = SchoolYear.objects.current()
    assert Enrollment.objects.filter(school_year__start_year=current.start_year - 1).exists()


def test_second_run_changes_nothing(demo):
    before = model_counts()
    output = run_demo_data()
    assert model_counts() == before
    assert "created 0 and changed 0 rows" in output


def test_documents_for_emma_and_others(demo):
    from documents.access import documents_visible_to

    emma = student_of("emma")
    assert emma.documents.count() == 3
    assert emma.documents.filter(visible_to_teachers=True).exists()
    assert [d.title for d in documents_visible_to(user("forelder"), emma)] == [
        "Referat fra samarbeidsmøte med foresatte"
    ]
    assert documents_visible_to(user("laerer"), emma).count() == 1


def test_applications_in_every_status_at_school_a(demo):
    from applications.access import awaiting_approval_by
    from applications.models import Decision, Application, SchoolBatch
    
    school_a = Application.objects.filter(student__school__org_number=SCHOOL_A.org_number)
    assert set(school_a.values_list("status", flat=True)) == set(Application.Status.values)
    emma = student_of("emma")
    year = Application.objects.get(student=emma).school_year
    assert Decision.objects.filter(student=emma, school_year=year, outcome=Decision.Outcome.GRANTED).exists()
    assert [a.student for a in awaiting_approval_by(user("forelder2"))] == [student_of_name("Oda", "Vik")]
    assert [a.student for a in awaiting_approval_by(user("elev"))] == [student_of("elev")]
    batches = SchoolBatch.objects.filter(school__org_number=SCHOOL_A.org_number)
    assert {b.sent_on is None for b in batches} == {True, False}
    assert Application.objects.filter(student__school__org_number=SCHOOL_B.org_number).exists()


def student_of_name(first_name: str, last_name: str) -> Student:
    return Student.objects.get(first_name=first_name, last_name=last_name)


def test_iops_at_every_stage(demo):
    from iop.models import Goal, Plan

    school_a = Plan.objects.filter(student__school__org_number=SCHOOL_A.org_number)
    assert set(school_a.values_list("stage", flat=True)) == set(Plan.Stage.values)
    emma = Plan.objects.get(student=student_of("emma"))
    assert emma.stage == Plan.Stage.STUDENT_AND_GUARDIANS and emma.goal_text
    maths = emma.subjects.get(subject__code="MAT1019")
    assert Goal.objects.filter(plan_subject=maths).count() >= 2
    assert Plan.objects.filter(student__school__org_number=SCHOOL_B.org_number).exists()
    assert school_a.filter(annex_rows__isnull=False).exists() and school_a.filter(log_entries__isnull=False).exists()


def test_two_schools_come_in_through_the_roster_import(demo):
    from accounts import access
    from roster.models import ImportRun

    assert ImportRun.objects.get().status == ImportRun.Status.APPLIED
    kari, guardian = user("kari.lunde@nordvik.vlfk.no"), user("g.hauge")
    nordvik = School.objects.get(org_number="974100001")
    assert access.is_iop_admin(kari, nordvik) and kari.check_password("demo")
    assert Student.objects.filter(contact_teacher=kari, group="1STA").exists()
    assert {s.school.name for s in access.children_of(guardian)} == {"Nordvik vidaregåande skule",
                                                                      "Bakketun ungdomsskule"}
    assert access.students_taught_by(user("arne.saelensminde@nordvik.vlfk.no")).exists()


def test_school_a_has_an_iko_year_in_every_state(demo, schools):
    from accounts import access
    from followup.models import Meeting, Plan, Signal

    school_a = schools[0]
    assert access.is_iko_team(user("ikoteam"), school_a)
    students = Student.objects.filter(school=school_a).count()
    flagged = Signal.objects.filter(student__school=school_a, reported_by__isnull=True).values("student").distinct()
    assert 0.05 <= flagged.count() / students <= 0.2  # about one in ten
    assert set(Signal.objects.values_list("status", flat=True)) == set(Signal.Status.values)
    assert Signal.objects.filter(reported_by__isnull=False).exists()  # a teacher's concern
    plans = {plan.outcome or plan.status: plan for plan in Plan.objects.all()}
    assert plans["active"].shared_on and plans["ordinary"].evaluated_on
    assert plans["referral"].referral.student == plans["referral"].student
    assert plans["referral"].referral.attachments.count() == 1  # the mapping
    assert Meeting.objects.filter(school=school_a).count() == 8


def test_every_date_follows_the_workflow_in_order(demo):
    """Issue 17, item 22: expert assessment < documents < application created < approved < batch sent <
    decision < IOP created < goals and log < report sent, and nothing after today."""
    from applications.models import Application, Decision, SchoolBatch
    from documents.models import Document
    from iop.models import LogEntry, Plan

    today = timezone.localdate()
    applications = Application.objects.select_related("batch")
    assert applications.exists()
    for application in applications:
        attached = Document.objects.filter(pk__in=application.attachments.values("document"))
        assert (application.expert_assessment_date or date.min) < application.created_at.date()
        # (an IKO referral attaches its mapping PDF to the draft application in the same moment)
        assert all(document.uploaded_at.date() <= application.created_at.date() for document in attached)
        if application.approved_at:
            assert application.created_at < application.approved_at
        if application.batch and application.batch.sent_on:
            assert application.approved_at.date() <= application.batch.sent_on
    for batch in SchoolBatch.objects.exclude(sent_on=None):
        assert batch.created_at.date() <= batch.sent_on <= today
    decisions = Decision.objects.select_related("application__batch")
    assert decisions.exists()
    for decision in decisions:
        assert decision.decided_on <= decision.registered_at.date() <= today
        if decision.application:
            assert decision.application.batch.sent_on <= decision.decided_on
    plans = Plan.objects.select_related("decision")
    assert plans.filter(decision__isnull=False).exists() and plans.exclude(report_sent_on=None).exists()
    for plan in plans:
        for decision in Decision.objects.filter(student=plan.student):
            assert decision.registered_at < plan.created_at
        assert all(plan.created_at < entry.created_at for entry in LogEntry.objects.filter(plan=plan))
        if plan.report_sent_on:
            assert plan.created_at.date() <= plan.report_sent_on <= today


def test_the_iop_overview_tells_a_true_story_at_school_a(demo, schools):
    """Issue 18 part 3: some subjects done, some not, goals assessed on the scale, and a deadline passed."""
    from iop import deadlines, overview
    from iop.models import Goal, PlanSubject

    school_a, today = schools[0], timezone.localdate()
    year = SchoolYear.objects.current()
    subjects = PlanSubject.objects.filter(plan__student__school=school_a, plan__school_year=year)
    assert subjects.filter(goals_done=True).exists() and subjects.filter(goals_done=False).exists()
    assert Goal.objects.filter(plan_subject__in=subjects, progress_half_year__isnull=False).exists()
    assert deadlines.dates_for(school_a, year).half_year_due is not None
    settings = deadlines.settings_for(school_a)
    waiting = overview.waiting_approvals(school_a, year, days=settings.approval_days, today=today)
    # The demo's applications were published early in the school year (demo/timeline.py): from September on,
    # the ones still waiting for approval have waited too long.
    if today >= year.starts_on.replace(month=9):
        assert any(item.passed for item in waiting)
    assert waiting


def test_the_demo_maths_goals_come_from_the_goal_bank(demo):
    from curriculum.models import CompetenceGoal
    from iop.models import Goal

    goals = Goal.objects.filter(plan_subject__subject__code__startswith="MAT").exclude(grep_code="")
    assert goals.exists()
    for goal in goals:
        assert goal.competence_goal == CompetenceGoal.objects.get(code=goal.grep_code).title_nb
