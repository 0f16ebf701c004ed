"""Only those who may write a text see its versions (docs/architecture.md §4): readers get 403, outsiders 404;
the granted page is a read of the record, logged by the access helper."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Application
from audit.models import AccessEvent
from iop.models import Plan

from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory
from ..factories import SubjectFactory
from ..iop.factories import GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

OUT = 404
# At stage 3 (published to the student and guardians): part 1, a goal of a subject Bob and Charlie teach,
# a goal of a subject nobody of the cast teaches, a log entry Bob wrote.
TABLE = {
    #                 part 1  own goal  other goal  Bob's entry
    "admin":         (200,    200,      200,        200),
    "teacher":       (403,    200,      403,        200),
    "coteacher":     (403,    200,      403,        403),
    "minor_student": (403,    403,      403,        403),
    "guardian":      (403,    403,      403,        403),
    "other_teacher": (OUT,    OUT,      OUT,        OUT),
    "principal":     (OUT,    OUT,      OUT,        OUT),
    "other_admin":   (OUT,    OUT,      OUT,        OUT),
    "other_guardian": (OUT,   OUT,      OUT,        OUT),
    "adult_student": (OUT,    OUT,      OUT,        OUT),
    "stranger":      (OUT,    OUT,      OUT,        OUT),
}


@pytest.fixture
def texts(minor, teacher):
    plan = PlanFactory(student=minor, stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    own = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    other = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1021"))
    return [("del1", plan.pk), ("mal", GoalFactory(plan_subject=own).pk), ("mal", GoalFactory(plan_subject=other).pk),
            ("logg", LogEntryFactory(plan=plan, created_by=teacher).pk)]


def status(user, kind, pk, name="history:versions"):
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=[kind, pk])).status_code


@pytest.mark.parametrize("who", TABLE)
def test_the_versions_pages_follow_the_access_table(cast, texts, who):
    assert tuple(status(cast[who], kind, pk) for kind, pk in texts) == TABLE[who]


@pytest.mark.parametrize("who", ["teacher", "guardian"])
def test_a_draft_iop_is_hidden_from_its_readers(cast, minor, who):
    plan = PlanFactory(student=minor, stage=Plan.Stage.DRAFT)
    assert status(cast[who], "del1", plan.pk) == 404


def test_assessments_are_written_by_the_subjects_teachers(cast, minor):
    plan = PlanFactory(student=minor, stage=Plan.Stage.ANNUAL_REPORT)
    own = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    for kind in ("halvar", "ar"):
        assert status(cast["teacher"], kind, own.pk) == 200
        assert status(cast["guardian"], kind, own.pk) == 403
    # The subject rows of part 1 (content, extent, organisation) are the admin's.
    assert status(cast["teacher"], "fag", own.pk) == 403
    assert status(cast["admin"], "fag", own.pk) == 200


@pytest.mark.parametrize(("who", "expected"), [("admin", 200), ("guardian", 403), ("teacher", 403),
                                               ("other_admin", 404), ("stranger", 404)])
def test_application_versions_are_the_iop_admins(cast, minor, who, expected):
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    assert status(cast[who], "soknad", application.pk) == expected


@pytest.mark.parametrize(("who", "expected"), [("admin", 200), ("guardian", 403), ("teacher", 403),
                                               ("other_admin", 404), ("stranger", 404)])
def test_the_versions_of_a_subject_applied_for_follow_the_application(cast, minor, who, expected):
    row = ApplicationSubjectFactory(application=ApplicationFactory(
        student=minor, status=Application.Status.AWAITING_APPROVAL))
    assert status(cast[who], "soknadsfag", row.pk) == expected


def test_an_earlier_years_plan_is_locked_until_the_admin_opens_it(admin, minor):
    from ..factories import SchoolYearFactory

    plan = PlanFactory(student=minor, school_year=SchoolYearFactory(start_year=2020))
    assert status(admin, "del1", plan.pk) == 403


def test_reading_versions_is_logged_against_the_record(admin, texts):
    kind, pk = texts[0]
    client = Client()
    client.force_login(admin)
    client.get(reverse("history:versions", args=[kind, pk]))
    client.get(reverse("history:difference", args=[kind, pk]), {"fra": 1, "til": 1})
    events = AccessEvent.objects.filter(action="viewed", object_type="iop", object_id=str(pk), user=admin)
    assert sorted(e.detail.rstrip("/").rsplit("/", 1)[-1] for e in events) == [str(pk), "forskjell"]


def test_a_refused_reader_is_not_logged_as_reading(cast, texts):
    kind, pk = texts[0]
    assert status(cast["teacher"], kind, pk) == 403
    assert not AccessEvent.objects.filter(action="viewed", object_type="iop", object_id=str(pk),
                                          user=cast["teacher"]).exists()


@pytest.mark.parametrize("who", ["teacher", "guardian", "stranger"])
def test_no_restore_for_who_may_not_write(cast, texts, who):
    kind, pk = texts[0]
    client = Client()
    client.force_login(cast[who])
    response = client.post(reverse("history:restore", args=[kind, pk]), {"number": 1, "version": 0})
    assert response.status_code == (404 if who == "stranger" else 403)


def test_get_on_restore_is_405(admin, texts):
    kind, pk = texts[0]
    assert status(admin, kind, pk, name="history:restore") == 405


def versions_links(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().count('data-testid="versions-link"')


def test_versions_links_are_shown_only_to_writers(cast, minor, teacher):
    plan = PlanFactory(student=minor, stage=Plan.Stage.ANNUAL_REPORT)
    subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    GoalFactory(plan_subject=subject)
    LogEntryFactory(plan=plan, created_by=teacher)
    plan_url, subject_url = reverse("iop:plan_detail", args=[plan.pk]), reverse("iop:subject_detail", args=[subject.pk])
    assert versions_links(cast["admin"], plan_url) >= 4  # part 1, the subject row, the report, the log entry
    assert versions_links(cast["teacher"], plan_url) == 1  # their own log entry
    assert versions_links(cast["guardian"], plan_url) == 0
    assert versions_links(cast["teacher"], subject_url) == 3  # half-year, annual, the goal
    assert versions_links(cast["guardian"], subject_url) == 0


def test_the_application_page_links_its_versions(admin, minor):
    application = ApplicationFactory(student=minor)
    assert versions_links(admin, reverse("applications:application_detail", args=[application.pk])) == 1


@pytest.mark.parametrize(("who", "expected"), [("teacher", 403), ("guardian", 403), ("other_admin", 404),
                                               ("stranger", 404)])
def test_only_the_writer_restores_a_text_saved_by_a_plain_form(cast, minor, who, expected):
    from history.selectors import latest_history_id

    from ..iop.factories import AnnexRowFactory

    plan = PlanFactory(student=minor, stage=Plan.Stage.ANNUAL_REPORT)
    row = AnnexRowFactory(plan=plan, assessment="Først")
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL, student_goal="Først")
    for instance, field in [(row, "assessment"), (application, "student_goal")]:
        setattr(instance, field, "Så")
        instance.save()
    client = Client()
    client.force_login(cast[who])
    for kind, instance, field in [("vedlegg", row, "assessment"), ("soknad", application, "student_goal")]:
        response = client.post(reverse("history:restore", args=[kind, instance.pk]),
                               {"number": 1, "version": latest_history_id(instance)})
        assert response.status_code == expected, kind
        instance.refresh_from_db()
        assert getattr(instance, field) == "Så", kind
