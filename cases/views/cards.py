"""A student in the case system: the student's page, registering the student, a new person case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import deny
from accounts.feedback import attempt

from .. import access, selectors, services
from ..forms import CaseForm
from ..models import CaseStudent
from .home import crumbs, mark_rows


def _card(student):
    """The student's registration in the case system, or None."""
    try:
        return student.case_card
    except CaseStudent.DoesNotExist:
        return None


def _student_crumbs(student, *more):
    return crumbs((student.full_name, reverse("cases:student", args=[student.pk])), *more)


@login_required
@require_safe
def student_card(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Whoever may register the student (contact teacher, case creator) or handles a case of theirs."""
    student = access.get_student_for_cases(request, student_pk)
    user = request.user
    card = _card(student)
    context = {"student": student, "card": card, "crumbs": _student_crumbs(student)}
    if card is None:
        context["may_register"] = access.may_register_now(user, student)
    else:
        listed = access.cases_listed_for(user)
        cases = list(selectors.cases_of_student(listed, student))
        mark_rows(user, cases, listed)
        context.update(cases=cases, may_create=access.may_create_case(user, student),
                       open_before_leaving=bool(student.leaving_date) and any(case.is_open for case in cases),
                       has_left=bool(student.leaving_date) and student.leaving_date <= timezone.localdate())
    return render(request, "cases/student.html", context)


@login_required
@require_POST
def student_register(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The student's contact teacher or a case creator of the school: register the student in the case system."""
    student = access.get_student_for_cases(request, student_pk)
    if not access.may_register_now(request.user, student):
        deny(insider=True, object_type=access.CARD, object_id=student.pk, student=student, school=student.school)
    services.card_register(student=student, by=request.user, request=request)
    messages.success(request, _("%(name)s is registered in the case system.") % {"name": student.full_name})
    return redirect("cases:student", student_pk=student.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, student_pk: int) -> HttpResponse:
    """A case creator of the student's school: open a person case and name its handlers."""
    student = access.get_student_for_creator(request, student_pk)
    if _card(student) is None:
        messages.info(request, _("Register the student in the case system first."))
        return redirect("cases:student", student_pk=student.pk)
    types = services.case_types_of(student.school)
    form = CaseForm(request.POST or None, student=student, case_types=types)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = []

        def create():
            created.append(services.case_create(
                student=student, case_type=data["case_type"], category=data["category"],
                description=data["description"], handler=data["handler"], co_handlers=data["co_handlers"],
                by=request.user, request=request))

        if attempt(request, create, _("The person case is created. Only its handlers can read it.")):
            case = created[0]
            if access.rights_for(request.user, case).read:
                return redirect("cases:case", pk=case.pk)
            return redirect("cases:student", student_pk=student.pk)
    context = {"student": student, "form": form, "has_types": any(t.active for t in types),
               "crumbs": _student_crumbs(student, (_("New person case"),
                                                   reverse("cases:case_create", args=[student.pk])))}
    return render(request, "cases/case_form.html", context, status=400 if request.method == "POST" else 200)
