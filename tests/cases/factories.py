"""Person cases for the tests: a registered student card, a case with its handlers, an event."""

from datetime import date

from django.utils import timezone

from cases import services
from cases.models import Case, Event
from documents.sanitize import sanitize_pdf

from ..factories import blank_pdf


def case_type(school, index: int = 0):
    """One of the school's case types (the defaults, made the first time)."""
    return services.case_types_of(school)[index]


def make_case(student, handler, co_handlers=(), *, by, category=Case.Category.CARE,
              description="Bekymring for heimeforhold", kind=None) -> Case:
    """Register the student's card (by `by`) and open a case with `handler` and `co_handlers`."""
    services.card_register(student=student, by=by)
    return services.case_create(student=student, case_type=kind or case_type(student.school), category=category,
                                description=description, handler=handler, co_handlers=co_handlers, by=by)


def add_event(case, by, *, title="Samtale med eleven", text="Eleven fortalte om helga.",
              occurred_on: date | None = None, category=Event.Category.CONVERSATION, kind=Event.Kind.NOTE,
              pdfs=()) -> Event:
    return services.event_create(case=case, by=by, category=category, kind=kind,
                                 occurred_on=occurred_on or timezone.localdate(), title=title, text=text, pdfs=pdfs)


def add_event_with_attachment(case, by) -> Event:
    return add_event(case, by, pdfs=[("Referat", sanitize_pdf(blank_pdf()))])
