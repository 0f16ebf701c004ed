"""Every record the app holds about a student, as the records duties see them.

`records` is the top floor: it reads every other app. Each kind is read with a fixed number of queries
(a student has at most dozens of records of a kind; never a query per row), and every record gets a stable
key "<kind>:<pk>" that a request's checklist item names it by. A record's texts are its sections, in a fixed
order (a reviewer's struck passage names the section by its index); only non-empty texts are sections.

Headings and titles are made in the active language: the review pages in the reader's, the package in the
school's (records.package renders inside translation.override(settings.LANGUAGE_CODE)).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import (
    Application,
    ApplicationComment,
    ApplicationSubject,
    DecidedSubject,
    Decision,
    DecisionCorrection,
)
from audit.models import AccessEvent
from audit.selectors import CONFIDENTIAL
from cases.models import Attachment, Case, EventVersion
from documents.models import Document
from followup.models import Measure, MeasureNote, Signal, Talk
from followup.models import Plan as IkoPlan
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject
from iop.pdfs import part1_texts


@dataclass(frozen=True)
class Section:
    """One text of a record, under its heading (what a reviewer may strike passages in)."""

    heading: str
    text: str


@dataclass(frozen=True)
class Record:
    key: str  # "<kind>:<pk>", stable: a request's checklist item names its record by it
    kind: str  # one of KINDS
    title: str
    dated: date | None
    sections: tuple[Section, ...] = ()  # the texts the app holds or generates
    file: FieldFile | None = None  # an uploaded PDF: released whole or withheld
    log_type: str = ""  # how opening it is logged (audit object_type, object_id)
    log_id: object = ""


# The kinds, in the order a student's records are listed.
KINDS = {
    "iop": gettext_lazy("IOP"),
    "application": gettext_lazy("Application for special education"),
    "application_snapshot": gettext_lazy("Approved application (PDF)"),
    "decision": gettext_lazy("Decision on special education"),
    "document": gettext_lazy("Uploaded document"),
    "iko_signal": gettext_lazy("IKO signal"),
    "iko_talk": gettext_lazy("IKO talk"),
    "iko_plan": gettext_lazy("IKO follow-up plan"),
    "person_case": gettext_lazy("Person case"),
    "case_attachment": gettext_lazy("Person case attachment"),
    "access_log": gettext_lazy("Access log"),
}

PERSON_CASE_LOG_TYPE = "person_case"  # cases.access.CASE: opening a case's record shows in its own history


# --- helpers ---

def _day(value) -> date | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo"):  # a datetime
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _shown(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _shown_time(value) -> str:
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")


def _person(user) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.username


def _lines(*lines) -> str:
    return "\n".join(str(line) for line in lines if line and str(line).strip())


def _sections(pairs: Iterable[tuple[str, str]]) -> tuple[Section, ...]:
    """Only non-empty texts become sections."""
    return tuple(Section(str(heading), str(text).strip()) for heading, text in pairs if text and str(text).strip())


def _record(kind: str, pk, title: str, dated, sections=(), *, file=None, log_type: str = "", log_id=None) -> Record:
    return Record(key=f"{kind}:{pk}", kind=kind, title=str(title), dated=_day(dated), sections=tuple(sections),
                  file=file, log_type=log_type or f"records:{kind}", log_id=pk if log_id is None else log_id)


def _label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


# --- the kinds ---

def _iop(student) -> list[Record]:
    subjects = PlanSubject.objects.select_related("subject").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("position", "pk"))).order_by("position", "pk")
    plans = (Plan.objects.filter(student=student).select_related("school_year")
             .prefetch_related(Prefetch("subjects", queryset=subjects),
                               Prefetch("annex_rows"),
                               Prefetch("log_entries", queryset=LogEntry.objects.select_related("created_by")
                                        .order_by("created_at", "pk")))
             .order_by("school_year__start_year", "pk"))
    records = []
    for plan in plans:
        pairs = [(_("Part 1 – %(label)s") % {"label": capfirst(str(label))}, text)
                 for label, text in part1_texts(plan)]
        for plan_subject in plan.subjects.all():
            name = plan_subject.subject.name
            for field in ("content", "extent", "organisation"):
                pairs.append((f"{name} – {_label(PlanSubject, field)}", getattr(plan_subject, field)))
            for number, goal in enumerate(plan_subject.goals.all(), start=1):
                for field in ("competence_goal", "learning_goal", "content"):
                    pairs.append((_("%(subject)s – goal %(number)s – %(label)s") % {
                        "subject": name, "number": number, "label": _label(Goal, field)},
                        getattr(goal, field)))
                if goal.reached:
                    pairs.append((_("%(subject)s – goal %(number)s – %(label)s") % {
                        "subject": name, "number": number, "label": _label(Goal, "reached")}, _("Yes")))
            if plan_subject.certificate_grade:
                pairs.append((f"{name} – {_label(PlanSubject, 'certificate_grade')}", _("Yes")))
            for period, label in (("half_year", _("half-year assessment")), ("annual", _("annual assessment"))):
                for field in ("development", "opportunities"):
                    pairs.append((f"{name} – {capfirst(label)} – {_label(PlanSubject, f'{period}_{field}')}",
                                  getattr(plan_subject, f"{period}_{field}")))
        for field in ("report_training", "report_assessment", "report_continued_need"):
            pairs.append((_("Annual report – %(label)s") % {"label": _label(Plan, field)},
                          getattr(plan, field)))
        for number, row in enumerate(plan.annex_rows.all(), start=1):
            pairs.append((_("Certificate annex – row %(number)s") % {"number": number}, _lines(
                f"{_label(AnnexRow, 'subject_topic')}: {row.subject_topic}",
                f"{_label(AnnexRow, 'extent')}: {row.extent}",
                f"{_label(AnnexRow, 'year')}: {row.year}",
                row.assessment)))
        for entry in plan.log_entries.all():
            pairs.append((_("Log – %(when)s – %(who)s") % {"when": _shown(_day(entry.created_at)),
                                                          "who": _person(entry.created_by)}, entry.text))
        records.append(_record("iop", plan.pk, _("IOP %(year)s") % {"year": plan.school_year}, plan.created_at,
                               _sections(pairs)))
    return records


def _applications(student) -> list[Record]:
    applications = (Application.objects.filter(student=student).select_related("school_year", "approved_by")
                    .prefetch_related(Prefetch("subjects", queryset=ApplicationSubject.objects
                                               .select_related("subject").order_by("subject__code")),
                                      Prefetch("comments", queryset=ApplicationComment.objects
                                               .select_related("by").order_by("at", "pk")))
                    .order_by("school_year__start_year", "pk"))
    records = []
    for application in applications:
        subjects = "\n".join(
            f"{s.subject.name} ({s.subject.code}): {s.extent}" + (f"; {s.organisation}" if s.organisation else "")
            for s in application.subjects.all())
        approval = ""
        if application.approved_at:
            approval = _lines(
                _("Approved by %(who)s, %(when)s") % {"who": _person(application.approved_by),
                                                       "when": _shown_time(application.approved_at)},
                _("Approved content (SHA-256): %(hash)s") % {"hash": application.approved_hash})
        pairs = [
            (_("Expert assessment"), _lines(
                f"{_label(Application, 'expert_assessment_date')}: {_shown(application.expert_assessment_date)}"
                if application.expert_assessment_date else "",
                f"{_label(Application, 'expert_assessment_by')}: {application.expert_assessment_by}"
                if application.expert_assessment_by else "",
                application.expert_assessment_summary)),
            (_label(Application, "student_goal"), application.student_goal),
            (_("Subjects applied for"), subjects),
            (_label(Application, "other_information"), application.other_information),
            (_label(Application, "status"), _lines(
                application.get_status_display(),
                _("Sent %(day)s") % {"day": _shown(application.sent_on)} if application.sent_on else "")),
            (_("Approval"), approval),
            *((_("Answer from %(who)s, %(when)s – %(kind)s") % {
                "who": _person(comment.by), "when": _shown_time(comment.at), "kind": comment.get_kind_display()},
               comment.text) for comment in application.comments.all()),
        ]
        title = _("Application for special education %(year)s") % {"year": application.school_year}
        records.append(_record("application", application.pk, title, application.created_at, _sections(pairs)))
        if application.snapshot:
            records.append(_record(
                "application_snapshot", application.pk,
                _("Approved application %(year)s (PDF)") % {"year": application.school_year},
                application.approved_at, file=application.snapshot))
    return records


def _decisions(student) -> list[Record]:
    decisions = (Decision.objects.filter(student=student).select_related("school_year")
                 .prefetch_related(Prefetch("subjects", queryset=DecidedSubject.objects
                                            .select_related("subject").order_by("subject__code")),
                                   Prefetch("corrections", queryset=DecisionCorrection.objects
                                            .select_related("by").order_by("at", "pk")))
                 .order_by("school_year__start_year", "pk"))
    records = []
    for decision in decisions:
        pairs = [
            (_label(Decision, "outcome"), decision.get_outcome_display()),
            (_label(Decision, "decided_on"), _shown(decision.decided_on)),
            (_label(Decision, "reference"), decision.reference),
            (_("Subjects"), "\n".join(
                f"{s.subject.name} ({s.subject.code})" + (f": {s.extent}" if s.extent else "")
                + (f"; {s.organisation}" if s.organisation else "") for s in decision.subjects.all())),
            *((_("Corrected by %(who)s, %(when)s") % {"who": _person(c.by), "when": _shown_time(c.at)}, _lines(
                f"{_label(DecisionCorrection, 'previous_outcome')}: {c.get_previous_outcome_display()}",
                f"{_label(DecisionCorrection, 'previous_decided_on')}: {_shown(c.previous_decided_on)}",
                f"{_label(DecisionCorrection, 'previous_reference')}: {c.previous_reference}"
                if c.previous_reference else "", c.reason)) for c in decision.corrections.all()),
        ]
        title = _("Decision on special education %(year)s") % {"year": decision.school_year}
        records.append(_record("decision", decision.pk, title, decision.decided_on, _sections(pairs)))
    return records


def _documents(student) -> list[Record]:
    documents = Document.objects.filter(student=student).order_by("uploaded_at", "pk")
    return [_record("document", document.pk, document.title, document.uploaded_at, file=document.file)
            for document in documents]


def _iko_signals(student) -> list[Record]:
    signals = (Signal.objects.filter(student=student).select_related("reported_by", "assessed_by")
               .order_by("found_on", "pk"))
    records = []
    for signal in signals:
        assessment = ""
        if signal.status != Signal.Status.NEW:
            assessment = _lines(
                signal.get_status_display(),
                _("Assessed by %(who)s, %(day)s") % {"who": _person(signal.assessed_by),
                                                      "day": _shown(signal.assessed_on)},
                signal.dismiss_reason)
        pairs = [
            (_label(Signal, "rule"), _lines(
                signal.get_rule_display(),
                _("Reported by %(who)s") % {"who": _person(signal.reported_by)} if signal.reported_by else "")),
            (_label(Signal, "evidence"), "\n".join(signal.evidence_lines())),
            (_label(Signal, "text"), signal.text),
            (_("Assessment"), assessment),
        ]
        title = _("IKO signal: %(rule)s") % {"rule": signal.get_rule_display()}
        records.append(_record("iko_signal", signal.pk, title, signal.found_on, _sections(pairs)))
    return records


def _iko_talks(student) -> list[Record]:
    talks = Talk.objects.filter(student=student).select_related("held_by").order_by("held_on", "pk")
    records = []
    for talk in talks:
        pairs = [
            (_label(Talk, "held_by"), _person(talk.held_by) if talk.held_by else ""),
            (_label(Talk, "participants"), talk.participants),
            (_label(Talk, "student_view"), talk.student_view),
            (_label(Talk, "causes"), ", ".join(str(label) for label in talk.cause_labels())),
            (_label(Talk, "wishes"), talk.wishes),
            (_label(Talk, "notes"), talk.notes),
        ]
        title = f"{talk.get_kind_display()} {_shown(talk.held_on)}"
        records.append(_record("iko_talk", talk.pk, title, talk.held_on, _sections(pairs)))
    return records


def _iko_plans(student) -> list[Record]:
    measures = Measure.objects.select_related("evaluator").prefetch_related(
        "responsible", Prefetch("notes", queryset=MeasureNote.objects.select_related("written_by")
                                .order_by("written_at", "pk"))).order_by("starts_on", "pk")
    plans = (IkoPlan.objects.filter(student=student).select_related("school_year")
             .prefetch_related(Prefetch("measures", queryset=measures)).order_by("created_at", "pk"))
    records = []
    for plan in plans:
        pairs = [(_label(IkoPlan, "status"), plan.get_status_display()),
                 (_("Guardians informed"), _lines(
                     _shown(plan.guardians_informed_on), plan.guardians_informed_how))]
        for number, measure in enumerate(plan.measures.all(), start=1):
            heading = _("Measure %(number)s – %(challenge)s") % {"number": number,
                                                                   "challenge": measure.get_challenge_display()}
            pairs.append((heading, _lines(
                measure.approach,
                f"{_label(Measure, 'extent')}: {measure.extent}" if measure.extent else "",
                f"{_shown(measure.starts_on)} – {_shown(measure.ends_on)}",
                f"{_label(Measure, 'responsible')}: " + ", ".join(_person(u) for u in measure.responsible.all())
                if measure.responsible.all() else "")))
            for note in measure.notes.all():
                pairs.append((_("Measure %(number)s – follow-up %(when)s, %(who)s") % {
                    "number": number, "when": _shown(_day(note.written_at)), "who": _person(note.written_by)},
                    note.text))
            if measure.evaluation:
                pairs.append((_("Measure %(number)s – evaluation") % {"number": number}, _lines(
                    _person(measure.evaluator) if measure.evaluator else "", measure.evaluation)))
        pairs.append((_label(IkoPlan, "outcome"), _lines(
            plan.get_outcome_display() if plan.outcome else "",
            _shown(plan.evaluated_on), plan.outcome_note)))
        title = _("IKO follow-up plan %(year)s") % {"year": plan.school_year}
        records.append(_record("iko_plan", plan.pk, title, plan.created_at, _sections(pairs)))
    return records


def _person_cases(student) -> list[Record]:
    cases = list(Case.objects.filter(card__student=student).select_related("case_type", "handler", "closed_by")
                 .order_by("opened_on", "pk"))
    if not cases:
        return []
    versions = (EventVersion.objects.filter(event__case__in=cases).select_related("event")
                .order_by("event__created_at", "event_id", "number"))
    current = {}  # event id → its newest version, in journal order
    for version in versions:
        current[version.event_id] = version
    events_of = defaultdict(list)
    for version in current.values():
        events_of[version.event.case_id].append(version)
    records = []
    for case in cases:
        pairs = [(_label(Case, "case_type"), case.case_type.name),
                 (_label(Case, "category"), case.get_category_display()),
                 (_label(Case, "description"), case.description),
                 (_label(Case, "handler"), _person(case.handler))]
        for number, version in enumerate(events_of[case.pk], start=1):
            heading = _("Event %(number)s – %(day)s – %(category)s") % {
                "number": number, "day": _shown(version.occurred_on), "category": version.get_category_display()}
            pairs.append((heading, _lines(version.title, version.text)))
        if case.closing_note:
            pairs.append((_label(Case, "closing_note"), _lines(
                _("Closed %(day)s by %(who)s") % {"day": _shown(case.closed_on), "who": _person(case.closed_by)},
                case.closing_note)))
        title = _("Person case %(number)s: %(type)s") % {"number": case.pk, "type": case.case_type.name}
        records.append(_record("person_case", case.pk, title, case.opened_on, _sections(pairs),
                               log_type=PERSON_CASE_LOG_TYPE, log_id=case.pk))
    return records


def _case_attachments(student) -> list[Record]:
    attachments = (Attachment.objects.filter(event__case__card__student=student).select_related("event")
                   .order_by("event__case_id", "uploaded_at", "pk"))
    return [_record("case_attachment", attachment.pk,
                    _("Person case %(number)s – %(title)s") % {"number": attachment.event.case_id,
                                                               "title": attachment.title},
                    attachment.uploaded_at, file=attachment.file, log_type=PERSON_CASE_LOG_TYPE,
                    log_id=attachment.event.case_id)
            for attachment in attachments]


def _access_log(student, confidential: bool = True) -> list[Record]:
    """One record: every access event about the student, person-case events included (the officer sees all).
    A section per calendar year, a line per event, oldest first; the events that would reveal a person case
    (audit.selectors.CONFIDENTIAL) in a section of their own per year, so that the reviewer sees them apart
    and can strike them (releasing them tells the requester that a case exists)."""
    events = AccessEvent.objects.filter(student=student)
    if not confidential:
        events = events.exclude(CONFIDENTIAL)
    events = (events.annotate(confidential=ExpressionWrapper(CONFIDENTIAL, output_field=BooleanField()))
              .select_related("user").order_by("at", "pk"))
    by_year = defaultdict(list)
    last = None
    for event in events:
        at = timezone.localtime(event.at) if timezone.is_aware(event.at) else event.at
        who = (event.user.get_full_name() if event.user else "") or event.username or "–"
        if event.user and event.username and who != event.username:
            who = f"{who} ({event.username})"
        what = f"{event.object_type} {event.object_id}".strip()
        line = f"{at:%Y-%m-%d %H:%M} · {who} · {event.get_action_display()} · {what}"
        by_year[(at.year, bool(event.confidential))].append(line + (f" · {event.detail}" if event.detail else ""))
        last = at
    pairs = [((_("Access log %(year)s – person cases") if confidential else _("Access log %(year)s"))
              % {"year": year}, "\n".join(lines))
             for (year, confidential), lines in sorted(by_year.items())]
    return [_record("access_log", student.pk, _("Access log (who has seen the student's records)"), last,
                    _sections(pairs))]


COLLECTORS: dict[str, Callable] = {
    "iop": _iop,
    "application": _applications,  # also the approved snapshots (application_snapshot)
    "decision": _decisions,
    "document": _documents,
    "iko_signal": _iko_signals,
    "iko_talk": _iko_talks,
    "iko_plan": _iko_plans,
    "person_case": _person_cases,
    "case_attachment": _case_attachments,
    "access_log": _access_log,
}
_COLLECTOR_OF = {"application_snapshot": "application"}


# What an adult student's own dossier leaves out: person cases are released only after a secrecy review
# (an access request), and the log lines that would tell that one exists go with them.
CONFIDENTIAL_KINDS = {"person_case", "case_attachment"}


def records_of(student, *, confidential: bool = True) -> list[Record]:
    """Every record of the student across the apps, in a stable order: by kind (KINDS), then by date and pk.
    Without `confidential`, person cases and the log lines about them are left out."""
    found = [record for kind, collector in COLLECTORS.items() if confidential or kind not in CONFIDENTIAL_KINDS
             for record in (collector(student) if kind != "access_log" else _access_log(student, confidential))]
    order = list(KINDS)
    return sorted(found, key=lambda record: order.index(record.kind))  # stable: keeps each kind's own order


def record_for(student, key: str) -> Record | None:
    """The one record with that key, or None (reads only the records of its kind)."""
    kind = key.partition(":")[0]
    collector = COLLECTORS.get(_COLLECTOR_OF.get(kind, kind))
    if collector is None:
        return None
    return next((record for record in collector(student) if record.key == key), None)
