"""Approval by the student or a guardian: who reads, who approves, and of which content."""

from pathlib import Path

import pytest
from django.contrib.messages import constants
from django.template.loader import render_to_string
from django.urls import reverse
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from applications import access
from applications.models import Application, ApplicationAttachment
from applications.services import application_editing
from audit.models import AccessEvent

from ..access_table import CAST, STATUSES, application_holds, application_status
from ..factories import DocumentFactory, GuardianshipFactory, UserFactory
from .factories import ApplicationFactory, ApplicationSubjectFactory

pytestmark = pytest.mark.django_db

AWAITING = Application.Status.AWAITING_APPROVAL


@pytest.fixture
def application(minor, admin):
    application = ApplicationFactory(student=minor, status=AWAITING, created_by=admin)
    ApplicationSubjectFactory(application=application)
    return application


@pytest.fixture
def adult_application(adult):
    return ApplicationFactory(student=adult, status=AWAITING)


@pytest.fixture
def second_guardian(minor):
    user = UserFactory(username="henrik")
    GuardianshipFactory(guardian=user, student=minor)
    return user


def read(client, user, application):
    client.force_login(user)
    return client.get(reverse("applications:application_read", args=[application.pk]))


def approve(client, user, application, content_hash=None):
    client.force_login(user)
    content_hash = application.content_hash() if content_hash is None else content_hash
    return client.post(reverse("applications:application_approve", args=[application.pk]), {"content_hash": content_hash},
                       follow=True)


def message_levels(response):
    return [m.level for m in response.context["messages"]]


def approvals(application):
    return AccessEvent.objects.filter(object_type="application", object_id=str(application.pk), detail="approved")


def snapshot_text(application) -> str:
    return "".join(page.extract_text() for page in PdfReader(application.snapshot.path).pages)


# --- Approving ---------------------------------------------------------------


def test_guardian_reads_and_approves(client, guardian, application):
    response = read(client, guardian, application)
    assert response.status_code == 200
    assert response.context["can_approve"]
    assert response.context["form"]["content_hash"].value() == application.content_hash()
    assert AccessEvent.objects.filter(action="viewed", object_type="application", user=guardian).exists()

    response = approve(client, guardian, application)
    assert response.redirect_chain[-1][0] == reverse("applications:application_read", args=[application.pk])
    assert message_levels(response) == [constants.SUCCESS]
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.approved_by == guardian
    assert application.approved_at is not None
    assert application.approved_hash == application.content_hash()
    assert Path(application.snapshot.path).read_bytes().startswith(b"%PDF-")
    assert "Emma Hansen" in snapshot_text(application)
    assert approvals(application).count() == 1


def test_page_shows_who_approved_and_no_form_afterwards(client, guardian, application):
    approve(client, guardian, application)
    response = read(client, guardian, application)
    assert not response.context["can_approve"]
    assert str(guardian) in response.content.decode()
    assert reverse("applications:application_approve", args=[application.pk]) not in response.content.decode()


def test_adult_student_approves_own_application(client, adult_student, adult_application):
    assert read(client, adult_student, adult_application).context["can_approve"]
    assert message_levels(approve(client, adult_student, adult_application)) == [constants.SUCCESS]
    adult_application.refresh_from_db()
    assert adult_application.status == Application.Status.APPROVED
    assert adult_application.approved_by == adult_student
    assert "Erik Berg" in snapshot_text(adult_application)


def test_minor_student_reads_but_a_guardian_approves(client, minor_student, application):
    response = read(client, minor_student, application)
    assert response.status_code == 200
    assert not response.context["can_approve"] and response.context["guardian_approves"]
    assert reverse("applications:application_approve", args=[application.pk]) not in response.content.decode()
    assert approve(client, minor_student, application).status_code == 403
    application.refresh_from_db()
    assert application.status == AWAITING


def test_admin_reads_but_does_not_approve(client, admin, application):
    assert not read(client, admin, application).context["can_approve"]
    assert approve(client, admin, application).status_code == 403


@pytest.mark.parametrize("name", [name for name in CAST if not (application_holds(name, "read", AWAITING)
                                                                 or application_holds(name, "approve", AWAITING))])
def test_others_neither_read_nor_approve(client, cast, application, name):
    assert read(client, cast[name], application).status_code == application_status(name, "read", AWAITING)
    assert approve(client, cast[name], application).status_code == application_status(name, "approve", AWAITING)
    application.refresh_from_db()
    assert application.status == AWAITING


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", CAST)
def test_read_and_approve_for_every_member_and_status(client, cast, minor, name, status):
    """docs/architecture.md §4 "Application: read" and "approve" (tests/access_table.py); only an awaiting one is approved."""
    application = ApplicationFactory(student=minor, status=status)
    assert read(client, cast[name], application).status_code == application_status(name, "read", status)
    response = client.post(reverse("applications:application_approve", args=[application.pk]),
                           {"content_hash": application.content_hash()})
    assert response.status_code == application_status(name, "approve", status, ok=302)
    application.refresh_from_db()
    approved_now = status == AWAITING and application_holds(name, "approve", status)
    assert application.status == (Application.Status.APPROVED if approved_now else status)


