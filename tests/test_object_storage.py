"""Files in an S3-compatible object store (STORAGE_S3_*): uploads, downloads and merges go through it.

The store is moto's S3 server on loopback (tests/object_store.py). Nothing lands in MEDIA_ROOT, and
every download still streams through the view that checks access: the bucket is never linked to.
"""

import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Student
from applications.batch_pdf import batch_pdf_file
from documents.models import Document

from .applications.factories import SchoolBatchFactory, approved
from .factories import DocumentFactory, StudentFactory, text_pdf

pytestmark = pytest.mark.django_db


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def upload(client, student: Student, data: bytes):
    return client.post(reverse("documents:document_upload", args=[student.pk]), {
        "title": "Sakkyndig vurdering", "file": SimpleUploadedFile("vurdering.pdf", data, "application/pdf"),
    })


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_upload_is_stored_in_the_bucket_and_downloads_through_the_view(
        client, admin, minor, object_storage, media_root):
    client.force_login(admin)
    assert upload(client, minor, text_pdf("Vurdering", 2)).status_code == 302
    document = Document.objects.get(student=minor)
    assert object_storage.keys() == [document.file.name]
    assert files_under(media_root) == []

    response = client.get(reverse("documents:document_download", args=[document.pk]))
    body = downloaded(response)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert body == object_storage.read(document.file.name)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert len(PdfReader(BytesIO(body)).pages) == 2


def test_the_bucket_is_behind_the_access_check(client, admin, teacher, stranger, minor, object_storage):
    document = DocumentFactory(student=minor, visible_to_teachers=False)
    url = reverse("documents:document_download", args=[document.pk])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(teacher)  # teaches the student; the document is not shown to teachers
    assert client.get(url).status_code == 404
    client.force_login(admin)
    listing = client.get(reverse("documents:student_documents", args=[minor.pk])).content.decode()
    assert url in listing and object_storage.endpoint not in listing and object_storage.name not in listing


def test_a_file_missing_from_the_bucket_is_a_404(client, admin, minor, object_storage):
    document = DocumentFactory(student=minor)
    object_storage.client.delete_object(Bucket=object_storage.name, Key=document.file.name)
    client.force_login(admin)
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 404


def test_names_are_never_reused_in_the_bucket(minor, object_storage):
    first, second = DocumentFactory(student=minor), DocumentFactory(student=minor)
    assert first.file.name != second.file.name
    assert len(object_storage.keys()) == 2


def test_a_batch_is_merged_from_the_bucket_and_stored_there(client, admin, school_a, object_storage, media_root):
    batch = SchoolBatchFactory(school=school_a, name="Vestland våren 2027")
    approved(StudentFactory(school=school_a, last_name="Aas"), batch, pages=2, attachments=[3])
    approved(StudentFactory(school=school_a, last_name="Moe"), batch, pages=1, attachments=[])

    client.force_login(admin)
    response = client.get(reverse("applications:batch_download", args=[batch.pk]))
    merged = PdfReader(BytesIO(downloaded(response)))
    assert response.status_code == 200
    assert len(merged.pages) == 1 + (2 + 3) + 1
    assert "Vedlegg 1 Aas page 3" in merged.pages[5].extract_text()
    batch.refresh_from_db()
    assert batch.pdf.name in object_storage.keys() and batch_pdf_file(batch).name == batch.pdf.name
    assert files_under(media_root) == []


@pytest.mark.usefixtures("import_day")
def test_a_roster_upload_is_read_back_from_the_bucket(client, admin, school_a, object_storage, tmp_path):
    """The worker reads the uploaded zip from the store (seeking in it), then the file goes."""
    from roster.models import ImportRun

    from .roster.helpers import BASE, NORDVIK_ORG_NUMBER, one_school, zipped

    school_a.org_number = NORDVIK_ORG_NUMBER
    school_a.save()
    client.force_login(admin)
    client.post(reverse("roster:imports"), {"file": SimpleUploadedFile("eksport.zip", zipped(
        one_school(BASE, tmp_path / "nordvik"))), "school": school_a.pk})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED and not run.summary["errors"]
    assert object_storage.keys() == [run.file.name]
    client.post(reverse("roster:apply", args=[run.pk]))
    assert Student.objects.filter(school=school_a).count() == 8
    assert object_storage.keys() == []
