"""Reading the access log. The caller must already have checked that the user may see it."""

from django.db.models import Q, QuerySet

from .models import AccessEvent

# Events that would tell a reader of a student's log that a confidential person case exists. Only the
# case's own handlers see them (on the case), and the records officer through an access request.
CONFIDENTIAL = Q(object_type__startswith="person_case") | Q(object_type="student_leaving_confirmed")


def events_for_student(student_id: int) -> QuerySet[AccessEvent]:
    """Every event about one student that the student's log shows, newest first (also after the student is
    deleted); person-case events are left out."""
    return (AccessEvent.objects.filter(student_id=student_id).exclude(CONFIDENTIAL).select_related("user")
            .order_by("-at", "-pk"))


def grants_to_self(school_id: int, object_type: str, limit: int = 20) -> list[AccessEvent]:
    """The newest grants of a school role that someone gave themselves (e.g. a principal making
    themselves IOP admin), so that the school's other principals see them."""
    grants = AccessEvent.objects.filter(school_id=school_id, object_type=object_type,
                                        action=AccessEvent.Action.GRANTED).select_related("user")
    return [event for event in grants[:200] if event.user_id and str(event.user_id) == event.object_id][:limit]



def events_for_object(object_type: str, object_id) -> QuerySet[AccessEvent]:
    """Every event about one object (e.g. a person case: its own access history), newest first."""
    return (AccessEvent.objects.filter(object_type=object_type, object_id=str(object_id))
            .select_related("user").order_by("-at", "-pk"))
