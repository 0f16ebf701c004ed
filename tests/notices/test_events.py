"""Issue 18 part 4: each event tells exactly the right people, once, in their language, and nothing more
about the student than a first name."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import SchoolYear
from applications.models import Application
from applications.services import application_approve, application_comment, application_publish
from iop.models import Plan
from iop.services import plan_set_stage
from notices.models import Event, Notice

from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory
from ..factories import GuardianshipFactory, UserFactory
from ..iop.factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

ASSESSMENT_TEXT = "Eleven har store vansker med lesing og trenger tett oppfølging."


def told(event) -> set[str]:
    return set(Notice.objects.filter(event=event).values_list("user__username", flat=True))


def mailed() -> set[str]:
    return {address.split("@")[0] for message in mail.outbox for address in message.to}


@pytest.fixture
def application(minor, admin):
    application = ApplicationFactory(student=minor, created_by=admin, expert_assessment_summary=ASSESSMENT_TEXT,
                                     school_year=SchoolYear.objects.current(create=True))
    ApplicationSubjectFactory(application=application)
    return application


@pytest.fixture
def plan(minor):
    plan = PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True), stage=Plan.Stage.DRAFT,
                       report_assessment=ASSESSMENT_TEXT)
    PlanSubjectFactory(plan=plan, half_year_development=ASSESSMENT_TEXT)
    return plan


def run(callbacks_fixture, work):
    with callbacks_fixture(execute=True):
        work()


# --- The family: an application awaits approval -------------------------------------------------


def test_publishing_tells_the_guardian_of_a_minor_once(application, emails, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, lambda: application_publish(application=application))
    # The minor's own login reads it but does not approve it: not told. No staff, no other family.
    assert told(Event.APPLICATION_TO_APPROVE) == {"frida"}
    assert mailed() == {"frida"}
    notice = Notice.objects.get()
    assert notice.url == reverse("applications:application_read", args=[application.pk])
    assert notice.email_state == Notice.EmailState.SENT and notice.attempts == 1


def test_publishing_for_an_adult_tells_the_student_and_never_the_former_guardian(
        adult, admin, emails, django_capture_on_commit_callbacks):
    former_guardian = UserFactory(username="henrik", email="henrik@example.no")
    GuardianshipFactory(guardian=former_guardian, student=adult)  # the student has turned 18
    application = ApplicationFactory(student=adult, created_by=admin)
    run(django_capture_on_commit_callbacks, lambda: application_publish(application=application))
    assert told(Event.APPLICATION_TO_APPROVE) == {"erik"}
    assert mailed() == {"erik"}


def test_a_reopened_and_republished_application_is_a_new_turn(application, guardian, admin, emails,
                                                               django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, lambda: application_publish(application=application))
    Application.objects.filter(pk=application.pk).update(status=Application.Status.REGISTERED)
    application.refresh_from_db()
    run(django_capture_on_commit_callbacks, lambda: application_publish(application=application))
    assert Notice.objects.filter(event=Event.APPLICATION_TO_APPROVE, user=guardian).count() == 2


# --- The IOP admins: an approval or an answer arrives --------------------------------------------


def test_an_approval_tells_the_schools_iop_admins_only(application, guardian, emails,
                                                      django_capture_on_commit_callbacks):
    application_publish(application=application)
    mail.outbox.clear()
    Notice.objects.all().delete()
    run(django_capture_on_commit_callbacks, lambda: application_approve(application=application, by=guardian))
    # Not the admin of the other school, not the principal, not the teachers.
    assert told(Event.APPLICATION_ANSWERED) == {"alice"}
    assert mailed() == {"alice"}
    assert Notice.objects.get().url == reverse("applications:application_detail", args=[application.pk])


def test_each_answer_instead_of_approval_tells_the_admins(application, guardian, emails,
                                                          django_capture_on_commit_callbacks):
    application_publish(application=application)
    application.refresh_from_db()

    def answer(kind):
        application_comment(application=application, by=guardian, kind=kind, text=ASSESSMENT_TEXT,
                            content_hash=application.content_hash())

    run(django_capture_on_commit_callbacks, lambda: answer("disagree"))
    run(django_capture_on_commit_callbacks, lambda: answer("question"))
    assert Notice.objects.filter(event=Event.APPLICATION_ANSWERED, user__username="alice").count() == 2
    assert all(ASSESSMENT_TEXT not in message.body for message in mail.outbox)


def test_an_admin_who_left_the_school_is_not_told(application, guardian, admin, emails,
                                                  django_capture_on_commit_callbacks):
    admin.staff_memberships.all().delete()  # the grant no longer counts
    application_publish(application=application)
    run(django_capture_on_commit_callbacks, lambda: application_approve(application=application, by=guardian))
    assert told(Event.APPLICATION_ANSWERED) == set()


# --- The IOP's stages ----------------------------------------------------------------------------


def test_stage_2_tells_the_students_teachers_only(plan, emails, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=Plan.Stage.TEACHERS))
    # dora teaches another student; the family does not see stage 2.
    assert told(Event.PLAN_PUBLISHED_TO_TEACHERS) == {"bob", "charlie"}
    assert mailed() == {"bob", "charlie"}
    assert Notice.objects.count() == 2


def test_stage_3_tells_the_guardian_of_a_minor(plan, emails, django_capture_on_commit_callbacks):
    plan_set_stage(plan=plan, stage=Plan.Stage.TEACHERS)
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=Plan.Stage.STUDENT_AND_GUARDIANS))
    assert told(Event.PLAN_PUBLISHED_TO_FAMILY) == {"frida"}
    assert Notice.objects.filter(event=Event.PLAN_PUBLISHED_TO_TEACHERS).count() == 2  # not told again


def test_stage_3_of_an_adult_tells_the_student_not_the_former_guardian(adult, emails,
                                                                       django_capture_on_commit_callbacks):
    GuardianshipFactory(guardian=UserFactory(username="henrik", email="henrik@example.no"), student=adult)
    plan = PlanFactory(student=adult, school_year=SchoolYear.objects.current(create=True))
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=Plan.Stage.STUDENT_AND_GUARDIANS))
    assert told(Event.PLAN_PUBLISHED_TO_FAMILY) == {"erik"}
    assert told(Event.PLAN_PUBLISHED_TO_TEACHERS) == {"bob"}  # jumping past stage 2 still tells the teachers
    assert "henrik" not in mailed()


@pytest.mark.parametrize("stage", [Plan.Stage.HALF_YEAR, Plan.Stage.ANNUAL_REPORT])
def test_stages_4_and_5_tell_the_family_a_report_is_published(plan, stage, emails,
                                                              django_capture_on_commit_callbacks):
    Plan.objects.filter(pk=plan.pk).update(stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    plan.refresh_from_db()
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=stage))
    assert told(Event.REPORT_PUBLISHED_TO_FAMILY) == {"frida"}
    assert told(Event.PLAN_PUBLISHED_TO_FAMILY) == set()  # stage 3 was reached before


def test_going_back_and_forward_again_tells_no_one_twice(plan, emails, django_capture_on_commit_callbacks):
    for stage in [3, 2, 1, 3, 4, 3, 4]:
        run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=stage))
    counts = {event: Notice.objects.filter(event=event).count() for event in Event}
    assert counts[Event.PLAN_PUBLISHED_TO_TEACHERS] == 2
    assert counts[Event.PLAN_PUBLISHED_TO_FAMILY] == 1
    assert counts[Event.REPORT_PUBLISHED_TO_FAMILY] == 1
    assert len(mail.outbox) == 4


def test_moving_back_tells_no_one(plan, emails, django_capture_on_commit_callbacks):
    Plan.objects.filter(pk=plan.pk).update(stage=Plan.Stage.ANNUAL_REPORT)
    plan.refresh_from_db()
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=Plan.Stage.TEACHERS))
    assert not Notice.objects.exists() and not mail.outbox


# --- What a message says, and in which language --------------------------------------------------


def test_each_recipient_gets_their_language_and_nothing_but_the_first_name(
        plan, minor, teacher, coteacher, emails, django_capture_on_commit_callbacks):
    teacher.language, coteacher.language = "nn", "en"
    teacher.save(), coteacher.save()
    run(django_capture_on_commit_callbacks, lambda: plan_set_stage(plan=plan, stage=Plan.Stage.STUDENT_AND_GUARDIANS))
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert set(by_user) == {"bob", "charlie", "frida"}
    languages = {"bob": "nn", "charlie": "en", "frida": "nb"}  # frida chose none: the site's language
    for username, language in languages.items():
        message = by_user[username]
        event = Event.PLAN_PUBLISHED_TO_FAMILY if username == "frida" else Event.PLAN_PUBLISHED_TO_TEACHERS
        with translation.override(language):
            subject = gettext({
                Event.PLAN_PUBLISHED_TO_FAMILY: "An IOP has been published to you",
                Event.PLAN_PUBLISHED_TO_TEACHERS: "An IOP has been published to the teachers",
            }[event])
            text = gettext({
                Event.PLAN_PUBLISHED_TO_FAMILY:
                    "The school has published the individual education plan (IOP) for %(first_name)s.",
                Event.PLAN_PUBLISHED_TO_TEACHERS:
                    "The IOP for %(first_name)s, a student you teach, has been published to the student's "
                    "teachers.",
            }[event]) % {"first_name": minor.first_name}
        assert message.subject == f"IOP: {subject}"
        assert text in message.body
        assert message.extra_headers["Content-Language"] == language
        assert f"http://testserver{reverse('iop:plan_detail', args=[plan.pk])}" in message.body
        for secret in [minor.last_name, ASSESSMENT_TEXT, plan.goal_text, str(minor.birth_date)]:
            assert secret not in message.subject and secret not in message.body


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"
