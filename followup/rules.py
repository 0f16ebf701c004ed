"""The IKO model's identification rules (seed 002): which students the school should look at, and why.

`find_signals` evaluates every rule for the students of one school and creates a `Signal` for each
finding it has not made before. A finding is (student, school year, rule, key): running the rules
again finds the same things again, not anew (the conditional unique constraint `signal_found_once`
holds it in the database too). Each signal keeps a snapshot of what matched, as it was then.

Everything is read per school in a handful of bulk queries and compared in Python.
"""

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache, partial
from typing import Callable, NamedTuple

from django.db.models import Q
from django.utils import timezone

from accounts.models import School, SchoolYear, Student
from roster.models import Absence, Admission, Grade

from .models import RuleSettings, Signal

AUTOMATIC_RULES = (
    Signal.Rule.FIRST_CHOICE_AVERAGE,
    Signal.Rule.LOWER_CHOICE_AVERAGE,
    Signal.Rule.CORE_GRADE,
    Signal.Rule.ABSENCE,
    Signal.Rule.LOW_GRADE,
    Signal.Rule.ABSENCE_TREND,
    Signal.Rule.GRADE_TREND,
)

# The terms whose 1 or IV counts at the start of Vg2 and Vg3 (seed 002: "T2/standpunkt/eksamen").
LATER_TERMS = (Grade.Term.T2, Grade.Term.FINAL, Grade.Term.EXAM)
NUMERIC_GRADES = {str(n): n for n in range(1, 7)}

_LEADING_DIGIT = re.compile(r"\s*([0-9])")


def vg_level(student) -> int | None:
    """The student's level in upper secondary (1, 2 or 3).

    From the year of schooling the roster import brings (11–13), else from the leading digit of the
    group: 1STA is Vg1, 2STB Vg2, 3STC Vg3. None at a school that is not upper secondary, or when
    neither says 1–3: then no level-bound rule applies.
    `student` is a Student, or anything with `.group`, `.grade_level` and `.school`.
    """
    if student.school.kind != School.Kind.UPPER_SECONDARY:
        return None
    if student.grade_level is not None:
        return student.grade_level - 10 if student.grade_level in (11, 12, 13) else None
    match = _LEADING_DIGIT.match(student.group or "")
    level = int(match.group(1)) if match else None
    return level if level in (1, 2, 3) else None


class _Student(NamedTuple):
    pk: int
    group: str
    grade_level: int | None
    school: School


class _Finding(NamedTuple):
    student_id: int
    rule: str
    key: str
    # Built only for a new finding: a second run finds nearly everything again.
    evidence: Callable[[], dict]


def find_signals(*, school: School, today: date | None = None) -> dict:
    """Evaluate every rule for the students of `school` who have not left; create the new signals.

    Returns the number of new signals per rule (every automatic rule, zeros included).
    """
    today = today or timezone.localdate()
    start_year = SchoolYear.start_year_of(today)
    settings = RuleSettings.for_owner(school.owner_name)

    students = [_Student(pk, group, level, school) for pk, group, level in
                Student.objects.filter(school=school, left_on__isnull=True).order_by()
                .values_list("pk", "group", "grade_level")]
    levels = {student.pk: vg_level(student) for student in students}
    findings: list[_Finding] = []
    if students:
        of_school = {"student__school": school, "student__left_on__isnull": True}
        grades = _grades(of_school, start_year, settings)
        totals = _absence_totals(of_school, start_year)
        vg1 = {pk for pk, level in levels.items() if level == 1}
        later = {pk for pk, level in levels.items() if level in (2, 3)}
        if vg1:
            findings += _admission_averages(of_school, start_year, vg1, settings)
            findings += _core_grades(grades, start_year, vg1, settings)
        if later:
            findings += _later_low_grades(grades, start_year, later, settings)
        findings += _absence(totals, start_year, settings)
        findings += _absence_trend(totals, start_year, settings)
        findings += _grade_trend(grades, start_year, settings)

    counts = {rule.value: 0 for rule in AUTOMATIC_RULES}
    if not findings:
        return counts
    school_year = SchoolYear.objects.current(today, create=True)
    known = set(Signal.objects.filter(student__school=school, school_year=school_year, reported_by__isnull=True)
                .order_by().values_list("student_id", "rule", "key"))
    new = []
    for finding in findings:
        if (finding.student_id, finding.rule, finding.key) in known:
            continue
        known.add((finding.student_id, finding.rule, finding.key))
        new.append(Signal(student_id=finding.student_id, school_year=school_year, rule=finding.rule,
                          key=finding.key, evidence=finding.evidence(), found_on=today))
        counts[finding.rule] += 1
    Signal.objects.bulk_create(new, batch_size=1000)
    return counts


# --- Reading, in bulk -------------------------------------------------------------------------------

# A grade as read: (student id, subject code, the school year's start year, term, grade). Plain tuples:
# a county reads some 300,000 of them.
_Grade = tuple[int, str, int, str, str]


