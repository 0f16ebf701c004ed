"""A student's documents: who sees, uploads, changes, shares, deletes and downloads them."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from audit.models import AccessEvent
from documents.models import Document

from ..access_table import CAST, document_list_status
from ..factories import DocumentFactory, UserFactory, blank_pdf, request_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(minor):
    return DocumentFactory(student=minor, title="Sakkyndig vurdering 2025")


@pytest.fixture
def shown(minor):
    return DocumentFactory(student=minor, title="Kartlegging lesing", visible_to_teachers=True)


def titles(response):
    return [d.title for d in response.context["documents"]]


def list_url(student):
    return reverse("documents:student_documents", args=[student.pk])


def upload(client, student, data=None, **fields):
    payload = {"title": "Sakkyndig vurdering", "visible_to_teachers": "on",
               "file": SimpleUploadedFile("vurdering.pdf", data or blank_pdf(2), "application/pdf")}
    payload.update(fields)
    return client.post(reverse("documents:document_upload", args=[student.pk]), payload)


# --- Listing -----------------------------------------------------------------


def test_admin_sees_every_document(client, admin, minor, hidden, shown):
    client.force_login(admin)
    assert sorted(titles(client.get(list_url(minor)))) == ["Kartlegging lesing", "Sakkyndig vurdering 2025"]
    assert AccessEvent.objects.filter(action="viewed", user=admin, student=minor).exists()


@pytest.mark.parametrize("name", ["teacher", "coteacher"])
def test_teacher_sees_only_documents_visible_to_teachers(client, cast, minor, hidden, shown, name):
    client.force_login(cast[name])
    assert titles(client.get(list_url(minor))) == ["Kartlegging lesing"]


@pytest.mark.parametrize("name", ["guardian", "minor_student"])
def test_student_and_guardian_see_only_what_is_granted(client, cast, minor, hidden, shown, name):
    client.force_login(cast[name])
    assert titles(client.get(list_url(minor))) == []
    assign_perm("download_document", cast[name], hidden)
    assert titles(client.get(list_url(minor))) == ["Sakkyndig vurdering 2025"]


@pytest.mark.parametrize("name", CAST)
def test_who_opens_the_list(client, cast, minor, hidden, name):
    """Every relation of the student opens it (it shows each only what they may download); outsiders get 404."""
    client.force_login(cast[name])
    assert client.get(list_url(minor)).status_code == document_list_status(name)


def test_a_grant_without_a_relation_to_the_student_opens_nothing(client, minor, hidden, shown):
    adviser = UserFactory(username="ppt")
    assign_perm("download_document", adviser, hidden)  # e.g. added before the rule, or in the database
    client.force_login(adviser)
    assert client.get(list_url(minor)).status_code == 404
    assert client.get(reverse("documents:document_download", args=[hidden.pk])).status_code == 404


# --- Upload ------------------------------------------------------------------


def test_admin_uploads_a_pdf(client, admin, minor, media_root):
    client.force_login(admin)
    response = upload(client, minor)
    assert response.status_code == 302
    document = Document.objects.get(student=minor)
    assert (document.title, document.visible_to_teachers, document.page_count) == ("Sakkyndig vurdering", True, 2)
    assert "vurdering" not in document.file.name  # generated name, not the user's
    assert document.file.path.startswith(str(media_root))
    assert len(document.sha256) == 64
    assert AccessEvent.objects.filter(action="created", object_id=str(document.pk), student=minor).exists()


def test_empty_title_takes_the_file_name(client, admin, minor):
    client.force_login(admin)
    upload(client, minor, title="")
    assert Document.objects.get().title == "vurdering"


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"\x89PNG\r\n\x1a\n" + b"0" * 100, b"%PDF-1.7\n%broken"])
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(client, admin, minor, media_root, data):
    client.force_login(admin)
    response = upload(client, minor, data=data or b" ", title="Behold meg")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'value="Behold meg"' in response.content.decode()  # what the user typed is kept
    assert not Document.objects.exists()
    assert not list(media_root.rglob("*.pdf")) if media_root.exists() else True


def test_too_large_file_is_refused(client, admin, minor, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(admin)
    response = upload(client, minor)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["teacher", "guardian", "minor_student"])
def test_insiders_who_are_not_admin_cannot_upload(client, cast, minor, name):
    client.force_login(cast[name])
    assert upload(client, minor).status_code == 403
    assert not Document.objects.exists()


def test_admin_of_another_school_cannot_upload(client, other_admin, minor):
    client.force_login(other_admin)
    assert upload(client, minor).status_code == 404


# --- Change, share, delete ---------------------------------------------------


def test_admin_retitles_and_hides(client, admin, shown):
    client.force_login(admin)
    url = reverse("documents:document_edit", args=[shown.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Nytt navn"}).status_code == 302
    shown.refresh_from_db()
    assert (shown.title, shown.visible_to_teachers) == ("Nytt navn", False)
    assert AccessEvent.objects.filter(action="changed", object_id=str(shown.pk), detail="Nytt navn").exists()


def test_empty_title_on_edit_is_an_error(client, admin, shown):
    client.force_login(admin)
    response = client.post(reverse("documents:document_edit", args=[shown.pk]), {"title": ""})
    assert response.status_code == 200 and response.context["form"].errors["title"]


def test_teacher_cannot_change_a_visible_document(client, teacher, shown, hidden):
    client.force_login(teacher)
    assert client.post(reverse("documents:document_edit", args=[shown.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("documents:document_edit", args=[hidden.pk]), {"title": "x"}).status_code == 404


def test_grant_and_revoke_download(client, admin, guardian, other_guardian, hidden):
    client.force_login(admin)
    url = reverse("documents:document_grants", args=[hidden.pk])
    assert client.post(url, {"grantee": guardian.pk}).status_code == 302
    assert AccessEvent.objects.filter(action="granted", object_id=str(hidden.pk)).exists()

    download = reverse("documents:document_download", args=[hidden.pk])
    client.force_login(guardian)
    assert client.get(download).status_code == 200
    client.force_login(other_guardian)
    assert client.get(download).status_code == 404

    client.force_login(admin)
    assert client.post(reverse("documents:document_revoke", args=[hidden.pk, guardian.pk])).status_code == 302
    assert AccessEvent.objects.filter(action="revoked", object_id=str(hidden.pk)).exists()
    client.force_login(guardian)
    assert client.get(download).status_code == 404


def test_grant_to_unknown_user_is_an_error(client, admin, hidden):
    client.force_login(admin)
    response = client.post(reverse("documents:document_grants", args=[hidden.pk]), {"grantee": 999999})
    assert response.status_code == 200 and response.context["form"].errors["grantee"]


def test_revoke_needs_post(client, admin, guardian, hidden):
    client.force_login(admin)
    assert client.get(reverse("documents:document_revoke", args=[hidden.pk, guardian.pk])).status_code == 405


def test_delete_asks_first_then_deletes_the_file(client, admin, hidden, django_capture_on_commit_callbacks):
    client.force_login(admin)
    url = reverse("documents:document_delete", args=[hidden.pk])
    path = Path(hidden.file.path)
    assert client.get(url).status_code == 200 and Document.objects.filter(pk=hidden.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Document.objects.filter(pk=hidden.pk).exists()
    assert not path.exists()
    assert AccessEvent.objects.filter(action="deleted", object_id=str(hidden.pk)).exists()


@pytest.mark.parametrize("name", ["teacher", "guardian"])
def test_non_admins_cannot_delete(client, cast, shown, name):
    assign_perm("download_document", cast["guardian"], shown)
    client.force_login(cast[name])
    assert client.post(reverse("documents:document_delete", args=[shown.pk])).status_code == 403
    assert Document.objects.filter(pk=shown.pk).exists()


# --- Download ----------------------------------------------------------------


def test_download_headers(client, admin, minor):
    document = DocumentFactory(student=minor, title='Vurdering "lesing"/skriving æøå')
    client.force_login(admin)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition and "/" not in disposition.split("''")[1]
    PdfReader(BytesIO(b"".join(response.streaming_content)))
    assert AccessEvent.objects.filter(action="downloaded", object_id=str(document.pk)).exists()


def test_teacher_downloads_visible_but_not_hidden(client, teacher, shown, hidden):
    client.force_login(teacher)
    assert client.get(reverse("documents:document_download", args=[shown.pk])).status_code == 200
    assert client.get(reverse("documents:document_download", args=[hidden.pk])).status_code == 404


def test_forged_document_id_is_404(client, admin):
    client.force_login(admin)
    assert client.get(reverse("documents:document_download", args=[999999])).status_code == 404


# --- Access log page ---------------------------------------------------------


def test_admin_sees_who_has_seen_the_students_records(client, admin, teacher, minor, shown):
    client.force_login(teacher)
    client.get(reverse("documents:document_download", args=[shown.pk]))
    client.force_login(admin)
    response = client.get(reverse("accounts:student_access_log", args=[minor.pk]))
    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    # Newest first: the admin opening this page, then the teacher's download.
    assert [(e.action, e.user) for e in events[:2]] == [("viewed", admin), ("downloaded", teacher)]


@pytest.mark.parametrize("name, status", [("teacher", 403), ("guardian", 403), ("other_admin", 404)])
def test_access_log_page_is_for_admins(client, cast, minor, name, status):
    client.force_login(cast[name])
    assert client.get(reverse("accounts:student_access_log", args=[minor.pk])).status_code == status


def test_document_protected_by_an_application_is_not_deleted(client, admin, hidden, monkeypatch):
    """Applications link documents with on_delete=PROTECT; the user is told what to do."""
    from django.db.models import ProtectedError

    def protected(self, *args, **kwargs):
        raise ProtectedError("attached", {self})

    monkeypatch.setattr(Document, "delete", protected)
    client.force_login(admin)
    response = client.post(reverse("documents:document_delete", args=[hidden.pk]), follow=True)
    assert Document.objects.filter(pk=hidden.pk).exists()
    assert "Fjern det fra søknaden først" in response.content.decode()
    assert not AccessEvent.objects.filter(action="deleted").exists()


@pytest.mark.parametrize("name", CAST)
def test_list_filter_agrees_with_object_check(cast, minor, hidden, shown, name):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from documents import access

    user = cast[name]
    assign_perm("download_document", cast["guardian"], hidden)
    listed = set(access.documents_visible_to(user, minor))
    for document in (hidden, shown):
        try:
            access.get_document_for(request_as(user), document.pk, access.READ)
            readable = True
        except (Http404, PermissionDenied):
            readable = False
        assert readable == (document in listed), document
