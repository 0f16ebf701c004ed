"""Wall time and memory of downloading a school batch (applications.batch_pdf through the view).

Run from the project root:
    DEBUG=True .venv/bin/python bench/batch_pdf.py [--repeat N] [--students N] [--scan-kb K]

It builds its own data in a throwaway SQLite database and media folder (never
the developer's db.sqlite3 or media/): a batch of 30 students, each with a real
~4-page application snapshot (services.application_pdf with long texts) and
two 10-page attachments (text, or with --scan-kb K an incompressible image of
K KB on every page, like a scan). Then it times the download view:
- "first download": the content changed, so the cover is rendered and every
  part merged and stored (forced by clearing the stored hash);
- "repeated download": nothing changed, the stored file is streamed.
Memory as in pdf_pipeline.py: "py peak" is the tracemalloc peak of one extra,
traced run (C libraries invisible), "ru_maxrss" the process's high-water mark.
"""

import argparse
import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-batch-"))
# Before django.setup(): settings read these once.
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("axes").setLevel(logging.WARNING)

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from guardian.shortcuts import assign_perm  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import School, SchoolYear, StaffMembership, Student, Subject, User  # noqa: E402
from applications import services  # noqa: E402
from applications.models import (  # noqa: E402
    Application,
    ApplicationAttachment,
    ApplicationSubject,
    Authority,
    SchoolBatch,
)
from documents.models import Document  # noqa: E402
from documents.pdf import render_pdf  # noqa: E402
from documents.sanitize import sanitize_pdf  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from pdf_pipeline import big_upload  # noqa: E402

MB = 1024 * 1024

PARAGRAPH = (
    "Eleven har vansker med lesing og skriving og trenger tilrettelagt opplæring i alle teoretiske fag. "
    "Sakkyndig vurdering anbefaler undervisning i liten gruppe, lydbøker, ekstra tid på prøver og faste "
    "rutiner for oppstart av økter. Foreldre og elev er hørt, og de ønsker at tiltakene videreføres. "
)


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def setup_data(students: int, scan_kb: int = 0) -> tuple[User, SchoolBatch]:
    call_command("migrate", verbosity=0)
    school = School.objects.create(name="Fjordbyen videregående skole", org_number="974000001",
                                   kind=School.Kind.UPPER_SECONDARY, owner_kind=School.OwnerKind.COUNTY,
                                   owner_name="Vestland fylkeskommune")
    admin = User.objects.create_user("alice", first_name="Alice", last_name="Admin")
    StaffMembership.objects.create(user=admin, school=school, role=StaffMembership.Role.TEACHER)
    assign_perm("administer_iop", admin, school)
    authority = Authority.objects.create(name="Vestland fylkeskommune", kind=Authority.Kind.COUNTY,
                                         address="Postboks 7900\n5020 Bergen")
    batch = SchoolBatch.objects.create(school=school, authority=authority, name="Vestland, høsten 2026")
    year = SchoolYear.objects.current(create=True)
    subjects = [Subject.objects.create(code=f"FAG{n:04}", name=f"Fag {n}") for n in range(1, 9)]

    snapshot = application_snapshot(school, year, subjects)
    attachment = sanitize_pdf(big_upload(pages=10, target_bytes=10 * scan_kb * 1024) if scan_kb else attachment_pdf())
    print(f"snapshot: {pdf_pages(snapshot)} pages, {len(snapshot) / 1024:.0f} KB; "
          f"attachment: {attachment.page_count} pages, {attachment.size / 1024:.0f} KB")
    for number in range(students):
        student = Student.objects.create(first_name=f"Elev{number:02}", last_name=f"Etternavn{number:02}",
                                         birth_date=date(2010, 1 + number % 12, 1 + number % 28),
                                         school=school, group=f"{1 + number % 3}STA")
        application = Application.objects.create(
            student=student, school_year=year, status=Application.Status.APPROVED, approved_by=admin,
            approved_at=timezone.now(), approved_hash=f"{number:064}", batch=batch,
        )
        application.snapshot.save(f"{application.pk}.pdf", ContentFile(snapshot))
        for title in ("Sakkyndig vurdering", "Kartlegging"):
            document = Document(student=student, title=title, size=attachment.size,
                                page_count=attachment.page_count, sha256=attachment.sha256, uploaded_by=admin)
            document.file.save("upload.pdf", ContentFile(attachment.content))
            ApplicationAttachment.objects.create(application=application, document=document)
    return admin, batch


