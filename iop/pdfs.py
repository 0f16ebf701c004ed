"""The IOP's generated documents: the plan, the half-year assessment, the annual report, the annex.

Each is rendered in the school's language, whatever the reader's UI language,
and outside any transaction (documents.pdf.render_pdf is slow).
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from documents.pdf import render_pdf

from . import notation, progress, selectors
from .models import Goal, Plan

PART1_TEXTS = [
    "basis_documents", "mapping_academic", "mapping_social", "goal_text", "long_term_plan", "extended_time",
    "framework_factors", "partners_internal", "partners_external", "other", "evaluation_time",
]


def _context(plan: Plan, **extra) -> dict:
    subjects = plan.subjects.select_related("subject").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("position", "pk"))
    )
    return {
        "plan": plan, "student": plan.student, "school": plan.student.school, "school_year": plan.school_year,
        "subjects": subjects, **extra,
    }


def _render(template: str, context: dict) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template, context)


def part1_texts(plan: Plan) -> list[tuple[str, str]]:
    """(label, text) of part 1's free-text fields, in the seed's order."""
    return [(Plan._meta.get_field(name).verbose_name, getattr(plan, name)) for name in PART1_TEXTS]


def plan_pdf(plan: Plan) -> bytes:
    context = _context(plan, part1=part1_texts(plan))
    context["subjects"] = progress.with_published_progress(plan, context["subjects"])
    return _render("pdf/iop_plan.html", context)


def half_year_pdf(plan: Plan) -> bytes:
    return _render("pdf/iop_half_year.html", _context(plan))


def annual_report_pdf(plan: Plan) -> bytes:
    return _render("pdf/iop_annual_report.html", _context(plan))


def annex_pdf(plan: Plan) -> bytes:
    is_draft = plan.stage < Plan.Stage.ANNUAL_REPORT
    notations = selectors.certificate_rows(plan)
    remarks = notation.certificate_remarks(note for _subject, note, _year in notations)
    return _render("pdf/iop_annex.html", _context(plan, rows=plan.annex_rows.all(), is_draft=is_draft,
                                                   notations=notations, remarks=remarks))


def download_title(plan: Plan, label: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{label} {plan.student.full_name} {plan.school_year.start_year}-{plan.school_year.start_year + 1}"
