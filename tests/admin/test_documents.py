"""Documents in the admin: metadata only, no file, no add; grants go through the logged services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from guardian.shortcuts import assign_perm

from documents.models import DocumentUserObjectPermission

from ..factories import DocumentFactory, UserFactory
from .conftest import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(minor):
    return DocumentFactory(student=minor, title="Sakkyndig vurdering")


def download_permission():
    return Permission.objects.get(content_type__app_label="documents", codename="download_document")


def test_the_document_page_shows_metadata_and_no_link_to_the_file(client, sysadmin, document):
    response = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sakkyndig vurdering" in html and document.sha256 in html
    assert document.file.name not in html and document.file.url not in html
    assert not response.context["adminform"].form.fields  # nothing editable


def test_the_list_has_no_link_to_a_file(client, sysadmin, document):
    response = client.get(reverse("admin:documents_document_changelist"))
    assert response.status_code == 200
    assert document.file.name not in response.content.decode()


def test_a_document_cannot_be_added_changed_or_deleted(client, sysadmin, document):
    assert client.get(reverse("admin:documents_document_add")).status_code == 403
    client.post(reverse("admin:documents_document_change", args=[document.pk]), {"title": "Nytt navn"})
    assert client.post(reverse("admin:documents_document_delete", args=[document.pk]), {"post": "yes"}).status_code == 403
    document.refresh_from_db()
    assert document.title == "Sakkyndig vurdering"


def test_a_grant_added_in_the_admin_writes_granted(client, sysadmin, document, minor, guardian):
    response = client.post(reverse("admin:documents_documentuserobjectpermission_add"), {
        "user": guardian.pk, "content_object": document.pk, "permission": download_permission().pk,
    })
    assert response.status_code == 302
    assert guardian.has_perm("documents.download_document", document)
    [event] = events(action="granted")
    assert (event.object_type, event.object_id, event.student_id, event.user) == (
        "document", str(document.pk), minor.pk, sysadmin)


def test_only_the_download_permission_can_be_granted(client, sysadmin, document, guardian):
    other = Permission.objects.get(content_type__app_label="documents", codename="delete_document")
    response = client.post(reverse("admin:documents_documentuserobjectpermission_add"), {
        "user": guardian.pk, "content_object": document.pk, "permission": other.pk,
    })
    assert response.status_code == 200 and "permission" in response.context["adminform"].form.errors
    assert not DocumentUserObjectPermission.objects.exists()
    assert events(action="granted") == []


def test_a_grant_removed_in_the_admin_writes_revoked(client, sysadmin, document, minor, guardian):
    assign_perm("documents.download_document", guardian, document)
    grant = DocumentUserObjectPermission.objects.get()
    page = reverse("admin:documents_documentuserobjectpermission_delete", args=[grant.pk])
    assert client.post(page, {"post": "yes"}).status_code == 302
    assert not DocumentUserObjectPermission.objects.exists()
    [event] = events(action="revoked")
    assert (event.object_type, event.student_id) == ("document", minor.pk)


def test_a_grant_is_never_changed_in_place(client, sysadmin, document, guardian):
    assign_perm("documents.download_document", guardian, document)
    grant = DocumentUserObjectPermission.objects.get()
    page = reverse("admin:documents_documentuserobjectpermission_change", args=[grant.pk])
    client.post(page, {"user": UserFactory().pk, "content_object": document.pk, "permission": grant.permission_id})
    assert DocumentUserObjectPermission.objects.get().user == guardian
    changelist = client.get(reverse("admin:documents_documentuserobjectpermission_changelist"))
    assert "delete_selected" not in changelist.content.decode()
