"""Retention for the records officer: the retention table, hand-over to the archive, the destruction list;
and the authority's settings (deadlines, complaint text, the words the free-text warning looks for)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from accounts.access import log_students_listed
from accounts.guidance import words_for
from accounts.models import GuidanceWord
from accounts.feedback import attempt
from accounts.pagination import paginate

from .. import access, retention, services
from ..forms import ApproveForm, AuthoritySettingsForm, HoldBackForm, RetentionRuleForm
from ..models import DestructionList, HandOver, RecordsSettings, RetentionRule
from .common import crumbs, kind_label

LIST_TYPE = "retention_list"


def _retention_url(authority_pk: int) -> str:
    return reverse("records:retention") + f"?authority={authority_pk}"


def _trail(authority, *pairs) -> list[dict]:
    return crumbs((_("Retention"), _retention_url(authority.pk)), *pairs)


@login_required
@require_safe
def retention_home(request: HttpRequest) -> HttpResponse:
    """A records officer: the authority's retention table, who is due for hand-over, the destruction lists."""
    authorities = list(access.officer_authorities(request.user).order_by("name"))
    if not authorities:
        raise Http404
    chosen = request.GET.get("authority", "")
    authority = next((a for a in authorities if str(a.pk) == chosen), authorities[0])
    candidates = paginate(request, retention.handover_candidates(authority))
    log_students_listed(request, candidates.page.object_list, object_type=LIST_TYPE)
    lists = DestructionList.objects.filter(authority=authority)
    context = {
        "authority": authority, "authorities": authorities, "rules": retention.Table(authority).rows(),
        "candidates": candidates, "awaiting": lists.filter(status=DestructionList.Status.AWAITING).first(),
        "approved": lists.filter(status=DestructionList.Status.DESTROYED).select_related("approved_by")[:10],
        "handovers": HandOver.objects.filter(authority=authority).select_related("student", "made_by")[:10],
        "crumbs": _trail(authority),
    }
    if context["awaiting"]:
        context["awaiting_count"] = context["awaiting"].items.filter(held_back=False).count()
    return render(request, "records/retention.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rule_edit(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """A records officer: set one rule of the table (the row's link fills in its category and case type)."""
    authority = access.get_authority_for_officer(request, authority_pk)
    table = retention.Table(authority)
    if request.method == "POST":
        form = RetentionRuleForm(request.POST)
        if form.is_valid() and attempt(request, lambda: services.rule_set(
                authority=authority, by=request.user, request=request, **form.cleaned_data), _("The rule is saved.")):
            return redirect(_retention_url(authority.pk))
    else:
        category = request.GET.get("category", RetentionRule.Category.IKO)
        if category not in RetentionRule.Category.values:
            category = RetentionRule.Category.IKO
        rule = table.rule(category, request.GET.get("case_type", "")[:100])
        form = RetentionRuleForm(initial={"category": category, "case_type": request.GET.get("case_type", "")[:100],
                                          "action": rule.action, "years": rule.years})
    context = {"authority": authority, "form": form, "preserved_by_law": retention.PRESERVED_BY_LAW,
               "crumbs": _trail(authority, (_("Change a rule"), request.path))}
    return render(request, "records/retention_rule.html", context)


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=pk)
    access.get_authority_for_officer(request, rule.authority_id)
    services.rule_remove(rule=rule, request=request)
    messages.success(request, _("The rule is back to the default."))
    return redirect(_retention_url(rule.authority_id))


@login_required
@require_POST
def run_now(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """The daily job, at once: what is due goes on the destruction list (nothing is deleted)."""
    authority = access.get_authority_for_officer(request, authority_pk)
    report = services.retention_run(authority=authority, request=request)
    messages.success(request, _("Checked: %(destroy)s record(s) added to the destruction list, %(handover)s "
                                     "student(s) due for hand-over.") % {"destroy": len(report.destroy),
                                                                         "handover": len(report.handovers)})
    return redirect(_retention_url(authority.pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def handover(request: HttpRequest, student_pk: int) -> HttpResponse:
    """A records officer: what a student's hand-over to the archive takes; make it (after a confirmation)."""
    student = access.get_student_for_handover(request, student_pk)
    authority = access.authority_of(student)
    if request.method == "POST":
        if attempt(request, lambda: services.handover_make(student=student, by=request.user, request=request),
                   _("The records are handed over. Download the package and deliver it to the archive.")):
            return redirect(_retention_url(authority.pk))
    records = [{"record": rec, "kind_label": kind_label(rec.kind)}
               for rec in retention.preserved_records(student, retention.Table(authority))]
    context = {"student": student, "authority": authority, "records": records,
               "done": getattr(student, "handover", None) if student.archived_on else None,
               "crumbs": _trail(authority, (_("Hand-over of %(name)s") % {"name": student.full_name},
                                            request.path))}
    return render(request, "records/handover.html", context)


@login_required
@require_GET
def handover_download(request: HttpRequest, pk: int) -> FileResponse:
    made = access.get_handover_for_officer(request, pk)
    name = f"avlevering-{made.pk}-{made.made_at:%Y-%m-%d}.zip"
    response = FileResponse(made.package.open("rb"), as_attachment=True, filename=name,
                            content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def destruction_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A records officer: the records on a list, by student; approve it (or hold a record back). An approved
    list shows its tombstones."""
    destruction = access.get_destruction_list_for_officer(request, pk)
    items = paginate(request, destruction.items.select_related("student__school"), per_page=100)
    page = list(items.page.object_list)
    for item in page:
        item.kind_label = kind_label(item.kind)
    log_students_listed(request, {item.student_id: item.student for item in page}.values(),
                        object_type="destruction_list", object_id=destruction.pk)
    awaiting = destruction.status == DestructionList.Status.AWAITING
    context = {"destruction": destruction, "items": items, "page": page, "awaiting": awaiting,
               "approve_form": ApproveForm(), "hold_form": HoldBackForm(),
               "count": destruction.items.filter(held_back=False).count(),
               "crumbs": _trail(destruction.authority, (str(destruction), request.path))}
    return render(request, "records/destruction_list.html", context)


@login_required
@require_POST
def destruction_approve(request: HttpRequest, pk: int) -> HttpResponse:
    destruction = access.get_destruction_list_for_officer(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the records are to be deleted."))
        return redirect("records:destruction_list", pk=destruction.pk)
    attempt(request, lambda: services.destruction_approve(destruction_list=destruction, by=request.user,
                                                          request=request),
            _("The list is approved and the records on it are deleted. What they were stays on the list."))
    return redirect("records:destruction_list", pk=destruction.pk)


@login_required
@require_POST
def item_hold_back(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_destruction_item_for_officer(request, pk)
    form = HoldBackForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(request, lambda: services.item_hold_back(item=item, reason=reason, request=request),
            _("The record is held back: it will not be destroyed."))
    return redirect("records:destruction_list", pk=item.destruction_list_id)



@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def authority_settings(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """A records officer: the authority's deadlines, complaint text and words for the free-text warning."""
    authority = access.get_authority_for_officer(request, authority_pk)
    if request.method == "POST":
        form = AuthoritySettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.settings_save(authority=authority, subject_deadline_days=data["subject_deadline_days"],
                                   other_deadline_days=data["other_deadline_days"],
                                   complaint_text=data["complaint_text"], words=form.words(), request=request)
            messages.success(request, _("The settings are saved."))
            return redirect("records:settings", authority_pk=authority.pk)
    else:
        form = AuthoritySettingsForm(initial=_settings_initial(authority))
    context = {"authority": authority, "form": form,
               "default_words": {code: words_for(code) for code, _name in settings.LANGUAGES},
               "crumbs": crumbs((_("Settings – %(name)s") % {"name": authority.name}, request.path))}
    return render(request, "records/settings.html", context)


def _settings_initial(authority) -> dict:
    row = RecordsSettings.objects.filter(authority=authority).first() or RecordsSettings(authority=authority)
    own = GuidanceWord.objects.filter(owner_name=authority.name).order_by("word")
    initial = {"subject_deadline_days": row.subject_deadline_days, "other_deadline_days": row.other_deadline_days,
               "complaint_text": str(row.complaint_text)}
    for code, _name in settings.LANGUAGES:
        initial[f"words_{code}"] = "\n".join(w.word for w in own if w.language == code)
    return initial