def _grades(of_school: dict, start_year: int, settings: RuleSettings) -> list[_Grade]:
    """The grades some rule looks at: this school year's; low admission grades; earlier years' low T2, final
    and exam grades; last year's final grades (for the trend)."""
    wanted = (Q(school_year__start_year=start_year)
              | Q(term=Grade.Term.ADMISSION, grade__in=RuleSettings.split(settings.vg1_low_grades))
              | Q(school_year__start_year__lt=start_year, term__in=LATER_TERMS,
                  grade__in=RuleSettings.split(settings.later_low_grades))
              | Q(school_year__start_year=start_year - 1, term=Grade.Term.FINAL))
    return list(Grade.objects.filter(**of_school).filter(wanted).order_by()
                .values_list("student_id", "subject__code", "school_year__start_year", "term", "grade"))


def _grade_json(grade: _Grade) -> dict:
    _student_id, code, year, term, value = grade
    return {"subject": code, "term": term, "school_year": _year_label(year), "grade": value}


class AbsencePeriod(NamedTuple):
    """A student's absence over one period, documented and undocumented (all subjects); also what the chart draws."""

    start: date
    end: date
    documented: Decimal
    undocumented: Decimal

    @property
    def total(self) -> Decimal:
        return self.documented + self.undocumented

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def as_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "documented": _dec(self.documented),
                "undocumented": _dec(self.undocumented), "total": _dec(self.total)}


def _absence_totals(of_school: dict, start_year: int) -> dict[int, list[AbsencePeriod]]:
    """Each student's absence in all subjects per period, documented and undocumented, in period order.

    From the start of last school year: a period of this year is compared with the one before it.
    """
    since = SchoolYear(start_year=start_year - 1).starts_on
    rows = (Absence.objects.filter(**of_school).filter(subject_code="", period_start__gte=since).order_by()
            .values_list("student_id", "period_start", "period_end", "kind", "percent"))
    sums: dict[int, dict[tuple, dict]] = defaultdict(lambda: defaultdict(dict))
    for student_id, start, end, kind, percent in rows:
        sums[student_id][(start, end)][kind] = percent
    zero = Decimal("0")
    return {
        student_id: [AbsencePeriod(start, end, kinds.get(Absence.Kind.DOCUMENTED, zero),
                             kinds.get(Absence.Kind.UNDOCUMENTED, zero))
                     for (start, end), kinds in sorted(periods.items())]
        for student_id, periods in sums.items()
    }


# --- The rules ---------------------------------------------------------------------------------------

def _admission_averages(of_school: dict, start_year: int, vg1: set, settings: RuleSettings) -> list[_Finding]:
    """Vg1: admitted on the first choice with an average below 2.5, or lower than first choice with 3 or less."""
    findings = []
    rows = (Admission.objects.filter(**of_school).filter(school_year__start_year=start_year)
            .order_by().values_list("student_id", "grade_average", "choice"))
    for student_id, average, choice in rows:
        if student_id not in vg1:
            continue
        if choice == Admission.Choice.FIRST and average < settings.first_choice_average_below:
            rule, limit = Signal.Rule.FIRST_CHOICE_AVERAGE, {"below": _dec(settings.first_choice_average_below)}
        elif choice == Admission.Choice.LOWER and average <= settings.lower_choice_average_at_most:
            rule, limit = Signal.Rule.LOWER_CHOICE_AVERAGE, {"at_most": _dec(settings.lower_choice_average_at_most)}
        else:
            continue
        findings.append(_Finding(student_id, rule, "", partial(
            dict, school_year=_year_label(start_year), grade_average=_dec(average), choice=choice, limit=limit)))
    return findings


def _core_grades(grades: list[_Grade], start_year: int, vg1: set, settings: RuleSettings) -> list[_Finding]:
    """Vg1: IV, 1 or 2 in maths, English or Norwegian, this school year or from lower secondary. Key: the subject."""
    prefixes = tuple(RuleSettings.split(settings.vg1_core_subjects))
    low = set(RuleSettings.split(settings.vg1_low_grades))
    matched: dict[tuple[int, str], list[_Grade]] = defaultdict(list)
    for grade in grades:
        student_id, code, year, term, value = grade
        if (student_id in vg1 and value in low and prefixes and code.upper().startswith(prefixes)
                and (year == start_year or term == Grade.Term.ADMISSION)):
            matched[student_id, code].append(grade)
    return [_Finding(student_id, Signal.Rule.CORE_GRADE, code, partial(_core_evidence, code, found, low))
            for (student_id, code), found in matched.items()]


def _core_evidence(code: str, grades: list[_Grade], low: set) -> dict:
    return {"subject": code, "grades": [_grade_json(grade) for grade in _sorted_grades(grades)],
            "low_grades": sorted(low)}


