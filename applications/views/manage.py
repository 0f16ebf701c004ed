"""The IOP admin's pages: the school's applications, one application's life, decisions (steps 1–5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access as accounts_access
from accounts.access import log_students_listed
from accounts.exceptions import Refused
from accounts.feedback import attempt
from accounts.forms import StudentFilterForm
from accounts.models import SchoolYear, Subject
from accounts.pagination import paginate
from documents.access import documents_visible_to
from documents.downloads import private_pdf_response

from .. import access, services
from ..access import ADMIN_READ, MANAGE
from ..forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentUploadForm,
    DecisionCorrectionForm,
    DecisionForm,
    SentOnForm,
    StudentChoiceForm,
    StudentPickForm,
    subject_formset,
)
from ..models import Application, ApplicationComment
from ..services import (
    application_create,
    application_pdf,
    application_update,
    decision_correct,
    decision_register,
    students_to_apply_for,
    students_without_application,
)


def available_actions(application: Application) -> dict[str, bool]:
    """What the admin may do now; the model still has the last word under its row lock."""
    status = application.status
    approved = status == Application.Status.APPROVED
    if not access.may_change(application):
        return dict.fromkeys(("edit", "publish", "reopen", "mark_sent", "decide"), False)
    return {
        "edit": application.is_editable,
        "publish": status == Application.Status.REGISTERED,
        "reopen": approved and not application.is_locked_by_batch,
        "mark_sent": approved and application.batch_id is None,
        "decide": status == Application.Status.UNDER_PROCESSING,
    }


def _to_detail(application: Application) -> HttpResponse:
    return redirect("applications:application_detail", pk=application.pk)


# --- The school's applications ------------------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest, school_pk: int) -> HttpResponse:
    """IOP admin of the school: this year's applications and decisions."""
    school = accounts_access.get_school_for_admin(request, school_pk)
    year = SchoolYear.objects.current()
    applications = access.applications_administered_by(request.user).filter(student__school=school, school_year=year)
    form = ApplicationFilterForm(request.GET or None)
    filtered = _with_last_comment(form.filter(applications).select_related("student", "batch", "decision"))
    decisions = (
        access.decisions_administered_by(request.user)
        .filter(student__school=school, school_year=year, application__isnull=True)
        .select_related("student")
        .order_by("student__last_name", "student__first_name")
    )
    filtered, decisions = list(filtered), list(decisions)
    log_students_listed(request, [a.student for a in filtered] + [d.student for d in decisions],
                        object_type="application_list")
    return render(request, "applications/manage/application_list.html", {
        "school": school, "year": year, "form": form, "applications": filtered, "total": applications.count(),
        "decisions": decisions,
    })


def _with_last_comment(applications):
    """Each application with its latest comment's kind and time, for the list's answer column."""
    last = ApplicationComment.objects.filter(application=OuterRef("pk")).order_by("-at", "-pk")
    return applications.annotate(last_comment_kind=Subquery(last.values("kind")[:1]),
                                 last_comment_at=Subquery(last.values("at")[:1]))


@login_required
@require_http_methods(["GET", "POST"])
def application_add(request: HttpRequest, school_pk: int) -> HttpResponse:
    """IOP admin of the school: pick a student without an application this year and create one."""
    school = accounts_access.get_school_for_admin(request, school_pk)
    year = SchoolYear.objects.current(create=request.method == "POST")
    if request.method == "POST":
        return _create_application(request, school, year)
    students = students_to_apply_for(school=school, school_year=year)
    groups = students.order_by("group").values_list("group", flat=True).distinct()
    form = StudentFilterForm(request.GET or None, groups=groups)
    paged = paginate(request, form.filter(students).order_by("group", "last_name", "first_name"))
    return render(request, "applications/manage/application_add.html", {
        "school": school, "year": year, "form": form, "page": paged.page, "paged": paged,
    })


