"""IKO follow-up plans: made, filled with measures, started, shared with the family, evaluated."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import attempt
from accounts.models import User

from .. import access, pdfs, services
from ..forms import EvaluateForm, InformedForm, MeasureForm, NoteForm
from ..models import Approach, Measure, Plan


@login_required
@require_POST
def plan_add(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The IKO team or the contact teacher: start a follow-up plan (a draft)."""
    pupil = access.get_student_for_followup(request, student_pk, "write")
    created = []
    if attempt(request, lambda: created.append(services.plan_create(student=pupil, by=request.user,
                                                                      request=request)),
               _("A draft follow-up plan is made. Add its measures.")):
        return redirect("followup:plan", pk=created[0].pk)
    return redirect("followup:student", student_pk=pupil.pk)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The team, the contact teacher, those responsible for a measure; the student (18+) and guardians once shared."""
    the_plan, rights = access.get_plan_for(request, pk)
    return _plan_page(request, the_plan, rights)


def _plan_page(request: HttpRequest, the_plan: Plan, rights, **forms) -> HttpResponse:
    """The plan page; a form that came back with errors (`forms`) is shown with what was typed."""
    measures = the_plan.measures.prefetch_related("responsible", "notes__written_by").select_related("evaluator")
    context = {"plan": the_plan, "rights": rights, "measures": measures, "note_form": NoteForm(),
               "informed_form": InformedForm(instance=the_plan), "evaluate_form": EvaluateForm(),
               "needs_informed": the_plan.needs_guardians_informed(), **forms}
    return render(request, "followup/plan.html", context, status=400 if forms else 200)


def _staff(plan: Plan):
    return User.objects.filter(staff_memberships__school=plan.student.school, is_active=True).distinct().order_by(
        "last_name", "first_name")


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, plan_pk: int, pk: int | None = None) -> HttpResponse:
    """The IKO team or the contact teacher: add or change a measure of a plan not yet evaluated."""
    the_plan, _rights = access.get_plan_for(request, plan_pk, "write")
    measure = get_object_or_404(the_plan.measures, pk=pk) if pk else Measure(plan=the_plan)
    form = MeasureForm(request.POST or None, instance=measure, staff=_staff(the_plan),
                       catalogue=Approach.catalogue(the_plan.student.school))
    if request.method == "POST" and form.is_valid():
        services.record_saved(form, object_type="iko_measure", student=the_plan.student, request=request,
                              created=pk is None)
        messages.success(request, _("The measure is saved."))
        return redirect("followup:plan", pk=the_plan.pk)
    return render(request, "followup/measure_form.html", {"form": form, "plan": the_plan, "measure": measure})


@login_required
@require_POST
def plan_informed(request: HttpRequest, pk: int) -> HttpResponse:
    """The IKO team or the contact teacher: record when and how the guardians were informed."""
    the_plan, rights = access.get_plan_for(request, pk, "write")
    form = InformedForm(request.POST)  # validates the two fields; the service writes them to the locked plan
    if not form.is_valid():
        return _plan_page(request, the_plan, rights, informed_form=form)
    data = form.cleaned_data

    def inform(locked):
        locked.guardians_informed_on, locked.guardians_informed_how = (
            data["guardians_informed_on"], data["guardians_informed_how"])

    attempt(request, lambda: services.plan_change(plan=the_plan, change=inform, request=request,
                                                  fields=["guardians_informed_on", "guardians_informed_how"]),
            _("Saved: the guardians were informed."))
    return redirect("followup:plan", pk=the_plan.pk)


STATE_CHANGES = {
    "start": (Plan.activate, ["status"], gettext_lazy("The plan has started.")),
    "share": (Plan.share, ["shared_on"], gettext_lazy("The plan is shared with the student and the guardians.")),
}


@login_required
@require_POST
def plan_state(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    """The IKO team or the contact teacher: start the plan, or share it with the student and guardians."""
    the_plan, _rights = access.get_plan_for(request, pk, "write")
    if change not in STATE_CHANGES:
        raise Http404
    method, fields, success = STATE_CHANGES[change]
    attempt(request, lambda: services.plan_change(plan=the_plan, change=method, fields=fields, request=request,
                                                  detail=change), str(success))
    return redirect("followup:plan", pk=the_plan.pk)


@login_required
@require_POST
def plan_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The IKO team or the contact teacher: evaluate the plan and say how it ends (referral makes a draft application)."""
    the_plan, rights = access.get_plan_for(request, pk, "write")
    form = EvaluateForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, the_plan, rights, evaluate_form=form)
    data = form.cleaned_data
    success = (_("The plan is evaluated. A draft application for special education, with the mapping attached, is "
                 "waiting for the IOP admins.")
               if data["outcome"] == Plan.Outcome.REFERRAL else _("The plan is evaluated."))
    referral = data["outcome"] == Plan.Outcome.REFERRAL
    mapping = pdfs.referral_pdf(the_plan, note=data["note"]) if referral and the_plan.status == Plan.Status.ACTIVE \
        else None
    attempt(request, lambda: services.plan_evaluate(plan=the_plan, outcome=data["outcome"], note=data["note"],
                                                    by=request.user, request=request, mapping_pdf=mapping), success)
    return redirect("followup:plan", pk=the_plan.pk)


@login_required
@require_POST
def measure_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone responsible for the measure, the IKO team or the contact teacher: record its follow-up."""
    measure, the_plan = access.get_measure_for(request, pk, "note")
    form = NoteForm(request.POST)
    if form.is_valid():
        services.measure_note_add(measure=measure, text=form.cleaned_data["text"], by=request.user, request=request)
        messages.success(request, _("The follow-up is saved."))
    else:
        messages.error(request, _("Write the follow-up first."))
    return redirect("followup:plan", pk=the_plan.pk)
