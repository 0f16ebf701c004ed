"""The start page: one section per role, across every app (so it lives in the top layer)."""

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access
from accounts.forms import StudentFilterForm
from accounts.models import SchoolYear
from accounts.pagination import paginate
from applications import access as applications_access
from applications.models import Application, Decision
from iop.access import plans_visible_to
from iop.models import Plan
from cases.selectors import start_summary as person_case_summary
from records.selectors import start_summary as records_summary
from followup import access as followup_access
from notices.access import notices_of
from roster.access import may_import


LATEST_NOTICES = 5


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: one section per role the user has."""
    user = request.user
    taught_section = _taught_section(request, access.is_teacher_anywhere(user))
    children = list(access.children_of(user).select_related("school"))
    self_student = access.student_self(user).select_related("school", "contact_teacher").first()
    taught_students = taught_section["page"].object_list if taught_section and taught_section["total"] else []
    attach_visible_plans(user, [*taught_students, *children, *filter(None, [self_student])])
    iko_schools = list(followup_access.overview_schools(user))
    is_staff = access.staff_schools(user).exists()
    context = {
        "admin_sections": [
            _admin_section(request, school) for school in access.admin_schools(user).order_by("name")
        ],
        "taught": taught_section,
        "children": children,
        "self_student": self_student,
        "principal_schools": access.principal_schools(user).order_by("name"),
        "may_import": may_import(user),
        "person_cases": _person_cases(request, is_staff),
        "records": records_summary(user, is_staff=is_staff),
        "iko_schools": iko_schools,
        # A concern is about a student one teaches or follows (followup.access.concern_students).
        "may_report_concern": bool(iko_schools) or bool(taught_section and taught_section["total"]),
        "shared_iko_plans": followup_access.shared_plans_for_family(user) if children or self_student else [],
        "awaiting": applications_access.awaiting_approval_by(user).select_related("student", "school_year"),
        "readable": applications_access.applications_for_reader(user).select_related("student", "school_year"),
        "application_statuses": Application.Status.choices,
        "plan_stages": Plan.Stage.choices,
        "latest_notices": notices_of(user).filter(read_at__isnull=True)[:LATEST_NOTICES],
    }
    return render(request, "start/start.html", context)


def _person_cases(request: HttpRequest, is_staff: bool) -> dict | None:
    """Person cases: the user's own, and the cases to close before a student leaves (logged as listed)."""
    summary = person_case_summary(request.user, is_staff=is_staff)
    if summary:
        access.log_students_listed(request, [case.card.student for case in summary["closing_due"]],
                                   object_type="person_case_list")
    return summary


def _taught_section(request: HttpRequest, is_teacher: bool) -> dict | None:
    """The students the user teaches, a page at a time; None for someone who never teaches."""
    if not access.teaches_anyone(request.user):
        return {"total": 0} if is_teacher else None
    taught = access.students_taught_by(request.user).select_related("school")
    return _student_page(request, taught, prefix="t")


def _admin_section(request: HttpRequest, school) -> dict:
    """The school's students with this year's application status, decision and IOP stage (logged as read)."""
    students = access.students_administered_by(request.user).filter(school=school)
    # Filter fields are prefixed per school so two schools' filters don't collide.
    section = _student_page(request, students, prefix=f"s{school.pk}", annotate=with_status)
    access.log_students_listed(request, section["page"].object_list, object_type="student_list")
    return {"school": school, **section}


def _student_page(request: HttpRequest, students, *, prefix: str, annotate=None) -> dict:
    """One page of a student list, filtered by name and class: a school has a thousand
    students, and a teacher of one subject in many classes several hundred."""
    groups = students.order_by("group").values_list("group", flat=True).distinct()
    form = StudentFilterForm(request.GET or None, groups=groups, prefix=prefix)
    filtered = form.filter(students)
    if annotate:
        filtered = annotate(filtered)
    paged = paginate(request, filtered.order_by("group", "last_name", "first_name"), key=f"{prefix}-page")
    return {"form": form, "paged": paged, "page": paged.page, "total": students.count()}


def with_status(students):
    """Annotate this school year's application status and decision outcome (one query for the page)."""
    this_year = {"student": OuterRef("pk"), "school_year": SchoolYear.objects.current()}
    return students.annotate(
        application_status=Subquery(Application.objects.filter(**this_year).values("status")[:1]),
        decision_outcome=Subquery(Decision.objects.filter(**this_year).values("outcome")[:1]),
        plan_stage=Subquery(Plan.objects.filter(**this_year).values("stage")[:1]),
    )


def attach_visible_plans(user, students: list) -> None:
    """Set each student's `visible_plan_id`: this year's IOP if `user` may see it, else None.

    One query for every student on the page, and the access rules built once: as a
    correlated subquery per list they cost more to build than to run (bench/explain.py).
    """
    if not students:
        return
    plans = plans_visible_to(user).filter(
        school_year=SchoolYear.objects.current(), student__in=[student.pk for student in students]
    )
    plan_of = dict(plans.values_list("student_id", "pk"))
    for student in students:
        student.visible_plan_id = plan_of.get(student.pk)
