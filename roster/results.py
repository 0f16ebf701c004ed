"""Our three result files (docs/roster.md): grades, absence and admissions, checked row by row."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import Absence, Admission, Grade
from accounts.models import SchoolYear

from .oneroster import DELETED, parse_date, rows_by_id
from .reading import Export, Problems, Row

REQUIRED_COLUMNS = {
    "grades.csv": ["studentSourcedId", "schoolYear", "subjectCode", "term", "grade"],
    "absence.csv": ["studentSourcedId", "periodStart", "periodEnd", "kind", "percent"],
    "admissions.csv": ["studentSourcedId", "schoolYear", "gradeAverage", "choice"],
}
KINDS = {kind.value: kind.value for kind in Absence.Kind}
TERMS = {term.value.lower(): term.value for term in Grade.Term}
CHOICES = {"first": Admission.Choice.FIRST, "førsteønske": Admission.Choice.FIRST,
           "lower": Admission.Choice.LOWER, "lavere": Admission.Choice.LOWER}


@dataclass
class Results:
    """Rows by student sourcedId; each keyed so a file listing a result twice is caught."""

    grades: dict[tuple, str] = field(default_factory=dict)  # (student, code, year, term) → grade
    absence: dict[tuple, tuple] = field(default_factory=dict)  # (student, start, end, code, kind) → (%, days, hours)
    admissions: dict[tuple, tuple] = field(default_factory=dict)  # (student, year) → (average, choice)
    lines: dict[tuple, tuple[str, int]] = field(default_factory=dict)  # key → (file, line), for later problems

    @property
    def students(self) -> set[str]:
        return {key[0] for rows in (self.grades, self.absence, self.admissions) for key in rows}

    def __bool__(self):
        return bool(self.grades or self.absence or self.admissions)


def read_results(export: Export, problems: Problems) -> Results:
    results = Results()
    readers = {"grades.csv": _grade, "absence.csv": _absence, "admissions.csv": _admission}
    for name, read_row in readers.items():
        table = export.tables.get(name)
        if table is None:
            continue
        missing = [column for column in REQUIRED_COLUMNS[name] if column not in table.columns]
        for column in missing:
            problems.add(name, 1, _("the column %(column)s is missing.") % {"column": column})
        if missing:
            continue
        for row in table.rows:
            if row["status"].lower() == DELETED:
                continue
            check = _Check(name, row, problems)
            parsed = read_row(row, check)
            if check.fine:
                _add(results, name, row, parsed, problems)
    if "results.csv" in export.tables:
        _gradebook(export, results, problems)
    return results


GRADEBOOK_NEEDS = ("lineItems.csv", "categories.csv", "classes.csv", "courses.csv", "academicSessions.csv")


def _gradebook(export: Export, results: Results, problems: Problems) -> None:
    """OneRoster's gradebook: a result whose line item's category is a term (T1, T2, standpunkt…) is a grade."""
    missing = [name for name in GRADEBOOK_NEEDS if name not in export.tables]
    if missing:
        problems.add("results.csv", None, _("results.csv needs %(names)s too.") % {"names": ", ".join(missing)})
        return
    terms = {key: TERMS.get(row["title"].lower()) for key, row in rows_by_id(export, "categories.csv", problems).items()}
    codes = {key: row["courseCode"] for key, row in rows_by_id(export, "courses.csv", problems).items()}
    classes = rows_by_id(export, "classes.csv", problems)
    years = {key: SchoolYear.start_year_of(start) for key, row in rows_by_id(export, "academicSessions.csv", problems)
             .items() if (start := parse_date(row["startDate"]))}
    items = {}
    for key, item in rows_by_id(export, "lineItems.csv", problems).items():
        klass = classes.get(item["classSourcedId"])
        if terms.get(item["categorySourcedId"]) and klass is not None:
            first_term = (klass["termSourcedIds"].split(",") or [""])[0].strip()
            year = years.get(item["gradingPeriodSourcedId"]) or years.get(first_term)
            items[key] = (codes.get(klass["courseSourcedId"]), year, terms[item["categorySourcedId"]])
    for row in export.tables["results.csv"].rows:
        item = items.get(row["lineItemSourcedId"])
        if item is None or row["status"].lower() == DELETED:
            continue  # not a term grade (a test, homework…)
        check = _Check("results.csv", row, problems)
        grade = _score(row["score"])
        if grade is None:
            check.fail(_("score %(value)s is not a grade 1–6 or IV.") % {"value": row["score"]})
        if None in item:
            check.fail(_("line item %(id)s has no subject code or school year.") % {"id": row["lineItemSourcedId"]})
        if check.fine:
            _add(results, "results.csv", row, ("grades", (row["studentSourcedId"], *item), grade), problems)


def _score(text: str) -> str | None:
    """A OneRoster score as a grade: "4", "4.0" or "IV"."""
    value = text.strip().upper().removesuffix(".0").removesuffix(",0")
    return value if value in Grade.GRADES else None


class _Check:
    """Parses one row's fields, noting each problem with the file and line."""

    def __init__(self, name: str, row: Row, problems: Problems):
        self.name, self.row, self.problems, self.fine = name, row, problems, True

    def fail(self, message: str) -> None:
        self.problems.add(self.name, self.row.line, message)
        self.fine = False

    def student(self) -> str:
        value = self.row["studentSourcedId"]
        if not value:
            self.fail(_("studentSourcedId is empty."))
        return value

    def school_year(self) -> int | None:
        value = self.row["schoolYear"]
        match = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{4})", value)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            self.fail(_("schoolYear %(value)s is not a school year like 2026/2027.") % {"value": value})
            return None
        return int(match.group(1))

    def date(self, column: str) -> date | None:
        value = parse_date(self.row[column])
        if value is None:
            self.fail(_("%(column)s %(value)s is not a date.") % {"column": column, "value": self.row[column]})
        return value

    def number(self, column: str, *, low: Decimal, high: Decimal, places: int,
               required: bool = True) -> Decimal | None:
        text = self.row[column].replace(",", ".").replace(" ", "")
        if not text and not required:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not low <= value <= high:
            self.fail(_("%(column)s %(value)s is not a number from %(low)s to %(high)s.")
                      % {"column": column, "value": self.row[column], "low": low, "high": high})
            return None
        # Rounded as the database column stores it, so the next import compares equal (and SQLite and
        # PostgreSQL, which round halves differently, store the same value).
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def choice(self, column: str, choices: dict) -> str | None:
        value = choices.get(self.row[column].lower())
        if value is None:
            self.fail(_("%(column)s %(value)s is not one of %(choices)s.")
                      % {"column": column, "value": self.row[column], "choices": ", ".join(choices)})
        return value


