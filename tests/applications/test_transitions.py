"""Every status transition, legal and illegal, directly on the model and the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from accounts.exceptions import Refused

from applications import services
from applications.access import APPROVE, get_application_for
from applications.models import Application, Decision
from audit.models import AccessEvent

from ..access_table import CAST, application_holds
from ..factories import GuardianshipFactory, SchoolFactory, StudentFactory, blank_pdf, request_as
from .factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory

pytestmark = pytest.mark.django_db

Status = Application.Status
SENT_ON = date(2026, 10, 1)


@pytest.fixture
def make(minor):
    """An application of `minor` in a given status (set directly: the arrangement, not the test)."""

    def make(status=Status.REGISTERED, **fields):
        application = ApplicationFactory(student=minor, status=status, **fields)
        ApplicationSubjectFactory(application=application)
        return application

    return make


@pytest.fixture
def batch(school_a):
    return SchoolBatchFactory(school=school_a)


def logged(application, detail) -> bool:
    return AccessEvent.objects.filter(
        action="changed", object_type="application", object_id=str(application.pk), detail=detail
    ).exists()


def approve(application, by, content_hash=None):
    application.approve(by=by, content_hash=content_hash or application.content_hash(), snapshot_pdf=blank_pdf())


def approved(make, guardian):
    application = make(Status.AWAITING_APPROVAL)
    approve(application, guardian)
    return application


def sent_batch(batch, application, admin):
    services.batch_add(batch=batch, application=application)
    services.batch_send(batch=batch, on=SENT_ON, by=admin)
    batch.refresh_from_db()
    application.refresh_from_db()


# --- publish -----------------------------------------------------------------


def test_publish_from_registered(make, admin):
    application = make()
    services.application_publish(application=application)
    assert application.status == Status.AWAITING_APPROVAL
    assert logged(application, "published")


@pytest.mark.parametrize("status", [s for s in Status if s != Status.REGISTERED])
def test_publish_only_from_registered(make, admin, status):
    application = make(status)
    with pytest.raises(Refused):
        services.application_publish(application=application)
    application.refresh_from_db()
    assert application.status == status
    assert not logged(application, "published")


# --- approve -----------------------------------------------------------------


def test_guardian_approves_awaiting_application(make, guardian):
    application = make(Status.AWAITING_APPROVAL)
    services.application_approve(application=application, by=guardian)
    assert application.status == Status.APPROVED
    assert application.approved_by == guardian and application.approved_at is not None
    assert application.approved_hash == application.content_hash()
    assert application.snapshot.read().startswith(b"%PDF-")
    assert logged(application, "approved")


def test_adult_student_approves_own_application(adult, adult_student):
    application = ApplicationFactory(student=adult, status=Status.AWAITING_APPROVAL)
    approve(application, adult_student)
    assert application.status == Status.APPROVED and application.approved_by == adult_student


@pytest.mark.parametrize("status", [s for s in Status if s != Status.AWAITING_APPROVAL])
def test_approve_only_from_awaiting(make, guardian, status):
    application = make(status)
    with pytest.raises(Refused):
        approve(application, guardian)
    application.refresh_from_db()
    assert application.status == status and application.approved_by is None


@pytest.mark.parametrize("name", [name for name in CAST
                                  if not application_holds(name, "approve", Status.AWAITING_APPROVAL)])
def test_approve_refused_for_anyone_but_guardian_or_adult_student(make, cast, name):
    application = make(Status.AWAITING_APPROVAL)
    with pytest.raises((Http404, PermissionDenied)):
        get_application_for(request_as(cast[name], "post"), application.pk, APPROVE)


def test_guardian_of_an_adult_student_cannot_approve(adult, guardian):
    GuardianshipFactory(guardian=guardian, student=adult)
    application = ApplicationFactory(student=adult, status=Status.AWAITING_APPROVAL)
    with pytest.raises((Http404, PermissionDenied)):
        get_application_for(request_as(guardian, "post"), application.pk, APPROVE)


def test_approve_refused_when_content_changed(make, guardian):
    application = make(Status.AWAITING_APPROVAL)
    seen = application.content_hash()
    with services.application_editing(application) as locked:
        locked.other_information = "Endret etter lesing."
        locked.save()
    with pytest.raises(Refused):
        approve(application, guardian, content_hash=seen)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_APPROVAL


def test_subject_or_attachment_change_changes_the_hash(make):
    application = make(Status.AWAITING_APPROVAL)
    before = application.content_hash()
    ApplicationSubjectFactory(application=application, extent="4 timer i uka")
    assert application.content_hash() != before


def test_approve_service_renders_snapshot_with_student_name(make, guardian):
    application = make(Status.AWAITING_APPROVAL)
    services.application_approve(application=application, by=guardian)
    assert application.status == Status.APPROVED
    assert application.snapshot.read().startswith(b"%PDF-")


# --- reopen ------------------------------------------------------------------


def test_reopen_approved_clears_the_approval(make, guardian, admin, batch):
    application = approved(make, guardian)
    services.batch_add(batch=batch, application=application)
    services.application_reopen(application=application)
    assert application.status == Status.REGISTERED
    assert application.approved_by is None and application.approved_at is None
    assert application.approved_hash == "" and not application.snapshot
    assert application.batch is None
    assert logged(application, "reopened")


@pytest.mark.parametrize("status", [s for s in Status if s != Status.APPROVED])
def test_reopen_only_approved(make, admin, status):
    application = make(status)
    with pytest.raises(Refused):
        services.application_reopen(application=application)
    application.refresh_from_db()
    assert application.status == status


def test_reopen_refused_after_the_batch_was_sent(make, guardian, admin, batch):
    application = approved(make, guardian)
    sent_batch(batch, application, admin)
    with pytest.raises(Refused):
        services.application_reopen(application=application)
    application.refresh_from_db()
    assert application.status == Status.UNDER_PROCESSING and application.approved_by == guardian


def test_reopen_refused_for_approved_application_in_a_sent_batch(make, guardian, admin, batch):
    # Not reachable through batch_send (it moves the status on), but the lock must hold by itself.
    application = approved(make, guardian)
    batch.sent_on = SENT_ON
    batch.save()
    Application.objects.filter(pk=application.pk).update(batch=batch)
    with pytest.raises(Refused):
        services.application_reopen(application=application)


# --- editing -----------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.AWAITING_APPROVAL])
def test_editing_allowed_until_approval(make, status):
    application = make(status)
    with services.application_editing(application) as locked:
        locked.student_goal = "Nytt mål"
        locked.save()
    application.refresh_from_db()
    assert application.student_goal == "Nytt mål"
    assert AccessEvent.objects.filter(object_id=str(application.pk), detail="edited").exists()


@pytest.mark.parametrize("status", [Status.APPROVED, Status.UNDER_PROCESSING, Status.GRANTED, Status.REJECTED])
def test_editing_refused_after_approval(make, status):
    application = make(status, student_goal="Godkjent mål")
    with pytest.raises(Refused):
        with services.application_editing(application) as locked:
            locked.student_goal = "Endret"
            locked.save()
    application.refresh_from_db()
    assert application.student_goal == "Godkjent mål"


# --- mark_sent ---------------------------------------------------------------


def test_mark_sent_alone(make, guardian, admin):
    application = approved(make, guardian)
    services.application_mark_sent(application=application, on=SENT_ON)
    assert application.status == Status.UNDER_PROCESSING and application.sent_on == SENT_ON
    assert logged(application, "sent")


@pytest.mark.parametrize("status", [s for s in Status if s != Status.APPROVED])
def test_mark_sent_only_approved(make, admin, status):
    application = make(status)
    with pytest.raises(Refused):
        services.application_mark_sent(application=application, on=SENT_ON)


def test_mark_sent_refused_in_a_batch(make, guardian, admin, batch):
    application = approved(make, guardian)
    services.batch_add(batch=batch, application=application)
    with pytest.raises(Refused):
        services.application_mark_sent(application=application, on=SENT_ON)
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.sent_on is None


# --- batches -----------------------------------------------------------------


def test_batch_add_remove_and_send(make, guardian, admin, batch):
    application = approved(make, guardian)
    services.batch_add(batch=batch, application=application)
    assert logged(application, f"added to batch {batch.pk}")
    services.batch_remove(batch=batch, application=application)
    assert logged(application, f"removed from batch {batch.pk}")
    sent_batch(batch, application, admin)
    assert batch.sent_on == SENT_ON
    assert application.status == Status.UNDER_PROCESSING and application.batch == batch
    assert logged(application, f"sent in batch {batch.pk}")
    assert AccessEvent.objects.filter(object_type="school_batch", object_id=str(batch.pk), detail="sent").exists()


@pytest.mark.parametrize("status", [s for s in Status if s != Status.APPROVED])
def test_batch_add_refuses_unapproved(make, batch, status):
    application = make(status)
    with pytest.raises(Refused):
        services.batch_add(batch=batch, application=application)
    application.refresh_from_db()
    assert application.batch is None


def test_batch_add_refuses_application_in_another_batch_or_sent_alone(make, guardian, admin, batch, school_a):
    application = approved(make, guardian)
    services.batch_add(batch=batch, application=application)
    with pytest.raises(Refused):
        services.batch_add(batch=SchoolBatchFactory(school=school_a), application=application)
    services.batch_remove(batch=batch, application=application)
    services.application_mark_sent(application=application, on=SENT_ON)
    with pytest.raises(Refused):
        services.batch_add(batch=batch, application=application)


def test_batch_add_refuses_another_schools_application(guardian, batch):
    student = StudentFactory(school=SchoolFactory())
    GuardianshipFactory(guardian=guardian, student=student)
    application = ApplicationFactory(student=student, status=Status.AWAITING_APPROVAL)
    approve(application, guardian)
    with pytest.raises(Refused):
        services.batch_add(batch=batch, application=application)


def test_batch_remove_refuses_application_not_in_the_batch(make, guardian, batch):
    application = approved(make, guardian)
    with pytest.raises(Refused):
        services.batch_remove(batch=batch, application=application)


def test_batch_send_refuses_an_empty_batch(batch, admin):
    with pytest.raises(Refused):
        services.batch_send(batch=batch, on=SENT_ON, by=admin)
    batch.refresh_from_db()
    assert batch.sent_on is None


def test_nothing_changes_in_a_sent_batch(make, guardian, admin, batch, adult, adult_student):
    application = approved(make, guardian)
    sent_batch(batch, application, admin)
    other = ApplicationFactory(student=adult, status=Status.AWAITING_APPROVAL)
    approve(other, adult_student)
    with pytest.raises(Refused):
        services.batch_add(batch=batch, application=other)
    with pytest.raises(Refused):
        services.batch_remove(batch=batch, application=application)
    with pytest.raises(Refused):
        services.batch_send(batch=batch, on=date(2026, 10, 2), by=admin)
    batch.refresh_from_db()
    assert list(batch.applications.all()) == [application] and batch.sent_on == SENT_ON


# --- decisions ---------------------------------------------------------------


def register(application, admin, outcome=Decision.Outcome.GRANTED):
    return services.decision_register(
        student=application.student, school_year=application.school_year, outcome=outcome,
        decided_on=date(2026, 11, 1), reference="2026/123", by=admin, application=application,
    )


@pytest.mark.parametrize("outcome", list(Decision.Outcome))
def test_decision_on_an_application_under_processing(make, admin, outcome):
    application = make(Status.UNDER_PROCESSING)
    decision = register(application, admin, outcome)
    application.refresh_from_db()
    assert application.status == outcome
    assert [s.subject for s in decision.subjects.all()] == [s.subject for s in application.subjects.all()]
    assert AccessEvent.objects.filter(action="created", object_type="decision", object_id=str(decision.pk)).exists()


@pytest.mark.parametrize("status", [s for s in Status if s != Status.UNDER_PROCESSING])
def test_decision_only_from_under_processing(make, admin, status):
    application = make(status)
    with pytest.raises(Refused):
        register(application, admin)
    application.refresh_from_db()
    assert application.status == status
    assert not Decision.objects.exists()


def test_direct_decision_only_once_per_year(minor, admin, make):
    application = make(Status.UNDER_PROCESSING)
    register(application, admin)
    with pytest.raises(Refused):
        services.decision_register(
            student=minor, school_year=application.school_year, outcome=Decision.Outcome.GRANTED,
            decided_on=date(2026, 11, 2), reference="", by=admin,
        )


# --- create ------------------------------------------------------------------


def test_create_only_once_per_student_and_year(make, minor, admin):
    application = make()
    with pytest.raises(Refused):
        services.application_create(student=minor, school_year=application.school_year, by=admin)
