"""The batch PDF numbers its pages through, as the cover's list counts them, and marks each attachment page."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from applications.batch_pdf import batch_pdf_file
from applications.models import Application
from documents.pdf import render_pdf

from ..factories import StudentFactory
from .factories import ApplicationFactory, SchoolBatchFactory
from .factories import attach

pytestmark = pytest.mark.django_db


def snapshot(last_name: str, pages: int) -> bytes:
    """A snapshot as render_pdf makes it, with pdf/base.html's own "n of m" footer on each page."""
    sections = [{"title": f"Soknad {last_name} del {n}", "paragraphs": ["Tekst."]} for n in range(1, pages + 1)]
    return render_pdf("pdf/sample.html", {"heading": f"Soknad {last_name}", "sections": sections})


def approved(student, batch, *, pages: int, attachments: list[int]) -> None:
    application = ApplicationFactory(student=student, batch=batch, status=Application.Status.APPROVED,
                                     approved_at=timezone.now(), approved_hash="a" * 64)
    application.snapshot.save(f"{application.pk}.pdf", ContentFile(snapshot(student.last_name, pages)))
    for number, length in enumerate(attachments, start=1):
        attach(application, f"Vedlegg {number}", f"Upload {number} {student.last_name}", length)


@pytest.fixture
def texts(school_a) -> list[str]:
    batch = SchoolBatchFactory(school=school_a, name="Vestland høsten 2026")
    approved(StudentFactory(school=school_a, first_name="Ola", last_name="Nilsen"), batch, pages=2, attachments=[3])
    approved(StudentFactory(school=school_a, first_name="Kari", last_name="Aas"), batch, pages=2, attachments=[2, 1])
    with batch_pdf_file(batch).open("rb") as stored:
        return [page.extract_text() for page in PdfReader(BytesIO(stored.read())).pages]


def test_every_page_carries_its_number_in_the_whole_file_and_the_total(texts):
    total = len(texts)
    assert total == 1 + (2 + 2 + 1) + (2 + 3)  # the cover, Aas, Nilsen
    for number, text in enumerate(texts, start=1):
        assert re.findall(rf"(?<!\d)(\d+) \S+ {total}(?!\d)", text) == [str(number)]


def test_the_snapshots_own_page_numbers_are_gone_from_the_batch(texts):
    for text in texts[1:]:
        assert not re.search(r"(?<!\d)[12] \S+ 2(?!\d)", text)  # "1 av 2", "2 av 2": the snapshot's own footer


def test_the_covers_list_and_the_stamped_numbers_agree(texts):
    rows = dict(re.findall(r"^\d+ (\w+), \w+ .* (\d+)$", texts[0], flags=re.MULTILINE))
    assert rows == {"Aas": "2", "Nilsen": "7"}
    for last_name, page in rows.items():
        text = texts[int(page) - 1]
        assert f"Soknad {last_name}" in text and re.search(rf"(?<!\d){page} \S+ {len(texts)}(?!\d)", text)


def test_each_attachment_page_is_stamped_with_the_student_and_the_attachments_number(texts):
    attachment_pages = {
        "Upload 1 Aas": (4, "Kari Aas", 1), "Upload 2 Aas": (6, "Kari Aas", 2), "Upload 1 Nilsen": (9, "Ola Nilsen", 1),
    }
    for label, (first, name, number) in attachment_pages.items():
        text = texts[first - 1]
        assert f"{label} page 1" in text
        assert re.search(rf"{name}\D+(?<!\d){number}(?!\d)", text)
    for text in texts[:3] + texts[6:8]:  # the cover and the snapshots carry no attachment stamp
        assert "Kari Aas –" not in text and "Ola Nilsen –" not in text
