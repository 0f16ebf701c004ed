"""The IKO work through the pages: concerns, assessing signals, talks, and a plan from draft to evaluation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pypdf import PdfReader

from applications.models import Application
from audit.models import AccessEvent
from followup.models import Measure, MeasureNote, Plan, Signal, Talk

from .factories import iko_objects

pytestmark = pytest.mark.django_db


def post(client, name, *args, **data):
    return client.post(reverse(name, args=args), data, follow=True)


def test_a_subject_teacher_reports_a_concern_and_sees_only_their_own_report(client, iko_cast, minor, teacher):
    client.force_login(teacher)
    response = post(client, "followup:concern_add", student=minor.pk, rule=Signal.Rule.WELLBEING,
                    text="Sover i timene, virker lei seg.")
    signal = Signal.objects.get()
    assert (signal.reported_by, signal.student, signal.status) == (teacher, minor, Signal.Status.NEW)
    assert "Sover i timene" in response.content.decode()  # the teacher's own list
    assert client.get(reverse("followup:student", args=[minor.pk])).status_code == 403
    assert AccessEvent.objects.filter(user=teacher, object_type="iko_concerns", student=minor).exists()
    client.force_login(iko_cast["contact"])
    assert "Emma Hansen" in client.get(reverse("followup:overview", args=[minor.school_id])).content.decode()


def test_a_concern_about_a_student_one_does_not_teach_is_refused(client, iko_cast, other_child, teacher):
    client.force_login(teacher)
    response = client.post(reverse("followup:concern_add"), {"student": other_child.pk, "rule": "other", "text": "x"})
    assert response.status_code == 200 and not Signal.objects.exists()  # not a choice for them


def test_the_concern_page_does_not_exist_for_someone_who_teaches_no_one(client, guardian):
    client.force_login(guardian)
    assert client.get(reverse("followup:concern_add")).status_code == 404


def test_a_signal_is_dismissed_only_with_a_reason(client, iko_cast, minor, contact):
    signal = iko_objects(minor, contact)["iko_signal"]
    client.force_login(contact)
    post(client, "followup:signal_assess", signal.pk, decision="dismiss", reason="")
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW
    post(client, "followup:signal_assess", signal.pk, decision="dismiss", reason="Fraværet var en operasjon.")
    signal.refresh_from_db()
    assert (signal.status, signal.assessed_by) == (Signal.Status.DISMISSED, contact)
    response = post(client, "followup:signal_assess", signal.pk, decision="take")
    assert "allerede vurdert" in response.content.decode() or signal.status == Signal.Status.DISMISSED


def test_the_contact_teacher_writes_down_a_startup_talk(client, iko_cast, minor, contact):
    client.force_login(contact)
    response = post(client, "followup:talk_add", minor.pk, "startup", held_on="2026-08-25", participants="Emma",
                    student_view="Trives, men strever i matte.", causes=["academic"], wishes="Hjelp i matte")
    talk = Talk.objects.get()
    assert (talk.kind, talk.held_by, talk.causes) == (Talk.Kind.STARTUP, contact, ["academic"])
    assert "Trives, men strever i matte." in response.content.decode()


def test_a_plan_from_draft_to_referral(client, iko_cast, minor, guardian, iko_team, teacher):
    client.force_login(iko_team)
    post(client, "followup:plan_add", minor.pk)
    post(client, "followup:plan_add", minor.pk)  # posted twice: one plan
    plan = Plan.objects.get()
    today = timezone.localdate()
    post(client, "followup:measure_add", plan.pk, challenge="academic", approach="Intensivopplæring i matte",
         responsible=[teacher.pk], extent="2 t/uke", starts_on=today, ends_on=today + timedelta(weeks=6))
    assert Measure.objects.filter(plan=plan, responsible=teacher).exists()

    response = post(client, "followup:plan_state", plan.pk, "start")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT  # a minor: the guardians first
    assert "foresatte" in response.content.decode()
    post(client, "followup:plan_informed", plan.pk, guardians_informed_on=today, guardians_informed_how="Telefon")
    post(client, "followup:plan_state", plan.pk, "start")
    post(client, "followup:plan_state", plan.pk, "share")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and plan.shared_on == today

    client.force_login(teacher)  # responsible for the measure
    post(client, "followup:measure_note", plan.measures.get().pk, text="Tre økter, god innsats.")
    assert MeasureNote.objects.get().written_by == teacher
    client.force_login(guardian)
    assert "Intensivopplæring i matte" in client.get(reverse("followup:plan", args=[plan.pk])).content.decode()

    client.force_login(iko_team)
    post(client, "followup:plan_evaluate", plan.pk, outcome="referral", note="Tiltakene var ikke nok.")
    post(client, "followup:plan_evaluate", plan.pk, outcome="referral", note="Igjen")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.EVALUATED and plan.outcome == Plan.Outcome.REFERRAL
    application = Application.objects.get()
    assert plan.referral == application and application.student == minor
    assert application.status == Application.Status.REGISTERED  # a draft the IOP admin writes and publishes
    mapping = application.attachments.get().document
    assert (mapping.student, mapping.visible_to_teachers) == (minor, False)
    assert "Intensivopplæring i matte" in "".join(page.extract_text() for page in PdfReader(mapping.file.open()).pages)


def test_a_plan_without_measures_does_not_start(client, iko_cast, adult, iko_team):
    client.force_login(iko_team)
    post(client, "followup:plan_add", adult.pk)
    plan = Plan.objects.get()
    response = post(client, "followup:plan_state", plan.pk, "start")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and "minst ett tiltak" in response.content.decode()


def test_a_responsible_person_records_follow_up_only_while_the_plan_runs(client, iko_cast, minor, teacher):
    plan = iko_objects(minor, teacher)["iko_plan"]
    client.force_login(teacher)
    response = client.post(reverse("followup:measure_note", args=[plan.measures.get().pk]), {"text": "x"})
    assert response.status_code == 403 and not MeasureNote.objects.exists()


def test_a_referral_when_the_student_already_has_an_application_changes_nothing(client, iko_cast, minor, iko_team,
                                                                                  admin):
    from applications.services import application_create
    from accounts.models import SchoolYear

    application_create(student=minor, school_year=SchoolYear.objects.current(create=True), by=admin)
    plan = iko_objects(minor, iko_team)["iko_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)
    client.force_login(iko_team)
    post(client, "followup:plan_evaluate", plan.pk, outcome="referral", note="Henvis")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and Application.objects.count() == 1


def test_a_reporter_no_longer_sees_their_concerns_once_off_the_schools_staff(client, iko_cast, minor, teacher):
    from accounts.models import StaffMembership

    client.force_login(teacher)
    post(client, "followup:concern_add", student=minor.pk, rule=Signal.Rule.OTHER, text="Mye hodepine.")
    StaffMembership.objects.filter(user=teacher).delete()
    assert "Mye hodepine." not in client.get(reverse("followup:concerns")).content.decode()


def test_an_evaluation_with_errors_keeps_what_was_typed(client, iko_cast, minor, iko_team):
    plan = iko_objects(minor, iko_team)["iko_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)
    client.force_login(iko_team)
    response = client.post(reverse("followup:plan_evaluate", args=[plan.pk]), {"note": "Godt arbeid i seks uker."})
    assert response.status_code == 400 and "Godt arbeid i seks uker." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE


def test_guardians_informed_with_errors_keeps_what_was_typed(client, iko_cast, minor, iko_team):
    plan = iko_objects(minor, iko_team)["iko_plan"]
    client.force_login(iko_team)
    response = client.post(reverse("followup:plan_informed", args=[plan.pk]), {"guardians_informed_how": "Brev"})
    assert response.status_code == 400 and 'value="Brev"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.guardians_informed_on is None


def test_a_measure_of_another_plan_gets_no_note_through_a_forged_id(client, iko_cast, minor, other_child, teacher,
                                                                     other_teacher):
    foreign = iko_objects(other_child, other_teacher)["iko_plan"]
    Plan.objects.filter(pk=foreign.pk).update(status=Plan.Status.ACTIVE)
    client.force_login(teacher)  # responsible for nothing there
    response = client.post(reverse("followup:measure_note", args=[foreign.measures.get().pk]), {"text": "x"})
    assert response.status_code in (403, 404) and not MeasureNote.objects.exists()
    assert client.post(reverse("followup:measure_note", args=[999999]), {"text": "x"}).status_code == 404
