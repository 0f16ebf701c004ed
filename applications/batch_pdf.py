"""The school batch as one PDF: a cover, then each approved snapshot and its attachments.

The merged file is kept in `SchoolBatch.pdf` with a hash of everything that
went into it (`pdf_hash`). A download whose content hash matches is served
from that file: no rendering, no merging. Otherwise the cover is rendered and
the parts merged outside any transaction (seconds for a big batch), and only
the two fields are then stored, under a short row lock.

The cover shows the sent date, or today's date while the batch is unsent; the
date is part of the hash, so an unsent batch is rebuilt once a day at most.

Once the batch is sent, the file built at sending is what was sent: it is
served as it is, whatever happens later to a document's title (nothing in a
sent batch changes).

The pages are numbered through ("Side 7 av 23"), as the cover's list counts
them: merge_pdfs stamps each page of the merged copy, taking the cover's and
the snapshots' own per-part footers out of it (the stored snapshots are not
changed), and stamps each attachment page with the student's name and the
attachment's number. The file carries PDF/A-2b identification; what that
does and does not guarantee is in documents.pdf.merge_pdfs.
"""

import hashlib
import json
from io import BytesIO
from math import ceil
from tempfile import TemporaryFile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pypdf import PdfReader

from accounts.exceptions import Refused
from documents import pdf as pdf_pipeline

from .models import Application, ApplicationAttachment, SchoolBatch

COVER_TEMPLATE = "pdf/batch_cover.html"
# Rows of the student list that fit on the cover's pages (measured; a wrong guess costs one more render).
ROWS_ON_FIRST_COVER_PAGE = 26
ROWS_ON_OTHER_COVER_PAGES = 46
# Bump when the cover template or the part layout changes, so stored PDFs are rebuilt.
LAYOUT_VERSION = 2


class BatchPdfRefused(Refused):
    """The batch cannot be printed as it is; `message` says what to do."""


def batch_pdf_file(batch: SchoolBatch) -> FieldFile:
    """The batch's merged PDF, built again only if its content changed since the last time."""
    batch = SchoolBatch.objects.select_related("school", "authority").get(pk=batch.pk)
    if batch.is_sent and batch.pdf_hash and batch.pdf and batch.pdf.storage.exists(batch.pdf.name):
        return batch.pdf
    applications = batch_applications(batch)
    if not applications:
        raise BatchPdfRefused(_("The batch has no applications. Add at least one before downloading."))
    for application in applications:
        require_files(application)
    cover_date = batch.sent_on or timezone.localdate()
    content_hash = batch_content_hash(batch, applications, cover_date)
    if batch.pdf_hash == content_hash and batch.pdf and batch.pdf.storage.exists(batch.pdf.name):
        return batch.pdf
    return build(batch, applications, cover_date, content_hash)


def batch_applications(batch: SchoolBatch) -> list[Application]:
    attachments = ApplicationAttachment.objects.select_related("document").order_by("pk")
    return list(
        batch.applications.select_related("student")
        .prefetch_related(Prefetch("attachments", queryset=attachments))
        .order_by("student__last_name", "student__first_name", "pk")
    )


def require_files(application: Application) -> None:
    """Refuse rather than send a batch with a hole in it."""
    files = [application.snapshot, *(a.document.file for a in application.attachments.all())]
    if not all(f and f.storage.exists(f.name) for f in files):
        raise BatchPdfRefused(
            _("The approved PDF or an attachment of %(student)s's application is missing. "
              "Reopen the application and have it approved again.")
            % {"student": application.student.full_name}
        )