def test_guardian_of_an_adult_student_gets_404(client, guardian, adult, adult_application):
    GuardianshipFactory(guardian=guardian, student=adult)
    assert read(client, guardian, adult_application).status_code == 404
    assert approve(client, guardian, adult_application).status_code == 404


def test_unpublished_application_is_hidden_from_guardian(client, guardian, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.REGISTERED)
    assert read(client, guardian, application).status_code == 404
    assert approve(client, guardian, application).status_code == 404


def test_get_on_approve_is_405(client, guardian, application):
    client.force_login(guardian)
    assert client.get(reverse("applications:application_approve", args=[application.pk])).status_code == 405


# --- Approving once, and only what was read ------------------------------------


def test_second_approval_is_refused_with_a_message(client, guardian, second_guardian, application):
    approve(client, guardian, application)
    response = approve(client, second_guardian, application)
    assert response.status_code == 200
    assert message_levels(response) == [constants.ERROR]
    application.refresh_from_db()
    assert application.approved_by == guardian
    assert approvals(application).count() == 1


def test_same_guardian_approving_twice_stores_one_approval(client, guardian, application):
    approve(client, guardian, application)
    assert message_levels(approve(client, guardian, application)) == [constants.ERROR]
    assert approvals(application).count() == 1


def test_stale_hash_is_not_approved(client, guardian, application):
    seen = read(client, guardian, application).context["form"]["content_hash"].value()
    with application_editing(application) as locked:
        locked.student_goal = "Et annet mål"
        locked.save()
    response = approve(client, guardian, application, content_hash=seen)
    assert message_levels(response) == [constants.ERROR]
    application.refresh_from_db()
    assert application.status == AWAITING and application.approved_by is None
    assert not approvals(application).exists()


def test_missing_hash_is_not_approved(client, guardian, application):
    assert message_levels(approve(client, guardian, application, content_hash="")) == [constants.ERROR]
    application.refresh_from_db()
    assert application.status == AWAITING


def test_after_reopen_and_edit_the_guardian_must_approve_again(client, admin, guardian, application):
    approve(client, guardian, application)
    application.refresh_from_db()
    old_hash = application.approved_hash

    application.reopen()
    assert application.status == Application.Status.REGISTERED
    assert application.approved_hash == "" and application.approved_by is None
    assert read(client, guardian, application).status_code == 404
    with application_editing(application) as locked:
        locked.student_goal = "Studiekompetanse i matematikk."
        locked.save()
    application.publish()

    assert read(client, guardian, application).context["can_approve"]
    assert message_levels(approve(client, guardian, application, content_hash=old_hash)) == [constants.ERROR]
    assert message_levels(approve(client, guardian, application)) == [constants.SUCCESS]
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.approved_hash == application.content_hash() != old_hash


# --- Attachments ---------------------------------------------------------------


def test_only_shared_attachments_are_downloadable(client, guardian, minor, application):
    shared = DocumentFactory(student=minor, title="Sakkyndig vurdering")
    hidden = DocumentFactory(student=minor, title="Kartlegging")
    assign_perm("download_document", guardian, shared)
    for document in (shared, hidden):
        ApplicationAttachment.objects.create(application=application, document=document)

    response = read(client, guardian, application)
    rows = {row["document"].title: row["downloadable"] for row in response.context["attachments"]}
    assert rows == {"Sakkyndig vurdering": True, "Kartlegging": False}
    html = response.content.decode()
    assert reverse("documents:document_download", args=[shared.pk]) in html
    assert reverse("documents:document_download", args=[hidden.pk]) not in html and "Kartlegging" in html


# --- The start page's section ----------------------------------------------------


def start_section(user) -> str:
    return render_to_string(
        "applications/includes/awaiting_approval.html",
        {"awaiting": access.awaiting_approval_by(user), "readable": access.applications_for_reader(user)},
    )


def test_start_section_lists_what_awaits_the_guardian(guardian, application):
    html = start_section(guardian)
    assert reverse("applications:application_read", args=[application.pk]) in html
    assert "Emma Hansen" in html and str(application.school_year) in html


def test_start_section_shows_the_minor_student_the_application_to_read(minor_student, application):
    assert reverse("applications:application_read", args=[application.pk]) in start_section(minor_student)


@pytest.mark.parametrize("name", ["other_guardian", "stranger", "teacher"])
def test_start_section_is_empty_for_others(cast, application, name):
    assert start_section(cast[name]).strip() == ""


def test_start_section_is_empty_before_publication(guardian, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.REGISTERED)
    assert start_section(guardian).strip() == ""
