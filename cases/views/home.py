"""Person cases: the start page, finding a student, a school's list of cases and its case types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import case_creator_schools, log_students_listed
from accounts.feedback import attempt
from accounts.pagination import paginate

from .. import access, selectors, services
from ..access import CASE_LIST
from ..forms import CaseTypeForm, StudentSearchForm

# The case list's filter (`?status=`): what each choice is called and what its empty list says.
STATUS_FILTERS = ["open", "overdue", "closed", ""]
DEFAULT_STATUS = "open"


def crumbs(*pairs) -> list[dict]:
    """The breadcrumbs after Start → Person cases (templates/cases/_breadcrumbs.html): (label, url) pairs."""
    return [{"label": label, "url": url} for label, url in pairs]


def mark_rows(user, rows, cases) -> None:
    """Flags for a list of case rows: `readable` (the user handles it: link to the case, else to its handlers
    page), `overdue` (open, the student has left) and `leaves_soon` (open, the student leaves within four weeks).
    `cases` is the queryset the rows came from (before paging); the flags cost three queries, whatever the rows."""
    ids = [case.pk for case in rows]
    if not ids:
        return
    readable = set(access.cases_handled_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    shown = cases.filter(pk__in=ids)
    due = set(selectors.closing_due(shown).values_list("pk", flat=True))
    overdue = set(selectors.overdue(shown).values_list("pk", flat=True))
    for case in rows:
        case.readable = case.pk in readable
        case.overdue = case.pk in overdue
        case.leaves_soon = case.pk in due and not case.overdue


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: the cases they handle, the schools where they create cases, finding a student."""
    user = request.user
    handled_cases = access.cases_handled_by(user)
    # Open cases first; within each, the newest first (the model's ordering).
    newest_first = selectors.case_rows(handled_cases).order_by("-opened_on", "-pk")
    handled = sorted(newest_first, key=lambda case: not case.is_open)
    mark_rows(user, handled, handled_cases)
    schools = []
    for school in case_creator_schools(user).order_by("name"):
        school_cases = access.cases_listed_for(user).filter(school=school)
        overdue = selectors.overdue(school_cases).count()
        schools.append({"school": school, "overdue": overdue,
                        "leaving_soon": selectors.closing_due(school_cases).count() - overdue})
    may_find = access.students_for_registration(user).exists()
    students = {case.card.student.pk: case.card.student for case in handled}
    log_students_listed(request, students.values(), object_type=CASE_LIST)
    context = {"handled": handled, "schools": schools, "may_find": may_find,
               "nothing": not (handled or schools or may_find)}
    return render(request, "cases/home.html", context)


@login_required
@require_safe
def students(request: HttpRequest) -> HttpResponse:
    """A case creator (the school's students) or a contact teacher (their class): find a student's page."""
    allowed = access.students_for_registration(request.user)
    if not allowed.exists():
        raise Http404
    form = StudentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = (selectors.search_students(allowed, query).select_related("school")
             .annotate(registered=Q(case_card__isnull=False))
             .order_by("group", "last_name", "first_name", "pk"))
    # A list of names (not of records): not logged.
    context = {"form": form, "query": query, "students": paginate(request, found),
               "crumbs": crumbs((_("Find a student"), reverse("cases:students")))}
    return render(request, "cases/students.html", context)


@login_required
@require_safe
def school_cases(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's case creators: the list of its person cases (who, what kind, who handles them; no content)."""
    school = access.get_school_for_creator(request, school_pk)
    status = request.GET.get("status", DEFAULT_STATUS)
    if status not in STATUS_FILTERS:
        status = DEFAULT_STATUS
    cases = access.cases_listed_for(request.user).filter(school=school)
    listed = selectors.case_rows(selectors.filter_cases(cases, status=status))
    # Overdue: the longest overdue first; otherwise the newest first.
    rows = paginate(request, listed.order_by("leaving", "pk") if status == "overdue"
                    else listed.order_by("-opened_on", "-pk"))
    page = list(rows.page.object_list)
    mark_rows(request.user, page, cases)
    students = {case.card.student.pk: case.card.student for case in page}
    log_students_listed(request, students.values(), object_type=CASE_LIST, object_id=school.pk)
    here = reverse("cases:school_cases", args=[school.pk])
    filters = [{"status": value, "label": label, "url": f"{here}?status={value}", "current": value == status}
               for value, label in zip(STATUS_FILTERS, [_("Open"), _("Overdue"), _("Closed"), _("All")])]
    context = {"school": school, "status": status, "rows": rows, "page": page, "filters": filters,
               "crumbs": crumbs((_("Cases at %(school)s") % {"school": school.name}, here))}
    return render(request, "cases/school_cases.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_types(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's case creators: the school's case types; add one."""
    school = access.get_school_for_creator(request, school_pk)
    form = CaseTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        if attempt(request, lambda: services.case_type_add(school=school, name=name, request=request),
                   _("The case type “%(name)s” is added.") % {"name": name.strip()}):
            return redirect("cases:case_types", school_pk=school.pk)
    types = services.case_types_of(school)
    context = {"school": school, "form": form,
               "types": sorted(types, key=lambda t: (not t.active, t.name)),
               "active_types": [t for t in types if t.active],
               "crumbs": crumbs((_("Cases at %(school)s") % {"school": school.name},
                                 reverse("cases:school_cases", args=[school.pk])),
                                (_("Case types"), reverse("cases:case_types", args=[school.pk])))}
    return render(request, "cases/case_types.html", context, status=400 if request.method == "POST" else 200)


TOGGLES = {"retire": False, "restore": True}


@login_required
@require_POST
def case_type_toggle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The school's case creators: retire a case type (its cases keep it) or take it into use again."""
    case_type = access.get_case_type_for(request, pk)
    if action not in TOGGLES:
        raise Http404
    services.case_type_set_active(case_type=case_type, active=TOGGLES[action], request=request)
    messages.success(request, (_("“%(name)s” is taken into use again.") if TOGGLES[action]
                               else _("“%(name)s” is retired. Cases that have it keep it.")) % {"name": case_type})
    return redirect("cases:case_types", school_pk=case_type.school_id)
