"""Once a student's records are handed over to the archive (`Student.archived_on`), they are read-only for
everyone: every write below is refused with 403 and changes nothing, the same page still reads (200), and
before archiving the same write works (each test runs both ways)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear, Student
from accounts.services import case_creator_grant
from applications.models import Application
from cases import services as case_services
from cases.models import Case
from documents.models import Document
from followup.models import Plan as FollowupPlan
from followup.models import Signal, Talk
from iop.access import UNLOCKED_PLANS
from iop.models import LogEntry, Plan

from .applications.factories import ApplicationFactory, ApplicationSubjectFactory
from .cases.factories import case_type, make_case
from .conftest import make_staff
from .factories import DocumentFactory, blank_pdf
from .followup.factories import iko_objects
from .iop.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["open", "archived"])
def archived(request):
    return request.param


def archive_if(archived: bool, student) -> None:
    if archived:
        Student.objects.filter(pk=student.pk).update(archived_on=timezone.localdate())


def refused_or_done(archived: bool) -> int:
    """The status a write answers: 403 once archived, else the redirect after a done POST."""
    return 403 if archived else 302


# --- IOP ------------------------------------------------------------------------------------------


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True), stage=Plan.Stage.TEACHERS)


def test_iop_part1_edit_by_the_admin(client, admin, plan, archived):
    archive_if(archived, plan.student)
    client.force_login(admin)
    data = {"version": plan.part1_version, "part_of_individual_plan": "yes", "goal_kind": "study",
            "basis_documents": "Sakkyndig vurdering", "goal_text": "Studiekompetanse", "other": "Endret"}
    response = client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), data)
    assert response.status_code == refused_or_done(archived)
    plan.refresh_from_db()
    assert (plan.other == "Endret") is not archived
    page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert page.context["rights"].archived is archived
    assert (reverse("iop:plan_edit_part1", args=[plan.pk]) in page.content.decode()) is not archived


def test_iop_log_entry_added_by_a_teacher(client, teacher, plan, archived):
    archive_if(archived, plan.student)
    client.force_login(teacher)
    response = client.post(reverse("iop:log_add", args=[plan.pk]), {"text": "Samtale med eleven."})
    assert response.status_code == refused_or_done(archived)
    assert LogEntry.objects.filter(plan=plan).exists() is not archived
    page = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert (page.context["log_form"] is None) is archived


def test_iop_admin_may_not_unlock_an_archived_earlier_plan(client, admin, minor, archived):
    last_year = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_of(timezone.localdate()) - 1)[0]
    old_plan = PlanFactory(student=minor, school_year=last_year, stage=Plan.Stage.ANNUAL_REPORT)
    archive_if(archived, minor)
    client.force_login(admin)
    page = client.get(reverse("iop:plan_detail", args=[old_plan.pk]))
    assert page.status_code == 200
    assert page.context["rights"].may_unlock is not archived
    response = client.post(reverse("iop:plan_unlock", args=[old_plan.pk]))
    assert response.status_code == refused_or_done(archived)
    assert (old_plan.pk in client.session.get(UNLOCKED_PLANS, [])) is not archived


def test_iop_no_new_plan_for_an_archived_student(client, admin, minor, archived):
    archive_if(archived, minor)
    client.force_login(admin)
    page = client.get(reverse("iop:student_plan", args=[minor.pk]))
    assert page.status_code == 200
    assert page.context["may_create"] is not archived
    response = client.post(reverse("iop:plan_create", args=[minor.pk]))
    assert response.status_code == refused_or_done(archived)
    assert Plan.objects.filter(student=minor).exists() is not archived


# --- Applications ------------------------------------------------------------------------------------


def test_application_edit_by_the_admin(client, admin, minor, archived):
    application = ApplicationFactory(student=minor, school_year=SchoolYear.objects.current(create=True))
    archive_if(archived, minor)
    client.force_login(admin)
    maths = minor.enrollments.get().subject
    data = {"expert_assessment_date": "2025-05-02", "expert_assessment_by": "PPT", "expert_assessment_summary": "x",
            "student_goal": "Bestå matematikk.", "other_information": "", "subjects-TOTAL_FORMS": "1",
            "subjects-INITIAL_FORMS": "0", "subjects-0-subject": str(maths.pk), "subjects-0-extent": "2 t",
            "subjects-0-organisation": "Gruppe"}
    response = client.post(reverse("applications:application_edit", args=[application.pk]), data)
    assert response.status_code == refused_or_done(archived)
    application.refresh_from_db()
    assert (application.student_goal == "Bestå matematikk.") is not archived
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert page.status_code == 200
    assert page.context["actions"]["edit"] is not archived
    download = client.get(reverse("applications:application_download", args=[application.pk]))
    assert download.status_code == 200


def test_application_approval_by_the_guardian(client, guardian, minor, archived):
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    ApplicationSubjectFactory(application=application)
    archive_if(archived, minor)
    client.force_login(guardian)
    page = client.get(reverse("applications:application_read", args=[application.pk]))
    assert page.status_code == 200
    assert page.context["can_approve"] is not archived
    response = client.post(reverse("applications:application_approve", args=[application.pk]),
                           {"content_hash": application.content_hash()})
    assert response.status_code == refused_or_done(archived)
    application.refresh_from_db()
    assert (application.status == Application.Status.APPROVED) is not archived


def test_no_new_application_for_an_archived_student(client, admin, school_a, minor, archived):
    SchoolYear.objects.current(create=True)
    archive_if(archived, minor)
    client.force_login(admin)
    response = client.post(reverse("applications:application_add", args=[school_a.pk]), {"student": minor.pk})
    assert response.status_code == refused_or_done(archived)
    assert Application.objects.filter(student=minor).exists() is not archived


# --- Documents ---------------------------------------------------------------------------------------


def test_document_upload_by_the_admin(client, admin, minor, archived):
    existing = DocumentFactory(student=minor, title="Sakkyndig vurdering 2025")
    archive_if(archived, minor)
    client.force_login(admin)
    payload = {"title": "Kartlegging", "visible_to_teachers": "on",
               "file": SimpleUploadedFile("kartlegging.pdf", blank_pdf(1), "application/pdf")}
    response = client.post(reverse("documents:document_upload", args=[minor.pk]), payload)
    assert response.status_code == refused_or_done(archived)
    assert Document.objects.filter(student=minor).count() == (1 if archived else 2)
    page = client.get(reverse("documents:student_documents", args=[minor.pk]))
    assert page.status_code == 200
    assert page.context["may_manage"] is not archived
    assert client.get(reverse("documents:document_download", args=[existing.pk])).status_code == 200


def test_document_retitle_by_the_admin(client, admin, minor, archived):
    document = DocumentFactory(student=minor, title="Sakkyndig vurdering 2025")
    archive_if(archived, minor)
    client.force_login(admin)
    response = client.post(reverse("documents:document_edit", args=[document.pk]), {"title": "Nytt navn"})
    assert response.status_code == refused_or_done(archived)
    document.refresh_from_db()
    assert (document.title == "Nytt navn") is not archived


# --- IKO (followup) ----------------------------------------------------------------------------------


@pytest.fixture
def contact(minor, other_teacher):
    minor.contact_teacher = other_teacher
    minor.save()
    return other_teacher


def test_iko_talk_written_by_the_contact_teacher(client, minor, contact, archived):
    archive_if(archived, minor)
    client.force_login(contact)
    data = {"held_on": timezone.localdate().isoformat(), "participants": "Emma", "student_view": "Trives.",
            "causes": ["academic"], "wishes": "Hjelp i matte", "notes": ""}
    response = client.post(reverse("followup:talk_add", args=[minor.pk, "startup"]), data)
    assert response.status_code == refused_or_done(archived)
    assert Talk.objects.filter(student=minor).exists() is not archived
    page = client.get(reverse("followup:student", args=[minor.pk]))
    assert page.status_code == 200
    assert page.context["may_write"] is not archived


def test_iko_signal_assessed_by_the_contact_teacher(client, minor, contact, archived):
    signal = iko_objects(minor, contact)["iko_signal"]
    archive_if(archived, minor)
    client.force_login(contact)
    response = client.post(reverse("followup:signal_assess", args=[signal.pk]),
                           {"decision": "dismiss", "reason": "Fraværet var en operasjon."})
    assert response.status_code == refused_or_done(archived)
    signal.refresh_from_db()
    assert (signal.status == Signal.Status.NEW) is archived
    assert client.get(reverse("followup:student", args=[minor.pk])).status_code == 200


def test_iko_plan_measure_changed_by_the_contact_teacher(client, minor, contact, archived):
    objects = iko_objects(minor, contact)
    the_plan, measure = objects["iko_plan"], objects["iko_measure"]
    archive_if(archived, minor)
    client.force_login(contact)
    today = timezone.localdate()
    data = {"challenge": measure.challenge, "approach": "Nytt tiltak", "extent": "", "responsible": [contact.pk],
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(weeks=4)).isoformat()}
    response = client.post(reverse("followup:measure_edit", args=[the_plan.pk, measure.pk]), data)
    assert response.status_code == refused_or_done(archived)
    measure.refresh_from_db()
    assert (measure.approach == "Nytt tiltak") is not archived
    page = client.get(reverse("followup:plan", args=[the_plan.pk]))
    assert page.status_code == 200
    assert page.context["rights"].write is not archived


def test_iko_no_new_plan_for_an_archived_student(client, minor, contact, archived):
    archive_if(archived, minor)
    client.force_login(contact)
    assert client.post(reverse("followup:plan_add", args=[minor.pk])).status_code == refused_or_done(archived)
    assert FollowupPlan.objects.filter(student=minor).exists() is not archived


# --- Person cases --------------------------------------------------------------------------------


@pytest.fixture
def case_creator(school_a):
    user = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=user)
    return user


def test_case_event_added_by_the_handler(client, minor, teacher, case_creator, archived):
    case = make_case(minor, teacher, by=case_creator)
    archive_if(archived, minor)
    client.force_login(teacher)
    data = {"category": "conversation", "kind": "note", "occurred_on": timezone.localdate().isoformat(),
            "title": "Samtale", "text": "Eleven fortalte om helga."}
    response = client.post(reverse("cases:event_create", args=[case.pk]), data)
    assert response.status_code == refused_or_done(archived)
    assert case.events.exists() is not archived
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    assert page.context["rights"].write is not archived
    assert client.get(reverse("cases:case_pdf", args=[case.pk])).status_code == 200


def test_case_closed_by_the_handler(client, minor, teacher, case_creator, archived):
    case = make_case(minor, teacher, by=case_creator)
    archive_if(archived, minor)
    client.force_login(teacher)
    response = client.post(reverse("cases:case_close", args=[case.pk]), {"note": "Ferdig."})
    assert response.status_code == refused_or_done(archived)
    case.refresh_from_db()
    assert case.is_open is archived


def test_no_new_case_for_an_archived_student(client, minor, teacher, case_creator, archived):
    case_services.card_register(student=minor, by=case_creator)
    archive_if(archived, minor)
    client.force_login(case_creator)
    page = client.get(reverse("cases:student", args=[minor.pk]))
    assert page.status_code == 200
    assert page.context["may_create"] is not archived
    data = {"case_type": case_type(minor.school).pk, "category": "care", "description": "Bekymring",
            "handler": teacher.pk}
    response = client.post(reverse("cases:case_create", args=[minor.pk]), data)
    assert response.status_code == refused_or_done(archived)
    assert Case.objects.filter(card__student=minor).exists() is not archived
