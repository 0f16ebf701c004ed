"""Reading the access log. The caller must already have checked that the user may see it."""

from django.db.models import QuerySet

from .models import AccessEvent


def events_for_student(student_id: int) -> QuerySet[AccessEvent]:
    """Every event about one student, newest first (also after the student is deleted)."""
    return AccessEvent.objects.filter(student_id=student_id).select_related("user").order_by("-at", "-pk")


def grants_to_self(school_id: int, object_type: str, limit: int = 20) -> list[AccessEvent]:
    """The newest grants of a school role that someone gave themselves (e.g. a principal making
    themselves IOP admin), so that the school's other principals see them."""
    grants = AccessEvent.objects.filter(school_id=school_id, object_type=object_type,
                                        action=AccessEvent.Action.GRANTED).select_related("user")
    return [event for event in grants[:200] if event.user_id and str(event.user_id) == event.object_id][:limit]

