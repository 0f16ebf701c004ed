"""The IKO team's year: the meeting calendar (seed 002's eight meetings), decisions per student, resources."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import log_students_listed
from accounts.feedback import attempt
from accounts.models import SchoolYear

from .. import access, figures, services
from ..forms import ApproachForm, DecisionForm, MeetingForm, ResourceForm
from ..models import SEED_APPROACHES, Approach, Meeting, Resource


@login_required
def meetings(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team: this school year's meetings and the team's resources."""
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    year = SchoolYear.objects.current()
    context = {"school": school, "year": year,
               "meetings": Meeting.objects.filter(school=school, school_year=year) if year else [],
               "resources": Resource.objects.filter(school=school),
               "approaches": Approach.objects.filter(school=school), "seed_approaches": SEED_APPROACHES,
               "approach_form": ApproachForm()}
    return render(request, "followup/meetings.html", context)


@login_required
@require_POST
def meetings_create(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team: make this school year's meeting calendar."""
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    attempt(request, lambda: services.meetings_create(school=school, request=request,
                                                      school_year=SchoolYear.objects.current(create=True)),
            _("This school year's meetings are made. Set the dates as you plan them."))
    return redirect("followup:meetings", school_pk=school.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The IKO team: one meeting – its themes, the students to discuss, the figures, the decisions."""
    the_meeting = access.get_meeting_for(request, pk)
    form = MeetingForm(request.POST or None, instance=the_meeting)
    if request.method == "POST" and form.is_valid():
        services.record_saved(form, object_type="iko_meeting", school=the_meeting.school, request=request)
        messages.success(request, _("The meeting is saved."))
        return redirect("followup:meeting", pk=the_meeting.pk)
    discuss = figures.students_to_discuss(the_meeting)
    log_students_listed(request, [entry["student"] for entry in discuss], object_type="iko_meeting",
                               object_id=the_meeting.pk)
    figure = figures.FIGURES.get(the_meeting.month)
    context = {
        "meeting": the_meeting, "form": form, "discuss": discuss, "since": figures.since(the_meeting),
        "decisions": the_meeting.decisions.select_related("student", "decided_by"),
        "decision_form": DecisionForm(students=_discussable(the_meeting)),
        "weekly_absence": figures.weekly_vg1_absence(the_meeting) if figure == "weekly_absence" else None,
        "weeks": figures.WEEKLY_CHECK_WEEKS,
        "half_year_grades": figures.half_year_grades(the_meeting) if figure == "half_year_grades" else None,
    }
    return render(request, "followup/meeting.html", context)


def _discussable(the_meeting: Meeting):
    return the_meeting.school.students.filter(left_on__isnull=True).order_by("group", "last_name", "first_name")


@login_required
@require_POST
def meeting_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The IKO team: record a decision about a student at a meeting."""
    the_meeting = access.get_meeting_for(request, pk)
    form = DecisionForm(request.POST, students=_discussable(the_meeting))
    if form.is_valid():
        access.require_writable(form.cleaned_data["student"])
        services.meeting_decide(meeting=the_meeting, student=form.cleaned_data["student"], by=request.user,
                                text=form.cleaned_data["text"], request=request)
        messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Choose the student and write the decision."))
    return redirect("followup:meeting", pk=the_meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, school_pk: int, pk: int | None = None) -> HttpResponse:
    """The IKO team: add or change a resource (LØFT funds, extra lessons, learning aids)."""
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    resource = access.get_resource_for(request, pk) if pk else Resource(school=school)
    if resource.school_id != school.pk:
        raise Http404  # the resource of another school's URL
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        services.record_saved(form, object_type="iko_resource", school=school, request=request,
                                   created=pk is None)
        messages.success(request, _("The resource is saved."))
        return redirect("followup:meetings", school_pk=school.pk)
    return render(request, "followup/resource_form.html", {"form": form, "school": school, "resource": resource})


DELETABLE = {"resource": (access.get_resource_for, "iko_resource"),
             "approach": (access.get_approach_for, "iko_approach")}


@login_required
@require_http_methods(["GET", "POST"])
def team_object_delete(request: HttpRequest, school_pk: int, what: str, pk: int) -> HttpResponse:
    """The IKO team: confirm (GET) and delete (POST) a resource or an approach of the catalogue."""
    if what not in DELETABLE:
        raise Http404
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    get_for, object_type = DELETABLE[what]
    obj = get_for(request, pk)
    if obj.school_id != school.pk:
        raise Http404  # another school's, through this school's URL
    if request.method == "POST":
        services.team_object_delete(obj=obj, object_type=object_type, request=request)
        messages.success(request, _("«%(name)s» is deleted.") % {"name": obj})
        return redirect("followup:meetings", school_pk=school.pk)
    return render(request, "followup/confirm_delete.html", {"school": school, "obj": obj})


@login_required
@require_POST
def approach_add(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The IKO team: add the school's own approach to the catalogue measures choose from."""
    school = access.get_school_for_followup(request, school_pk, team_only=True)
    form = ApproachForm(request.POST, instance=Approach(school=school))
    if form.is_valid():
        services.record_saved(form, object_type="iko_approach", school=school, request=request, created=True)
        messages.success(request, _("The approach is added to the catalogue."))
    else:
        messages.error(request, _("Choose the challenge and write the approach."))
    return redirect("followup:meetings", school_pk=school.pk)
