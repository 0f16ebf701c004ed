"""The texts whose versions are kept: which model, which fields, and the version that guards their saves.

A text is what one form saves at once (part 1, one goal, one assessment…). Only these fields are copied
into the history tables (models.py), so a history row holds a person's text, who saved it and when — not
stages, flags or positions, and a new non-text field on an IOP model needs no history migration.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationSubject
from iop.forms import GOAL_TEXTS, PART1_TEXTS, REPORT_TEXTS
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject

SUBJECT_TEXTS = ["content", "extent", "organisation"]
HALF_YEAR_TEXTS = ["half_year_development", "half_year_opportunities"]
ANNUAL_TEXTS = ["annual_development", "annual_opportunities"]
LOG_TEXTS = ["text"]
ANNEX_TEXTS = ["subject_topic", "year", "assessment"]
APPLICATION_TEXTS = ["expert_assessment_by", "expert_assessment_summary", "student_goal", "other_information"]
APPLICATION_SUBJECT_TEXTS = ["extent", "organisation"]


@dataclass(frozen=True)
class Text:
    kind: str  # in the URL
    model: type
    fields: tuple[str, ...]
    object_type: str  # how the access log names it (audit.labels)
    label: object
    page: tuple[str, str]  # where the text is shown, to go back to: the view, and the attribute giving its pk
    # The optimistic-locking counter its saves go through (iop.services.versioned_update). Texts without
    # one (annex rows, subject rows, the application) are saved by plain forms; a restore of one checks
    # the text's newest history row instead (history.services.text_restore).
    version_field: str | None = None
    changed_by: str | None = None  # a field naming who saved last, set on a restore too


TEXTS = {text.kind: text for text in [
    Text("del1", Plan, tuple(PART1_TEXTS), "iop", _("Part 1"), ("iop:plan_detail", "pk"), "part1_version"),
    Text("arsrapport", Plan, tuple(REPORT_TEXTS), "iop_report", _("Annual report"), ("iop:plan_detail", "pk"),
         "report_version"),
    Text("fag", PlanSubject, tuple(SUBJECT_TEXTS), "plan_subject", _("Special-education subject"),
         ("iop:plan_detail", "plan_id")),
    Text("halvar", PlanSubject, tuple(HALF_YEAR_TEXTS), "assessment", _("Half-year assessment"),
         ("iop:subject_detail", "pk"), "half_year_version"),
    Text("ar", PlanSubject, tuple(ANNUAL_TEXTS), "assessment", _("Annual assessment"), ("iop:subject_detail", "pk"),
         "annual_version"),
    Text("mal", Goal, tuple(GOAL_TEXTS), "goal", _("Competence goal"), ("iop:subject_detail", "plan_subject_id"),
         "version"),
    Text("logg", LogEntry, tuple(LOG_TEXTS), "iop_log", _("Log entry"), ("iop:plan_detail", "plan_id"), "version",
         changed_by="changed_by"),
    Text("vedlegg", AnnexRow, tuple(ANNEX_TEXTS), "iop_annex", _("Annex row"), ("iop:annex", "plan_id")),
    Text("soknad", Application, tuple(APPLICATION_TEXTS), "application", _("Application"),
         ("applications:application_detail", "pk")),
    Text("soknadsfag", ApplicationSubject, tuple(APPLICATION_SUBJECT_TEXTS), "application",
         _("Subject applied for"), ("applications:application_detail", "application_id")),
]}

# What each history table keeps besides the texts: the parent that leads to the student (for the
# retention erase and the access check of a deleted row's siblings), and the version counters.
ANCHORS = {
    Plan: ["student", "part1_version", "report_version"],
    PlanSubject: ["plan", "subject", "half_year_version", "annual_version"],
    Goal: ["plan_subject", "version"],
    LogEntry: ["plan", "version"],
    AnnexRow: ["plan"],
    Application: ["student"],
    ApplicationSubject: ["application", "subject"],
}


def tracked_fields(model) -> set[str]:
    texts = {name for text in TEXTS.values() if text.model is model for name in text.fields}
    return texts | set(ANCHORS[model])


def application_of(instance) -> Application | None:
    """The application a text belongs to (an application's own, or a subject applied for), else None: such a
    text changes only while the application may be edited."""
    if isinstance(instance, ApplicationSubject):
        return instance.application
    return instance if isinstance(instance, Application) else None
