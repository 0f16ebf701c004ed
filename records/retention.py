"""Retention: how long each kind of record is kept after the student leaves, and what is due today.

Each kind of record falls under a category of the retention table (RetentionRule.Category); an authority's
rule for a category is its own row, or the default below. A rule counts whole years from the day the student
left the school (Student.left_on, set by the roster import). What is due ends in one of two ways:
- **preserve**: the student's preserved records are handed over to the archive in one package, after which
  they are read-only (records.services.handover_make). Special-education records (the expert assessment, the
  decision, the IOP with its assessments) are preserved by law (Riksarkivarens forskrift § 7-28): their rule
  may change its years, never its action.
- **destroy**: the record goes on the authority's destruction list, and is deleted only when a records officer
  approves the list (records.services.destruction_approve). Computing what is due never deletes anything.

The access log is a record of its own: its events from before the due day are what is destroyed; those
written since (the hand-over, the destruction itself) stay until their own time comes.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Student
from applications.models import Application, Decision
from audit.models import AccessEvent
from cases.models import Attachment, Case
from documents.models import Document
from iop.models import Plan

from . import collect
from .access import schools_of
from .models import DestructionItem, RetentionRule

C, A = RetentionRule.Category, RetentionRule.Action

# The defaults of the retention table: (action, years after the student leaves).
DEFAULTS = {
    C.IOP: (A.PRESERVE, 5),
    C.APPLICATION: (A.PRESERVE, 5),
    C.DECISION: (A.PRESERVE, 5),
    C.DOCUMENT: (A.PRESERVE, 5),
    C.IKO: (A.DESTROY, 3),
    C.PERSON_CASE: (A.PRESERVE, 5),  # per case type: a type the authority does not destroy is preserved
    C.ACCESS_LOG: (A.DESTROY, 5),
}
PRESERVED_BY_LAW = {C.IOP, C.APPLICATION, C.DECISION}
DESTROY_ONLY = {C.ACCESS_LOG}  # the access log is never handed over: the archive gets the records, not the reads

CATEGORY_OF_KIND = {
    "iop": C.IOP,
    "application": C.APPLICATION,
    "application_snapshot": C.APPLICATION,
    "decision": C.DECISION,
    "document": C.DOCUMENT,
    "iko_signal": C.IKO,
    "iko_talk": C.IKO,
    "iko_plan": C.IKO,
    "person_case": C.PERSON_CASE,
    "case_attachment": C.PERSON_CASE,
    "access_log": C.ACCESS_LOG,
}
KINDS_OF_CATEGORY = {category: [k for k, c in CATEGORY_OF_KIND.items() if c == category] for category in C}


@dataclass(frozen=True)
class Rule:
    category: str
    case_type: str
    action: str
    years: int
    pk: int | None = None  # the authority's own row; None: the default

    @property
    def own(self) -> bool:
        return self.pk is not None

    @property
    def preserve(self) -> bool:
        return self.action == A.PRESERVE

    @property
    def label(self) -> str:
        return str(C(self.category).label)

    @property
    def action_label(self) -> str:
        return str(A(self.action).label)

    def describe(self) -> str:
        what = self.label + (f" ({self.case_type})" if self.case_type else "")
        then = (_("hand over to the archive %(years)s years after the student leaves") if self.preserve
                else _("destroy %(years)s years after the student leaves")) % {"years": self.years}
        return f"{what}: {then}"


class Table:
    """An authority's retention table: its own rules over the defaults."""

    def __init__(self, authority):
        self.authority = authority
        rows = list(RetentionRule.objects.filter(authority=authority))
        self.own = {(row.category, row.case_type): row for row in rows}

    def rule(self, category: str, case_type: str = "") -> Rule:
        row = self.own.get((category, case_type)) if case_type else None
        row = row or self.own.get((category, ""))
        if row is not None:
            return Rule(category, row.case_type, row.action, row.years, pk=row.pk)
        action, years = DEFAULTS[C(category)]
        return Rule(category, "", action, years)

    def rules_of(self, category: str) -> list[Rule]:
        """The category's rule, then (person cases) each case type's own rule."""
        by_type = [self.rule(category, case_type) for (cat, case_type) in sorted(self.own)
                   if cat == category and case_type]
        return [self.rule(category), *by_type]

    def rows(self) -> list[Rule]:
        """The table as the officer reads it: every category, then the per-case-type rules."""
        return [self.rule(category) for category in C] + self.rules_of(C.PERSON_CASE)[1:]

    def shortest_years(self) -> int:
        return min(rule.years for rule in self.rows())


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Due:
    student: Student
    record: collect.Record
    rule: Rule
    due_on: date