def _later_low_grades(grades: list[_Grade], start_year: int, later: set, settings: RuleSettings) -> list[_Finding]:
    """Vg2 and Vg3: 1 or IV in T2, final assessment or exam in an earlier school year. Key: code/year/term."""
    low = set(RuleSettings.split(settings.later_low_grades))
    findings = []
    for grade in grades:
        student_id, code, year, term, value = grade
        if student_id in later and value in low and term in LATER_TERMS and year < start_year:
            findings.append(_Finding(student_id, Signal.Rule.LOW_GRADE, f"{code}/{year}/{term}",
                                     partial(_low_grade_evidence, grade, low)))
    return findings


def _low_grade_evidence(grade: _Grade, low: set) -> dict:
    return {"grades": [_grade_json(grade)], "low_grades": sorted(low)}


def _absence(totals: dict[int, list[AbsencePeriod]], start_year: int, settings: RuleSettings) -> list[_Finding]:
    """Any level: absence (documented and undocumented together) over 10 % in a period of this school year."""
    limit = settings.absence_over_percent
    return [
        _Finding(student_id, Signal.Rule.ABSENCE, period.key, partial(_absence_evidence, period, limit))
        for student_id, periods in totals.items()
        for period in periods
        if _in_year(period, start_year) and period.total > limit
    ]


def _absence_evidence(period: AbsencePeriod, limit: Decimal) -> dict:
    return {"period": period.as_json(), "over_percent": _dec(limit)}


def _absence_trend(totals: dict[int, list[AbsencePeriod]], start_year: int, settings: RuleSettings) -> list[_Finding]:
    """Any level: a period of this school year whose absence rose by 5 points or more against the one before."""
    rise = settings.absence_rise_points
    findings = []
    for student_id, periods in totals.items():
        for previous, period in zip(periods, periods[1:]):
            if _in_year(period, start_year) and period.total - previous.total >= rise:
                findings.append(_Finding(student_id, Signal.Rule.ABSENCE_TREND, f"{previous.key}→{period.key}",
                                         partial(_absence_trend_evidence, previous, period, rise)))
    return findings


def _absence_trend_evidence(previous: AbsencePeriod, period: AbsencePeriod, rise: Decimal) -> dict:
    return {"previous": previous.as_json(), "period": period.as_json(),
            "rise": _dec(period.total - previous.total), "rise_at_least": _dec(rise)}


def _grade_trend(grades: list[_Grade], start_year: int, settings: RuleSettings) -> list[_Finding]:
    """Any level: the grade average of this year's T2 fell against T1, or T1 against last year's final grades.

    The average of a term is over its numeric grades (IV has no number), in all subjects.
    """
    drop = Fraction(settings.grade_average_drop)
    this_year = {Grade.Term.T1.value, Grade.Term.T2.value}
    terms: dict[int, dict[str, list[_Grade]]] = defaultdict(lambda: defaultdict(list))
    for grade in grades:
        student_id, _code, year, term, value = grade
        if value not in NUMERIC_GRADES:
            continue
        if (year == start_year and term in this_year) or (year == start_year - 1 and term == Grade.Term.FINAL):
            terms[student_id][term].append(grade)
    pairs = ((Grade.Term.T1, Grade.Term.T2), (Grade.Term.FINAL, Grade.Term.T1))
    findings = []
    for student_id, by_term in terms.items():
        for before, after in pairs:
            if not (by_term.get(before) and by_term.get(after)):
                continue
            was, now = _average(by_term[before]), _average(by_term[after])
            if was - now >= drop:
                findings.append(_Finding(student_id, Signal.Rule.GRADE_TREND, f"{before}→{after}", partial(
                    _grade_trend_evidence, (before, by_term[before], was), (after, by_term[after], now),
                    settings.grade_average_drop)))
    return findings


def _grade_trend_evidence(before: tuple, after: tuple, drop: Decimal) -> dict:
    return {"before": _term_json(*before), "after": _term_json(*after), "drop": _dec(before[2] - after[2]),
            "drop_at_least": _dec(drop)}


# --- Helpers -----------------------------------------------------------------------------------------

def _in_year(period: AbsencePeriod, start_year: int) -> bool:
    """A period belongs to the school year it starts in (1 August – 31 July)."""
    first, last = _year_bounds(start_year)
    return first <= period.start <= last


@lru_cache(maxsize=8)
def _year_bounds(start_year: int) -> tuple[date, date]:
    year = SchoolYear(start_year=start_year)
    return year.starts_on, year.ends_on


def _average(grades: list[_Grade]) -> Fraction:
    return Fraction(sum(NUMERIC_GRADES[grade[4]] for grade in grades), len(grades))


def _term_json(term: str, grades: list[_Grade], average: Fraction) -> dict:
    return {"term": term, "school_year": _year_label(grades[0][2]), "average": _dec(average),
            "grades": [_grade_json(grade) for grade in _sorted_grades(grades)]}


def _sorted_grades(grades: list[_Grade]) -> list[_Grade]:
    order = {term: n for n, term in enumerate(Grade.Term.values)}
    return sorted(grades, key=lambda grade: (grade[2], order.get(grade[3], 99), grade[1]))


def _year_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


def _dec(value) -> str:
    """A number for the evidence: two decimals, as text (JSON has no decimals)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return str(Decimal(value).quantize(Decimal("0.01")))
