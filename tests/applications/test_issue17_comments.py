"""Issue 17, items 15 and 16: instead of approving, disagree or ask; the attachments the approver sees."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationAttachment, ApplicationComment
from audit.models import AccessEvent
from documents.services import document_grant

from ..access_table import CAST
from ..factories import DocumentFactory
from .factories import ApplicationFactory, ApplicationSubjectFactory

pytestmark = pytest.mark.django_db

AWAITING = Application.Status.AWAITING_APPROVAL


@pytest.fixture
def application(minor, admin):
    application = ApplicationFactory(student=minor, status=AWAITING, created_by=admin)
    ApplicationSubjectFactory(application=application)
    return application


def comment_url(application):
    return reverse("applications:application_comment", args=[application.pk])


def read_url(application):
    return reverse("applications:application_read", args=[application.pk])


def send(client, user, application, kind="disagree", text="Vi er uenige i timetallet.", content_hash=None):
    client.force_login(user)
    return client.post(comment_url(application), {
        "kind": kind, "text": text,
        "content_hash": application.content_hash() if content_hash is None else content_hash,
    })


# --- 15. Disagree or ask ----------------------------------------------------------------------


def test_the_guardian_disagrees_and_the_application_still_awaits_approval(client, guardian, application):
    assert send(client, guardian, application).status_code == 302
    comment = ApplicationComment.objects.get()
    assert (comment.by, comment.kind, comment.text) == (guardian, "disagree", "Vi er uenige i timetallet.")
    assert comment.content_hash == application.content_hash()
    application.refresh_from_db()
    assert application.status == AWAITING and application.approved_by is None
    assert AccessEvent.objects.filter(action="created", object_type="application", object_id=str(application.pk),
                                      user=guardian, detail__startswith="comment").exists()


def test_the_read_page_offers_the_comment_form_and_shows_ones_own_comments(client, guardian, application):
    send(client, guardian, application, kind="question", text="Hvem er kontaktperson?")
    response = client.get(read_url(application))
    assert response.context["comment_form"] is not None
    assert [c.text for c in response.context["my_comments"]] == ["Hvem er kontaktperson?"]


def test_the_adult_student_may_comment(client, adult_student, adult):
    application = ApplicationFactory(student=adult, status=AWAITING)
    assert send(client, adult_student, application, kind="question").status_code == 302
    assert ApplicationComment.objects.get().by == adult_student


def test_approving_afterwards_still_binds_to_the_content(client, guardian, application):
    send(client, guardian, application)
    client.post(reverse("applications:application_approve", args=[application.pk]),
                {"content_hash": application.content_hash()})
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


@pytest.mark.parametrize("data", [{"kind": "nonsense"}, {"text": ""}, {"text": "x" * 4001}, {"content_hash": ""}])
def test_bad_input_re_shows_the_form_and_stores_nothing(client, guardian, application, data):
    client.force_login(guardian)
    payload = {"kind": "disagree", "text": "Uenig.", "content_hash": application.content_hash(), **data}
    response = client.post(comment_url(application), payload)
    assert response.status_code == 200 and response.context["comment_form"].errors
    assert not ApplicationComment.objects.exists()


def test_a_comment_on_changed_content_is_refused_with_a_message(client, guardian, application):
    response = send(client, guardian, application, content_hash="0" * 64)
    assert response.status_code == 302 and not ApplicationComment.objects.exists()


@pytest.mark.parametrize("status", [Application.Status.REGISTERED, Application.Status.APPROVED])
def test_no_comment_unless_awaiting_approval(client, guardian, application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    response = send(client, guardian, application)
    assert response.status_code in {302, 404} and not ApplicationComment.objects.exists()


# The minor student reads but does not approve (403); the admin and teachers are insiders (403); others 404.
@pytest.mark.parametrize("name", [n for n in CAST if n != "guardian"])
def test_only_the_approver_comments(client, cast, application, name):
    expected = 404 if name in {"other_admin", "other_teacher", "principal", "adult_student", "other_guardian",
                               "stranger"} else 403
    assert send(client, cast[name], application).status_code == expected
    assert not ApplicationComment.objects.exists()


def test_get_on_comment_is_405(client, guardian, application):
    client.force_login(guardian)
    assert client.get(comment_url(application)).status_code == 405


def test_the_admin_sees_the_comment_on_the_detail_and_the_list(client, admin, guardian, application, school_a):
    send(client, guardian, application)
    client.force_login(admin)
    detail = client.get(reverse("applications:application_detail", args=[application.pk]))
    [row] = detail.context["comments"]
    assert row["comment"].by == guardian and row["about_current"]
    assert b"Vi er uenige i timetallet." in detail.content
    listed = client.get(reverse("applications:application_list", args=[school_a.pk]))
    [shown] = listed.context["applications"]
    assert shown.last_comment_kind == "disagree" and shown.last_comment_at is not None
    assert b'data-comment="disagree"' in listed.content


def test_after_a_change_the_comment_is_marked_as_about_an_earlier_version(client, admin, guardian, application):
    send(client, guardian, application)
    Application.objects.filter(pk=application.pk).update(student_goal="Endret mål.")
    client.force_login(admin)
    detail = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert not detail.context["comments"][0]["about_current"]


# --- 16. The attachments the approver sees ----------------------------------------------------


def attach(application, title):
    document = DocumentFactory(student=application.student, title=title, page_count=3)
    ApplicationAttachment.objects.create(application=application, document=document)
    return document


def test_the_guardian_sees_every_attachment_opens_the_shared_and_is_told_about_the_rest(client, guardian,
                                                                                      application):
    shared, held = attach(application, "Delt rapport"), attach(application, "Skolens notat")
    document_grant(document=shared, user=guardian)
    client.force_login(guardian)
    response = client.get(read_url(application))
    rows = {row["document"].title: row["downloadable"] for row in response.context["attachments"]}
    assert rows == {"Delt rapport": True, "Skolens notat": False}
    assert b'id="attachments-not-shared"' in response.content
    assert reverse("documents:document_download", args=[shared.pk]).encode() in response.content
    assert reverse("documents:document_download", args=[held.pk]).encode() not in response.content
    assert client.get(reverse("documents:document_download", args=[held.pk])).status_code == 404
    assert client.get(reverse("documents:document_download", args=[shared.pk])).status_code == 200


def test_no_note_when_everything_is_shared(client, guardian, application):
    document_grant(document=attach(application, "Delt rapport"), user=guardian)
    client.force_login(guardian)
    assert b'id="attachments-not-shared"' not in client.get(read_url(application)).content
