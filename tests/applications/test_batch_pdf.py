"""The batch as one PDF: cover, snapshots and attachments in order, bookmarks, and the stored copy."""

import os
import re
from io import BytesIO

import pytest
import weasyprint
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from accounts.exceptions import Refused
from applications import batch_pdf, services
from applications.batch_pdf import batch_pdf_file
from applications.models import Application, SchoolBatch
from audit.models import AccessEvent
from documents import pdf as pdf_pipeline

from ..factories import StudentFactory
from .factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory, approved, attach

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(school_a):
    return SchoolBatchFactory(school=school_a, name="Vestland høsten 2026")


@pytest.fixture
def filled(batch, school_a):
    """Three students, added in an order other than the alphabetical one."""
    approved(StudentFactory(school=school_a, first_name="Ola", last_name="Nilsen", group="2STB"), batch,
             pages=2, attachments=[3])
    approved(StudentFactory(school=school_a, first_name="Kari", last_name="Aas", group="1STA"), batch,
             pages=1, attachments=[2, 1])
    approved(StudentFactory(school=school_a, first_name="Per", last_name="Moe", group="1STA"), batch,
             pages=3, attachments=[])
    return batch


def read(field_file) -> PdfReader:
    with field_file.open("rb") as stored:
        return PdfReader(BytesIO(stored.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def build(batch) -> PdfReader:
    with translation.override("en"):
        return read(batch_pdf_file(batch))


@pytest.fixture
def no_rendering(monkeypatch):
    """Fail on any WeasyPrint render or pypdf merge."""
    def refuse(*args, **kwargs):
        pytest.fail("rendered or merged again")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", refuse)
    monkeypatch.setattr(pdf_pipeline, "merge_pdfs", refuse)


# --- Content -----------------------------------------------------------------


def test_pages_are_cover_then_each_snapshot_and_its_attachments(filled):
    texts = page_texts(build(filled))
    assert len(texts) == 1 + (1 + 2 + 1) + 3 + (2 + 3)
    # Each page's own text comes first; the merged copy's stamps (page number, attachment) follow it.
    assert [text.strip().splitlines()[0] for text in texts[1:]] == [
        "Soknad Aas page 1", "Vedlegg 1 Aas page 1", "Vedlegg 1 Aas page 2", "Vedlegg 2 Aas page 1",
        "Soknad Moe page 1", "Soknad Moe page 2", "Soknad Moe page 3",
        "Soknad Nilsen page 1", "Soknad Nilsen page 2",
        "Vedlegg 1 Nilsen page 1", "Vedlegg 1 Nilsen page 2", "Vedlegg 1 Nilsen page 3",
    ]


def test_the_cover_names_school_recipient_and_students_with_their_first_page(filled, school_a):
    cover = build(filled).pages[0].extract_text()  # built with English as the UI language
    with translation.override("nb"):
        today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert "Søknader om spesialundervisning" in cover  # the county gets bokmål, whoever clicks
    for text in (school_a.name, school_a.org_number, filled.authority.name, filled.name, today):
        assert text in cover
    rows = re.findall(r"^\d+ (\w+), (\w+) (\w+) (\S+) (\d+)$", cover, flags=re.MULTILINE)
    assert [(last, group, int(page)) for last, _first, group, _born, page in rows] == [
        ("Aas", "1STA", 2), ("Moe", "1STA", 6), ("Nilsen", "2STB", 9),
    ]


def test_bookmarks_name_each_part(filled):
    reader = build(filled)
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [
        ("Vestland høsten 2026", 0),
        ("Kari Aas – Application", 1), ("Kari Aas – Vedlegg 1", 2), ("Kari Aas – Vedlegg 2", 4),
        ("Per Moe – Application", 5),
        ("Ola Nilsen – Application", 8), ("Ola Nilsen – Vedlegg 1", 10),
    ]


def test_a_snapshot_made_by_a_real_approval_is_sent(batch, minor, guardian):
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    ApplicationSubjectFactory(application=application, subject=minor.enrollments.get().subject)
    services.application_approve(application=application, by=guardian)
    services.batch_add(batch=batch, application=application)
    texts = page_texts(build(batch))
    assert "Hansen, Emma" in texts[0] and "Emma Hansen" in texts[1] and "MAT1019" in texts[1]


# --- The stored copy ---------------------------------------------------------


def test_an_unchanged_batch_is_served_without_rendering_or_merging(filled, request):
    first = batch_pdf_file(filled)
    first_bytes = first.open("rb").read()
    filled.refresh_from_db()
    assert filled.pdf.name == first.name and len(filled.pdf_hash) == 64
    request.getfixturevalue("no_rendering")
    again = batch_pdf_file(filled)
    assert again.name == first.name and again.open("rb").read() == first_bytes


@pytest.mark.parametrize("change", ["add", "remove", "rename", "retitle attachment", "send"])
def test_a_change_builds_the_pdf_again_and_deletes_the_old_one(
    filled, school_a, change, django_capture_on_commit_callbacks
):
    old = batch_pdf_file(filled)
    old_path, old_pages = old.path, len(read(old).pages)
    applications = list(filled.applications.order_by("student__last_name"))
    if change == "add":
        approved(StudentFactory(school=school_a, last_name="Berg"), None, pages=2, attachments=[1])
        services.batch_add(batch=filled, application=Application.objects.get(student__last_name="Berg"))
    elif change == "remove":
        services.batch_remove(batch=filled, application=applications[0])
    elif change == "rename":
        filled.refresh_from_db()
        filled.name = "Vestland, andre runde"
        filled.save()
    elif change == "retitle attachment":
        document = applications[0].attachments.first().document
        document.title = "Sakkyndig vurdering"
        document.save()
    else:
        services.batch_send(batch=filled, on=timezone.localdate(), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        new = batch_pdf_file(filled)
    reader = read(new)
    expected = {"add": old_pages + 3, "remove": old_pages - 4}.get(change, old_pages)
    assert new.name != old.name and len(reader.pages) == expected
    assert not os.path.exists(old_path)
    if change == "retitle attachment":
        assert "Kari Aas – Sakkyndig vurdering" in [item.title for item in reader.outline]


def test_a_lost_stored_file_is_built_again(filled):
    first = batch_pdf_file(filled)
    first.storage.delete(first.name)
    assert len(read(batch_pdf_file(filled)).pages) == 13


# --- Refusals ----------------------------------------------------------------


def test_an_application_without_snapshot_refuses_the_download_naming_the_student(filled, school_a):
    broken = ApplicationFactory(student=StudentFactory(school=school_a, first_name="Siri", last_name="Lie"),
                                batch=filled, status=Application.Status.APPROVED)
    with pytest.raises(Refused, match="Siri Lie"):
        build(filled)
    broken.snapshot.save("gone.pdf", ContentFile(b"%PDF-"))
    broken.snapshot.storage.delete(broken.snapshot.name)
    with pytest.raises(Refused, match="Siri Lie"):
        build(filled)
    filled.refresh_from_db()
    assert not filled.pdf and not filled.pdf_hash


def test_an_empty_batch_has_nothing_to_download(batch):
    with pytest.raises(Refused):
        build(batch)


# --- The view ----------------------------------------------------------------


def download(client, batch):
    return client.get(reverse("applications:batch_download", args=[batch.pk]))


def test_admin_downloads_the_batch_and_each_student_gets_a_log_entry(client, admin, filled):
    client.force_login(admin)
    response = download(client, filled)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith("''Vestland%20h%C3%B8sten%202026.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert len(PdfReader(BytesIO(b"".join(response.streaming_content))).pages) == 13
    events = AccessEvent.objects.filter(action="downloaded", object_type="school_batch", object_id=filled.pk)
    assert sorted(e.student.last_name for e in events) == ["Aas", "Moe", "Nilsen"]


def test_a_second_download_sends_the_same_bytes_without_rendering(client, admin, filled, request):
    client.force_login(admin)
    first = b"".join(download(client, filled).streaming_content)
    request.getfixturevalue("no_rendering")
    assert b"".join(download(client, filled).streaming_content) == first


@pytest.mark.parametrize("broken", ["empty", "no snapshot"])
def test_a_batch_that_cannot_be_printed_gives_a_message(client, admin, batch, minor, broken):
    if broken == "no snapshot":
        ApplicationFactory(student=minor, batch=batch, status=Application.Status.APPROVED)
    client.force_login(admin)
    response = download(client, batch)
    assert response.status_code == 302 and response.url == reverse("applications:batch_detail", args=[batch.pk])
    messages = [m for m in get_messages(response.wsgi_request)]
    assert [m.level_tag for m in messages] == ["error"]
    if broken == "no snapshot":
        assert "Emma Hansen" in str(messages[0])
    assert not AccessEvent.objects.filter(action="downloaded").exists()


@pytest.mark.parametrize("first_page_rows", [None, 1000], ids=["estimate", "wrong estimate"])
def test_a_cover_longer_than_a_page_still_gives_the_right_first_pages(batch, school_a, monkeypatch,
                                                                      first_page_rows):
    if first_page_rows:
        monkeypatch.setattr(batch_pdf, "ROWS_ON_FIRST_COVER_PAGE", first_page_rows)
    for number in range(60):
        approved(StudentFactory(school=school_a, first_name="Elev", last_name=f"Nr{number:02}"), batch,
                 pages=1, attachments=[])
    reader = build(batch)
    first_parts = [reader.get_destination_page_number(item) for item in reader.outline[1:]]
    cover_pages = first_parts[0]
    assert cover_pages > 1 and len(reader.pages) == cover_pages + 60
    cover = "\n".join(page.extract_text() for page in reader.pages[:cover_pages])
    listed = [int(page) for page in re.findall(r"^\d+ Nr\d+, Elev \S+ \S+ (\d+)$", cover, flags=re.MULTILINE)]
    assert listed == [page + 1 for page in first_parts]


# --- Nothing in a sent batch changes -------------------------------------------


def outline_titles(content: bytes) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title
    return list(walk(PdfReader(BytesIO(content)).outline))


def download_pdf(client, batch) -> bytes:
    response = client.get(reverse("applications:batch_download", args=[batch.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_retitling_a_document_after_sending_leaves_the_sent_pdf_alone(client, admin, filled):
    client.force_login(admin)
    sent_on = timezone.localdate().isoformat()
    response = client.post(reverse("applications:batch_send", args=[filled.pk]), {"sent_on": sent_on})
    assert response.status_code == 302
    sent = SchoolBatch.objects.get(pk=filled.pk)
    assert sent.is_sent and sent.pdf  # built at sending
    before = download_pdf(client, sent)
    attachment = sent.applications.first().attachments.first()
    assert attachment is not None, "the fixture's applications carry attachments"
    document = attachment.document
    response = client.post(reverse("documents:document_edit", args=[document.pk]),
                           {"title": "Omdøpt etter sending", "visible_to_teachers": ""})
    assert response.status_code == 302
    after = download_pdf(client, sent)
    assert after == before
    assert "Omdøpt etter sending" not in outline_titles(after)