def application_snapshot(school, year, subjects) -> bytes:
    """One real application PDF (services.application_pdf) of about four pages."""
    student = Student.objects.create(first_name="Åse", last_name="Ødegård", birth_date=date(2010, 5, 1),
                                     school=school, group="1STA")
    application = Application.objects.create(
        student=student, school_year=year, expert_assessment_date=date(2026, 3, 1),
        expert_assessment_by="PPT Fjordbyen", expert_assessment_summary=PARAGRAPH * 12,
        student_goal=PARAGRAPH * 6, other_information=PARAGRAPH * 6,
    )
    for subject in subjects:
        ApplicationSubject.objects.create(application=application, subject=subject, extent="3 timer i uka",
                                          organisation=PARAGRAPH)
    snapshot = services.application_pdf(application, approval={"by": "Foresatt", "at": timezone.now()})
    application.subjects.all().delete()
    application.delete()
    student.delete()
    return snapshot


def attachment_pdf() -> bytes:
    """A 10-page text document (the shape of an expert assessment), rendered once."""
    section = {"title": "Vurdering", "paragraphs": [PARAGRAPH * 2] * 5}
    for count in range(6, 30):
        pdf = render_pdf("pdf/sample.html", {"heading": "Sakkyndig vurdering", "sections": [section] * count})
        if pdf_pages(pdf) >= 10:
            return pdf
    return pdf


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def download(client: Client, batch: SchoolBatch) -> int:
    """Stream the response as a server would, chunk by chunk; return its size."""
    response = client.get(reverse("applications:batch_download", args=[batch.pk]))
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def invalidate(batch: SchoolBatch) -> None:
    SchoolBatch.objects.filter(pk=batch.pk).update(pdf_hash="")


def timed(run) -> float:
    gc.collect()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def traced_peak(run) -> float:
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return peak


def report(label: str, runs: list[float], peak: float) -> None:
    print(f"  {label:<22} median {statistics.median(runs):6.3f} s (min {min(runs):.3f}, max {max(runs):.3f})"
          f"  py peak {peak:6.1f} MB  ru_maxrss {max_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--scan-kb", type=int, default=0, help="image KB per attachment page (0: text pages)")
    arguments = parser.parse_args()
    print(f"work folder (deleted at the end): {WORK}")
    print(f"process ru_maxrss after django.setup() and imports: {max_rss_mb():.0f} MB")
    started = time.perf_counter()
    admin, batch = setup_data(arguments.students, arguments.scan_kb)
    print(f"data: {arguments.students} students in {time.perf_counter() - started:.1f} s; "
          f"ru_maxrss {max_rss_mb():.0f} MB")

    client = Client()
    client.force_login(admin)
    first_ever = timed(lambda: download(client, batch))
    batch.refresh_from_db()
    with batch.pdf.open("rb") as merged:
        pages = len(PdfReader(merged).pages)
    print(f"batch PDF: {pages} pages, {batch.pdf.size / MB:.1f} MB; "
          f"very first download {first_ever:.3f} s (font loading included)")

    def first():
        invalidate(batch)
        download(client, batch)

    cold, warm = [], []
    for _ in range(arguments.repeat):
        cold.append(timed(first))
        warm.append(timed(lambda: download(client, batch)))
    report("first download", cold, traced_peak(first))
    report("repeated download", warm, traced_peak(lambda: download(client, batch)))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
