"""The start page: one section per role, across every app (so it lives in the top layer)."""

from collections.abc import Callable
from functools import cache
from html import escape

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import Role
from accounts.forms import StudentFilterForm
from accounts.links import link_maker
from accounts.models import SchoolYear
from accounts.pagination import paginate
from applications import access as applications_access
from applications.models import Application, Decision
from iop.access import plans_visible_to
from iop.models import Plan
from cases.selectors import start_checks as person_case_checks
from cases.selectors import start_summary as person_case_summary
from records.selectors import start_checks as records_checks
from records.selectors import start_summary as records_summary
from followup import access as followup_access
from notices.access import notices_of
from roster.access import may_import


LATEST_NOTICES = 5
CLASS_SELECT_TEMPLATE = "start/class_select.html"


@login_required
@access.reads_school_roles_once
def start(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: one section per role the user has."""
    user = request.user
    held = _sections_held(user)
    taught_section = _taught_section(request, is_teacher=held["teacher"], teaches=held["teaches"])
    teaches = bool(taught_section and taught_section["total"])
    children = list(access.children_of(user).select_related("school")) if held["guardian"] else []
    self_student = access.student_self(user).select_related("school", "contact_teacher").first() if (
        held["student"]) else None
    own = [self_student] if self_student else []
    this_year = cache(SchoolYear.objects.current)  # read once, and only if a section needs it
    admin_sections = [_admin_section(request, school, this_year)
                      for school in access.admin_schools(user).order_by("name")] if held["admin"] else []
    taught_students = taught_section["page"].object_list if teaches else []
    holds = {Role.IOP_ADMIN: admin_sections, Role.TEACHER: teaches, Role.GUARDIAN: children, Role.STUDENT: own}
    roles = {role for role, held_role in holds.items() if held_role}
    attach_visible_plans(user, [*taught_students, *children, *own], roles, this_year)
    _attach_student_links([*taught_students, *children])
    iko_schools = list(followup_access.overview_schools(user)) if held["iko"] else []
    family = (own, children)  # read above: the application lookups need not read them again
    context = {
        "admin_sections": admin_sections,
        "taught": taught_section,
        "children": children,
        "self_student": self_student,
        "principal_schools": access.principal_schools(user).order_by("name") if held["principal"] else [],
        "may_import": may_import(user, iop_admin_somewhere=bool(admin_sections)),
        "person_cases": _person_cases(request, held),
        "records": records_summary(user, held=held),
        "iko_schools": iko_schools,
        # A concern is about a student one teaches or follows (followup.access.concern_students).
        "may_report_concern": bool(iko_schools) or teaches,
        "shared_iko_plans": followup_access.shared_plans_for_family(user) if children or self_student else [],
        "awaiting": applications_access.awaiting_approval_by(user, family=family).select_related(
            "student", "school_year"),
        "readable": applications_access.applications_for_reader(user, family=family).select_related(
            "student", "school_year"),
        "latest_notices": notices_of(user).filter(read_at__isnull=True)[:LATEST_NOTICES],
    }
    return render(request, "start/start.html", context)


# The sections only a member of a school's staff can have: a guardian's or a student's page does not ask.
STAFF_SECTIONS = ("teacher", "teaches", "admin", "principal", "iko")


def _sections_held(user) -> dict[str, bool]:
    """Which of the page's sections have anything for `user`, in one query: most users hold one or two
    roles, and each section's own queries run only when it has something to show."""
    checks = {"guardian": access.children_of(user), "student": access.student_self(user), **records_checks(user)}
    staff = access.is_staff_anywhere(user)
    if staff:
        checks |= {
            "teacher": access.teacher_schools(user), "teaches": access.enrollments_taught_by(user),
            "admin": access.admin_schools(user), "principal": access.principal_schools(user),
            "iko": followup_access.overview_schools(user), **person_case_checks(user),
        }
    return dict.fromkeys(STAFF_SECTIONS, False) | access.which_exist(user, checks) | {"staff": staff}


def _person_cases(request: HttpRequest, held: dict[str, bool]) -> dict | None:
    """Person cases: the user's own, and the cases to close before a student leaves (logged as listed)."""
    summary = person_case_summary(request.user, held=held)
    if summary:
        access.log_students_listed(request, [case.card.student for case in summary["closing_due"]],
                                   object_type="person_case_list")
        case_url, handlers_url = link_maker("cases:case"), link_maker("cases:handlers")
        for case in summary["closing_due"]:
            case.url = case_url(case.pk) if case.readable else handlers_url(case.pk)
    return summary


def _taught_section(request: HttpRequest, *, is_teacher: bool, teaches: bool) -> dict | None:
    """The students the user teaches, a page at a time; None for someone who never teaches."""
    if not teaches:
        return {"total": 0} if is_teacher else None
    taught = access.students_taught_by(request.user).select_related("school")
    return _student_page(request, taught, prefix="t")


def _admin_section(request: HttpRequest, school, this_year: Callable[[], SchoolYear | None]) -> dict:
    """The school's students with this year's application status, decision and IOP stage (logged as read)."""
    students = access.students_administered_by(request.user).filter(school=school)
    # Filter fields are prefixed per school so two schools' filters don't collide.
    section = _student_page(request, students, prefix=f"s{school.pk}",
                            annotate=lambda filtered: with_status(filtered, this_year()))
    access.log_students_listed(request, section["page"].object_list, object_type="student_list")
    _attach_admin_rows(section["page"].object_list)
    return {"school": school, **section}


def _student_page(request: HttpRequest, students, *, prefix: str, annotate=None) -> dict:
    """One page of a student list, filtered by name and class: a school has a thousand
    students, and a teacher of one subject in many classes several hundred."""
    groups = students.order_by("group").values_list("group", flat=True).distinct()
    form = StudentFilterForm(request.GET or None, groups=groups, prefix=prefix)
    # The stock select template includes two templates per option; a school has some 40 classes.
    form.fields["group"].widget.template_name = CLASS_SELECT_TEMPLATE
    filtered = form.filter(students)
    unfiltered = filtered is students  # the form returns the list itself when it filters nothing
    if annotate:
        filtered = annotate(filtered)
    paged = paginate(request, filtered.order_by("group", "last_name", "first_name"), key=f"{prefix}-page")
    # Unfiltered, the page's count is the total: one COUNT, not two.
    total = paged.page.paginator.count if unfiltered else students.count()
    return {"form": form, "paged": paged, "page": paged.page, "total": total}


def with_status(students, year: SchoolYear | None):
    """Annotate the school year's application status and decision outcome (one query for the page)."""
    this_year = {"student": OuterRef("pk"), "school_year": year}
    return students.annotate(
        application_status=Subquery(Application.objects.filter(**this_year).values("status")[:1]),
        decision_outcome=Subquery(Decision.objects.filter(**this_year).values("outcome")[:1]),
        plan_stage=Subquery(Plan.objects.filter(**this_year).values("stage")[:1]),
    )


def attach_visible_plans(user, students: list, roles: set[Role], this_year: Callable[[], SchoolYear | None]) -> None:
    """Set each student's `visible_plan_id`: this year's IOP if `user` may see it, else None.

    One query for every student on the page, and the access rules built once, only for the
    `roles` the user holds: as a correlated subquery per list they cost more to build than
    to run (bench/explain.py).
    """
    if not students:
        return
    plans = plans_visible_to(user, roles).filter(
        school_year=this_year(), student__in=[student.pk for student in students]
    )
    plan_of = dict(plans.values_list("student_id", "pk"))
    for student in students:
        student.visible_plan_id = plan_of.get(student.pk)


# The student tables' rows are filled in Python: a page of 50 rows through the template engine was a fifth
# of the IOP admin's start page (bench/profile.py). Every text is escaped here (`escape`).
STUDENT_ROW = ('<tr><td><a class="ds-link" href="{documents}">{name}</a></td><td>{group}</td><td>{school}</td>'
               '<td>{plan}</td></tr>')
PLAN_LINK = '<a class="ds-link" href="{}">{}<span class="ds-sr-only"> – {}</span></a>'
ADMIN_ROW = ('<tr><td><a class="ds-link" href="{documents}">{name}</a></td><td>{group}</td><td>{born}</td>'
             '<td>{status}</td><td><a class="ds-link" href="{plan}">{stage}</a></td></tr>')
TAG = '<span class="ds-tag" data-color="{}">{}</span>'
NO_IOP = '{}<span class="ds-sr-only"> – {}</span>'


def _attach_student_links(students: list) -> None:
    """Each row of a list of students (accounts/includes/student_table.html: `student.row`), each URL
    reversed once a page."""
    documents_url, plan_url = link_maker("documents:student_documents"), link_maker("iop:plan_detail")
    open_iop = escape(_("Open the IOP"))
    for student in students:
        name = escape(student.full_name)
        plan = PLAN_LINK.format(plan_url(student.visible_plan_id), open_iop, name) if student.visible_plan_id else "–"
        student.row = mark_safe(STUDENT_ROW.format(documents=documents_url(student.pk), name=name,
                                                   group=escape(student.group), school=escape(str(student.school)),
                                                   plan=plan))


def _attach_admin_rows(students) -> None:
    """The IOP admin's rows (start/admin_students.html: `student.row`): links, the application status, the
    decision and the IOP stage, each label worked out once a page."""
    decisions = {"granted": TAG.format("success", escape(_("Granted"))),
                 "rejected": TAG.format("neutral", escape(_("Rejected")))}
    application = escape(_("Application"))
    statuses = {value: TAG.format("info", f"{application}: {escape(str(label).lower())}")
                for value, label in Application.Status.choices}
    stages = {value: escape(f"{value} – {label}") for value, label in Plan.Stage.choices}
    no_iop = escape(_("No IOP"))
    documents_url, plan_url = link_maker("documents:student_documents"), link_maker("iop:student_plan")
    for student in students:
        name = escape(student.full_name)
        status = decisions.get(student.decision_outcome) or statuses.get(student.application_status, "–")
        stage = stages[student.plan_stage] if student.plan_stage else NO_IOP.format(no_iop, name)
        student.row = mark_safe(ADMIN_ROW.format(
            documents=documents_url(student.pk), name=name, group=escape(student.group),
            born=date_format(student.birth_date, "SHORT_DATE_FORMAT"),
            status=status, plan=plan_url(student.pk), stage=stage))
