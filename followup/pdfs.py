"""The IKO follow-up plan as a PDF, for the meeting with the student and the guardians (seed 002's
"Mal for kartlegging og oppfølgingsplan"): the mapping, the measures, the guardians informed, the outcome.

Rendered in the school's language, whatever the reader's UI language, and outside any transaction
(documents.pdf.render_pdf is slow). The talks' own notes stay out: the family reads this document.
"""

from django.conf import settings
from django.utils import timezone, translation

from documents.pdf import render_pdf

from .models import Plan


def plan_context(plan: Plan) -> dict:
    """What pdf/iko_plan.html shows: the plan, its measures, and the talks of the plan's school year."""
    student = plan.student
    measures = plan.measures.select_related("evaluator").prefetch_related("responsible")
    talks = student.iko_talks.filter(school_year=plan.school_year).order_by("held_on", "pk")
    return {"plan": plan, "student": student, "school": student.school, "school_year": plan.school_year,
            "measures": measures, "talks": talks}


def plan_pdf(plan: Plan) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("pdf/iko_plan.html", plan_context(plan))


def referral_pdf(plan: Plan, *, note: str) -> bytes:
    """The mapping and the plan as they stand when it ends in a referral: attached to the draft application.

    Rendered before the plan is evaluated (the rendering is slow and stays outside the transaction),
    with the outcome it is about to get.
    """
    ending = Plan.objects.select_related("student__school", "school_year").get(pk=plan.pk)
    ending.outcome, ending.outcome_note, ending.status = Plan.Outcome.REFERRAL, note, Plan.Status.EVALUATED
    ending.evaluated_on = timezone.localdate()
    return plan_pdf(ending)


def download_title(plan: Plan) -> str:
    """The file's name: the document, the student, the school year (documents.downloads makes it safe)."""
    with translation.override(settings.LANGUAGE_CODE):
        year = plan.school_year.start_year
        return f"{translation.gettext('Follow-up plan')} {plan.student.full_name} {year}-{year + 1}"