def _case_types(student, records: list[collect.Record]) -> dict[str, str]:
    """The case type of each person-case record (an attachment's is its case's), by record key."""
    case_ids = [int(r.key.partition(":")[2]) for r in records if r.kind == "person_case"]
    attachment_ids = [int(r.key.partition(":")[2]) for r in records if r.kind == "case_attachment"]
    types = {f"person_case:{pk}": name for pk, name in
             Case.objects.filter(pk__in=case_ids).values_list("pk", "case_type__name")}
    types.update({f"case_attachment:{pk}": name for pk, name in
                  Attachment.objects.filter(pk__in=attachment_ids).values_list("pk", "event__case__case_type__name")})
    return types


def _log_due(student, due_on: date) -> bool:
    """The access log is due only while it holds events from before its due day."""
    return AccessEvent.objects.filter(student=student, at__lt=start_of(due_on)).exists()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_for_student(student: Student, table: Table, today: date) -> list[Due]:
    """The student's records whose time has come under the table; preserved records only until the hand-over."""
    if student.left_on is None:
        return []
    due_categories = {category for category in C
                      if years_after(student.left_on, min(r.years for r in table.rules_of(category))) <= today}
    if student.archived_on is not None:
        due_categories = {c for c in due_categories if any(not r.preserve for r in table.rules_of(c))}
    kinds = {kind for category in due_categories for kind in KINDS_OF_CATEGORY[category]}
    records = [r for r in collect.records_of(student) if r.kind in kinds] if kinds else []
    case_types = _case_types(student, records)
    found = []
    for record in records:
        rule = table.rule(CATEGORY_OF_KIND[record.kind], case_types.get(record.key, ""))
        due_on = years_after(student.left_on, rule.years)
        if due_on > today or (rule.preserve and student.archived_on is not None):
            continue
        if record.kind == "access_log" and not _log_due(student, due_on):
            continue
        found.append(Due(student, record, rule, due_on))
    return found


def students_to_check(authority, table: Table, today: date):
    """Students of the authority's schools who left long enough ago for the shortest rule."""
    latest_left = years_after(today, -table.shortest_years())
    return (Student.objects.filter(school__in=schools_of(authority), left_on__isnull=False,
                                   left_on__lte=latest_left)
            .select_related("school").order_by("left_on", "pk"))


@dataclass
class Report:
    """What is due for one authority today."""

    handovers: dict  # student → [Due] of records to preserve (the student's hand-over is due)
    destroy: list  # [Due] not yet on a destruction list
    on_list: int  # due records already on the awaiting list or held back


def due_report(authority, today: date | None = None) -> Report:
    today = today or timezone.localdate()
    table = Table(authority)
    listed = set(DestructionItem.objects.filter(
        destruction_list__authority=authority, destroyed_at__isnull=True).values_list("key", flat=True))
    report = Report(handovers={}, destroy=[], on_list=0)
    for student in students_to_check(authority, table, today):
        for due in due_for_student(student, table, today):
            if due.rule.preserve:
                report.handovers.setdefault(student, []).append(due)
            elif due.record.key in listed:
                report.on_list += 1
            else:
                report.destroy.append(due)
    return report


def preserved_records(student: Student, table: Table) -> list[collect.Record]:
    """Every record of the student that its rule preserves: what a hand-over takes."""
    records = collect.records_of(student)
    case_types = _case_types(student, records)
    return [r for r in records
            if table.rule(CATEGORY_OF_KIND[r.kind], case_types.get(r.key, "")).preserve]


def handover_candidates(authority, today: date | None = None):
    """Students of the authority's schools, not yet handed over, who left long enough ago for the shortest
    preserve rule and have an IOP, application, decision or document: what the officer's page lists (cheap:
    one query; records.services.handover_make checks the student's records exactly)."""
    today = today or timezone.localdate()
    table = Table(authority)
    years = min([rule.years for rule in table.rows() if rule.preserve] or [0])
    has_records = (Exists(Plan.objects.filter(student=OuterRef("pk")))
                   | Exists(Application.objects.filter(student=OuterRef("pk")))
                   | Exists(Decision.objects.filter(student=OuterRef("pk")))
                   | Exists(Document.objects.filter(student=OuterRef("pk"))))
    return (Student.objects.filter(school__in=schools_of(authority), archived_on__isnull=True,
                                   left_on__isnull=False, left_on__lte=years_after(today, -years))
            .filter(has_records).select_related("school").order_by("left_on", "last_name", "first_name", "pk"))
