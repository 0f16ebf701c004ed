"""The case file of a person case as a PDF (PDF/A, documents.pdf.render_pdf), for its handler: the case,
every event with every version (the current text first, earlier versions marked), the attachments' titles
and the closing note.

Rendered in the school's language, whatever the reader's UI language, and outside any transaction.
Marked confidential in the header of every page.
"""

from django.conf import settings
from django.utils import translation

from documents.pdf import render_pdf

from . import selectors
from .models import Case


def case_context(case: Case) -> dict:
    """What pdf/person_case.html shows."""
    student = case.card.student
    return {"case": case, "student": student, "school": case.school,
            "co_handlers": selectors.co_handlers_of(case), "events": selectors.events_with_versions(case)}


def case_pdf(case: Case) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("pdf/person_case.html", case_context(case))


def download_title(case: Case) -> str:
    """The file's name: the document, the case number, the student (documents.downloads makes it safe)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{translation.gettext('Person case')} {case.pk} {case.card.student.full_name}"
