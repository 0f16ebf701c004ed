"""Reading the access log. The caller must already have checked that the user may see it."""

from django.db.models import QuerySet

from .models import AccessEvent


def events_for_student(student_id: int) -> QuerySet[AccessEvent]:
    """Every event about one student, newest first (also after the student is deleted)."""
    return AccessEvent.objects.filter(student_id=student_id).select_related("user").order_by("-at", "-pk")