def _create_application(request: HttpRequest, school, year: SchoolYear) -> HttpResponse:
    pick = StudentPickForm(request.POST)
    if not pick.is_valid():
        raise Http404
    student = access.get_student_for_new_application(request, pick.cleaned_data["student"])
    if student.school_id != school.pk:
        raise Http404
    try:
        application = application_create(student=student, school_year=year, by=request.user, request=request)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("applications:application_add", school_pk=school.pk)
    messages.success(request, _("An application for %(name)s was created. Fill it in below.") % {
        "name": student.full_name})
    return redirect("applications:application_edit", pk=application.pk)


# --- One application ------------------------------------------------------------


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin of the student's school: the application, its status and the actions it allows now."""
    application = access.get_application_for(request, pk, ADMIN_READ)
    return _detail_page(request, application)


def _detail_page(request, application, *, sent_form=None, decision_form=None) -> HttpResponse:
    decision = getattr(application, "decision", None)
    return render(request, "applications/manage/application_detail.html", {
        "application": application,
        "student": application.student,
        "actions": available_actions(application),
        "subjects": application.subjects.select_related("subject"),
        "attachments": application.attachments.select_related("document"),
        "decision": decision,
        "corrections": decision.corrections.select_related("by") if decision else (),
        "comments": _comment_rows(application),
        "may_correct": access.may_change(application),
        "may_see_versions": access.may_change(application),  # history:versions asks MANAGE
        "sent_form": sent_form or SentOnForm(),
        "decision_form": decision_form or DecisionForm(),
    })


def _comment_rows(application: Application) -> list[dict]:
    """The approvers' comments, each marked whether it is about the content as it is now."""
    current = application.content_hash()
    return [{"comment": comment, "about_current": comment.content_hash == current}
            for comment in application.comments.select_related("by")]


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: change the application while it is registered or awaiting approval."""
    application = access.get_application_for(request, pk, MANAGE)
    if not application.is_editable:
        return _not_editable(request, application)
    documents = documents_visible_to(request.user, application.student)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application, documents=documents)
    upload = AttachmentUploadForm(data, request.FILES if data is not None else None)
    formset = subject_formset(
        data,
        subjects=Subject.objects.taken_by(application.student, application.school_year),
        initial=application.subjects.values("subject", "extent", "organisation"),
    )
    if data is not None and all([form.is_valid(), formset.is_valid(), upload.is_valid()]):
        def save_content(locked):
            form.save_to(locked)
            formset.save_to(locked)

        if not attempt(request, lambda: application_update(
            application=application, save_content=save_content, documents=form.cleaned_data["attachments"],
            new_document=upload.new_document(), by=request.user, request=request,
        ), _("The application was saved.")):
            return _to_detail(application)
        if "add_row" in request.POST:
            return redirect("applications:application_edit", pk=application.pk)
        return _to_detail(application)
    return render(request, "applications/manage/application_edit.html", {
        "application": application, "student": application.student, "form": form, "formset": formset,
        "upload": upload,
    })


def _not_editable(request: HttpRequest, application: Application) -> HttpResponse:
    if request.method == "POST":
        messages.error(
            request, _("The application can no longer be changed. Reopen it first (not possible once it is sent).")
        )
        return _to_detail(application)
    return render(request, "applications/manage/application_readonly.html", {
        "application": application,
        "student": application.student,
        "actions": available_actions(application),
        "subjects": application.subjects.select_related("subject"),
        "attachments": application.attachments.select_related("document"),
    })


@login_required
@require_POST
def application_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: make a registered application readable for the student or guardians to approve."""
    application = access.get_application_for(request, pk, MANAGE)
    attempt(request, lambda: services.application_publish(application=application, request=request),
            _("The application was published. It now awaits approval."))
    return _to_detail(application)


