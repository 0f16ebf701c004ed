"""What the case pages and the start page show, after access.py has decided who sees which cases."""

from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import Student
from audit.selectors import events_for_object

from .access import CASE, case_creator_schools, cases_handled_by, cases_listed_for, registration_checks
from .models import Case, CoHandler, EventVersion

# From four weeks before a student leaves, the open cases are a warning on the start page.
WARN_BEFORE_LEAVING = timedelta(weeks=4)


def with_leaving_date(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `leaving` (Student.leaving_date: the planned day first, else the day the student left)."""
    return cases.annotate(leaving=Coalesce(F("card__student__leaves_on"), F("card__student__left_on")))


def closing_due(cases: QuerySet[Case], today: date | None = None) -> QuerySet[Case]:
    """Open cases whose student leaves within four weeks, or has left (overdue), soonest first."""
    today = today or timezone.localdate()
    return (with_leaving_date(cases.filter(status=Case.Status.OPEN))
            .filter(leaving__lte=today + WARN_BEFORE_LEAVING)
            .select_related("card__student", "case_type", "handler", "school").order_by("leaving", "pk"))


def overdue(cases: QuerySet[Case], today: date | None = None) -> QuerySet[Case]:
    """Open cases of students whose leaving day has come."""
    return closing_due(cases, today).filter(leaving__lte=today or timezone.localdate())


def open_cases_on_leaving(student: Student) -> str | None:
    """accounts.leaving's check: how many person cases are still open (a count, never what they are)."""
    count = Case.objects.filter(card__student=student, status=Case.Status.OPEN).count()
    if not count:
        return None
    return ngettext("%(count)d person case is still open.", "%(count)d person cases are still open.",
                    count) % {"count": count}


def case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A list of cases as the lists show them: student, type, category, handler, status, dates, no content."""
    return with_leaving_date(cases).select_related("card__student", "case_type", "handler", "school").annotate(
        co_handler_count=Count("co_handler_rows", distinct=True))


def events_with_versions(case: Case) -> list:
    """The case's events in journal order, each with `versions` (oldest first), `current` and `attachments`."""
    versions = EventVersion.objects.filter(event__case=case).select_related("written_by").order_by("event", "number")
    by_event = {}
    for version in versions:
        by_event.setdefault(version.event_id, []).append(version)
    events = list(case.events.select_related("created_by").prefetch_related("attachments"))
    for event in events:
        event.all_versions = by_event.get(event.pk, [])
        event.current = event.all_versions[-1] if event.all_versions else None
        event.earlier = event.all_versions[:-1][::-1]
    return events


def co_handlers_of(case: Case) -> QuerySet[CoHandler]:
    return case.co_handler_rows.select_related("user", "added_by").order_by("added_at", "pk")


def access_history(case: Case, limit: int = 200):
    """Who opened, downloaded, changed or was refused the case, newest first (for its handler)."""
    return events_for_object(CASE, case.pk)[:limit]


def cases_of_student(cases: QuerySet[Case], student: Student) -> QuerySet[Case]:
    return case_rows(cases.filter(card__student=student)).order_by("-opened_on", "-pk")


def filter_cases(cases: QuerySet[Case], *, status: str = "", today: date | None = None) -> QuerySet[Case]:
    """The case list's filter: open, closed, overdue (open past the student's leaving day), or all."""
    today = today or timezone.localdate()
    if status == "overdue":
        return with_leaving_date(cases.filter(status=Case.Status.OPEN)).filter(leaving__lte=today)
    if status in Case.Status.values:
        return cases.filter(status=status)
    return cases


def search_students(students: QuerySet[Student], query: str) -> QuerySet[Student]:
    for word in query.split()[:4]:
        students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(group__icontains=word))
    return students


def current_version(event) -> EventVersion | None:
    """The event's newest version: what a correction starts from, and what a stale correction is shown beside."""
    return event.versions.select_related("written_by").order_by("-number").first()


def start_checks(user) -> dict:
    """What the start page asks (accounts.access.which_exist) before it reads this section."""
    return {"handles_open": cases_handled_by(user).filter(status=Case.Status.OPEN),
            "creates": case_creator_schools(user), **registration_checks(user)}


def start_summary(user, *, held: dict[str, bool], today: date | None = None) -> dict | None:
    """The start page's person-case section: None for someone with no part in person cases.

    Only what the user may see in a list: their own cases, and a case creator's schools' cases. `held`: the
    answers to `start_checks` and `staff` (on the staff of some school), asked once by the start page.
    """
    if not held["staff"]:  # every part in person cases is a staff member's
        return None
    if not (held["handles_open"] or held["creates"]):
        registers = held["registers_at_school"] or held["registers_own_class"]
        return {"open_handled": 0, "creator_schools": [], "closing_due": []} if registers else None
    today = today or timezone.localdate()
    handled = cases_handled_by(user)
    open_handled = handled.filter(status=Case.Status.OPEN).count() if held["handles_open"] else 0
    creator_schools = list(case_creator_schools(user).order_by("name")) if held["creates"] else []
    due = list(closing_due(cases_listed_for(user), today)[:10])
    handled_ids = set(handled.filter(pk__in=[case.pk for case in due]).values_list("pk", flat=True)) if due else set()
    for case in due:
        case.readable = case.pk in handled_ids
        case.is_overdue = case.leaving <= today
    return {"open_handled": open_handled, "creator_schools": creator_schools, "closing_due": due}