def batch_content_hash(batch: SchoolBatch, applications: list[Application], cover_date) -> str:
    """SHA-256 of everything the merged PDF shows, cover included."""
    content = {
        "layout": LAYOUT_VERSION,
        "batch": [batch.pk, batch.name, batch.sent_on and batch.sent_on.isoformat(), cover_date.isoformat()],
        "school": [batch.school.name, batch.school.org_number],
        "authority": [batch.authority_id, batch.authority.name, batch.authority.address],
        "applications": [
            [
                a.pk, a.approved_hash, a.snapshot.name,
                [a.student.full_name, a.student.group, a.student.birth_date.isoformat()],
                [[x.document_id, x.document.sha256, x.document.title] for x in a.attachments.all()],
            ]
            for a in applications
        ],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def build(batch: SchoolBatch, applications: list[Application], cover_date, content_hash: str) -> FieldFile:
    snapshot_pages = [count_pages(a.snapshot) for a in applications]
    with translation.override(settings.LANGUAGE_CODE):  # sent to the county: bokmål, whoever clicks
        cover, cover_pages = render_cover(batch, applications, snapshot_pages, cover_date)
        stamps = page_stamps(applications, snapshot_pages, cover_pages)
        title = _("Applications for special education – %(batch)s") % {"batch": batch.name}
    parts = [(batch.name, cover), *body_parts(applications)]
    with TemporaryFile() as merged:
        pdf_pipeline.merge_pdfs(parts, merged, title=title, lang=settings.LANGUAGE_CODE, stamps=stamps)
        merged.seek(0)
        return store(batch, File(merged), content_hash)


def body_parts(applications: list[Application]) -> list[pdf_pipeline.Part]:
    parts = []
    for application in applications:
        name = application.student.full_name
        parts.append((_("%(student)s – Application") % {"student": name}, application.snapshot))
        for attachment in application.attachments.all():
            document = attachment.document
            parts.append((f"{name} – {document.title}", document.file))
    return parts


def page_stamps(
    applications: list[Application], snapshot_pages: list[int], cover_pages: int
) -> list[pdf_pipeline.Stamp]:
    """One stamp per page of the merged file, in the order body_parts puts them after the cover."""
    pages = [("", True)] * cover_pages  # (label, rendered by render_pdf)
    for application, length in zip(applications, snapshot_pages):
        pages += [("", True)] * length
        for number, attachment in enumerate(application.attachments.all(), start=1):
            label = _("%(student)s – Attachment %(n)s") % {"student": application.student.full_name, "n": number}
            pages += [(label, False)] * attachment.document.page_count
    total = len(pages)
    page_number = pgettext("PDF footer", "Page %(n)s of %(total)s")
    return [
        pdf_pipeline.Stamp(page_number % {"n": n, "total": total}, label, rendered)
        for n, (label, rendered) in enumerate(pages, start=1)
    ]


def render_cover(batch: SchoolBatch, applications: list[Application], snapshot_pages: list[int], cover_date):
    """The cover with the page where each student starts, and its page count.

    Those pages depend on the cover's own length: start from an estimate and
    render again only if the estimate was wrong. Call it in the language of the cover.
    """
    lengths = [pages + sum(a.document.page_count for a in application.attachments.all())
               for application, pages in zip(applications, snapshot_pages)]
    cover_pages = 1 + ceil(max(0, len(applications) - ROWS_ON_FIRST_COVER_PAGE) / ROWS_ON_OTHER_COVER_PAGES)
    for _attempt in range(3):
        rows, page = [], cover_pages + 1
        for application, length in zip(applications, lengths):
            rows.append({"student": application.student, "page": page})
            page += length
        cover = pdf_pipeline.render_pdf(COVER_TEMPLATE, {
            "batch": batch, "school": batch.school, "authority": batch.authority, "date": cover_date,
            "rows": rows, "total_pages": page - 1,
        })
        rendered_pages = len(PdfReader(BytesIO(cover)).pages)
        if rendered_pages == cover_pages:
            break
        cover_pages = rendered_pages
    return cover, rendered_pages


def count_pages(snapshot: FieldFile) -> int:
    with snapshot.open("rb") as stream:
        return len(PdfReader(stream).pages)


def store(batch: SchoolBatch, merged: File, content_hash: str) -> FieldFile:
    """Save the new file, then point the row at it; the file it replaces goes once committed."""
    field = SchoolBatch._meta.get_field("pdf")
    name = field.storage.save(field.generate_filename(batch, f"{batch.pk}-{content_hash[:16]}.pdf"), merged)
    with transaction.atomic():
        locked = SchoolBatch.objects.select_for_update().get(pk=batch.pk)
        replaced = locked.pdf.name
        locked.pdf, locked.pdf_hash = name, content_hash
        locked.save(update_fields=["pdf", "pdf_hash"])
        if replaced and replaced != name:
            transaction.on_commit(lambda: field.storage.delete(replaced))
    return locked.pdf