@login_required
@require_http_methods(["GET", "POST"])
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: confirm (GET) and reopen (POST) an approved application; the approval is lost."""
    application = access.get_application_for(request, pk, MANAGE)
    if request.method == "GET":
        return render(request, "applications/manage/application_reopen.html", {
            "application": application, "student": application.student, "actions": available_actions(application),
        })
    if not attempt(request, lambda: services.application_reopen(application=application, request=request),
                   _("The application was reopened. Publish it again when it is ready for a new approval.")):
        return _to_detail(application)
    return redirect("applications:application_edit", pk=application.pk)


@login_required
@require_POST
def application_mark_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: record that an approved application was sent on its own, outside a school batch."""
    application = access.get_application_for(request, pk, MANAGE)
    form = SentOnForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, application, sent_form=form)
    attempt(request, lambda: services.application_mark_sent(application=application, on=form.cleaned_data["sent_on"],
                                                            request=request),
            _("The application is marked as sent and is now under processing."))
    return _to_detail(application)


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: register the authority's decision on an application under processing."""
    application = access.get_application_for(request, pk, MANAGE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, application, decision_form=form)
    attempt(request, lambda: decision_register(
        student=application.student, school_year=application.school_year, application=application,
        by=request.user, request=request, **form.cleaned_data,
    ), _("The decision was registered."))
    return _to_detail(application)


@login_required
@require_GET
def application_download(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin: the approved PDF once approved (what is sent), before that a fresh draft."""
    application = access.get_application_for(request, pk, ADMIN_READ, event="downloaded")
    year = application.school_year
    names = {"name": application.student.full_name, "year": f"{year.start_year}-{year.start_year + 1}"}
    if application.snapshot and not application.is_editable:
        return private_pdf_response(application.snapshot, _("Application %(name)s %(year)s") % names)
    return private_pdf_response(application_pdf(application), _("Draft application %(name)s %(year)s") % names)


@login_required
@require_http_methods(["GET", "POST"])
def decision_correct_page(request: HttpRequest, pk: int) -> HttpResponse:
    """IOP admin of the student's school: correct a registered decision (pk: the decision), with a reason."""
    decision = access.get_decision_for(request, pk)
    initial = {"outcome": decision.outcome, "decided_on": decision.decided_on, "reference": decision.reference}
    form = DecisionCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if attempt(request, lambda: decision_correct(decision=decision, by=request.user, request=request,
                                                     **form.cleaned_data),
                   _("The decision was corrected.")):
            return _after_decision(decision)
    return render(request, "applications/manage/decision_correct.html", {
        "decision": decision, "student": decision.student, "form": form,
        "corrections": decision.corrections.select_related("by"),
    })


def _after_decision(decision) -> HttpResponse:
    if decision.application_id:
        return redirect("applications:application_detail", pk=decision.application_id)
    return redirect("applications:application_list", school_pk=decision.student.school_id)


# --- Decision without an application -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, school_pk: int) -> HttpResponse:
    """IOP admin of the school: register a decision for a student who has no application this year."""
    school = accounts_access.get_school_for_admin(request, school_pk)
    year = SchoolYear.objects.current(create=request.method == "POST")
    # A student with an application gets the decision on the application.
    students = students_without_application(school=school, school_year=year).order_by("last_name", "first_name")
    choice = StudentChoiceForm(request.POST if request.method == "POST" else request.GET or None, students=students)
    if not choice.is_valid():
        return render(request, "applications/manage/decision_add.html", {
            "school": school, "year": year, "choice": choice, "student": None,
        })
    student = choice.cleaned_data["elev"]
    access.require_changeable(student)
    log_students_listed(request, [student], object_type="decision")
    subjects = Subject.objects.taken_by(student, year)
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data)
    formset = subject_formset(data, subjects=subjects, extra=max(1, subjects.count()))
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            decision_register(
                student=student, school_year=year, by=request.user, request=request,
                subjects=formset.rows(), **form.cleaned_data,
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The decision for %(name)s was registered.") % {"name": student.full_name})
        return redirect("applications:application_list", school_pk=school.pk)
    return render(request, "applications/manage/decision_add.html", {
        "school": school, "year": year, "choice": choice, "student": student, "form": form, "formset": formset,
    })