def _grade(row: Row, check: _Check):
    grade = row["grade"].upper()
    if grade not in Grade.GRADES:
        check.fail(_("grade %(value)s is not 1–6 or IV.") % {"value": row["grade"]})
    code = row["subjectCode"]
    if not code:
        check.fail(_("subjectCode is empty."))
    key = (check.student(), code, check.school_year(), check.choice("term", TERMS))
    return "grades", key, grade


def _absence(row: Row, check: _Check):
    start, end = check.date("periodStart"), check.date("periodEnd")
    if start and end and end < start:
        check.fail(_("the period ends before it starts."))
    key = (check.student(), start, end, row["subjectCode"], check.choice("kind", KINDS))
    value = (check.number("percent", low=Decimal(0), high=Decimal(100), places=2),
             check.number("days", low=Decimal(0), high=Decimal(366), places=1, required=False),
             check.number("hours", low=Decimal(0), high=Decimal(9999), places=1, required=False))
    return "absence", key, value


def _admission(row: Row, check: _Check):
    key = (check.student(), check.school_year())
    value = (check.number("gradeAverage", low=Decimal(1), high=Decimal(6), places=2), check.choice("choice", CHOICES))
    return "admissions", key, value


def _add(results: Results, name: str, row: Row, parsed, problems: Problems) -> None:
    kind, key, value = parsed
    rows = getattr(results, kind)
    full_key = (kind, *key)
    if full_key in results.lines:
        problems.add(name, row.line, _("the same result appears twice (first on line %(first)d).")
                     % {"first": results.lines[full_key][1]})
        return
    rows[key] = value
    results.lines[full_key] = (name, row.line)
