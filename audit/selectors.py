"""Reading the access log. The caller must already have checked that the user may see it."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .models import AccessEvent

PAGE_SIZE = 50


def events_for_student(student_id: int) -> QuerySet[AccessEvent]:
    """Every event about one student, newest first (also after the student is deleted)."""
    return AccessEvent.objects.filter(student_id=student_id).select_related("user").order_by("-at", "-pk")


def student_events_page(student_id: int, page_number: object) -> Page:
    """One page of `events_for_student`; a bad or too large page number gives the nearest page."""
    return Paginator(events_for_student(student_id), PAGE_SIZE).get_page(page_number)
