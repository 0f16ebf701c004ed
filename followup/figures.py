"""What an IKO meeting looks at: the students to discuss, and the figures its theme calls for (seed 002)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q

from accounts.models import Student
from roster.models import Absence, Grade

from .models import Meeting, Signal
from .rules import vg_level

WEEKLY_CHECK_WEEKS = (35, 36, 37, 38, 39)  # September's weekly absence check of the Vg1 classes


def since(meeting: Meeting) -> date:
    """The day after which a signal is new to this meeting: the previous meeting held, else the year's start."""
    previous = (Meeting.objects.filter(school=meeting.school, school_year=meeting.school_year,
                                       number__lt=meeting.number, held_on__isnull=False)
                .order_by("-number").values_list("held_on", flat=True).first())
    return previous or meeting.school_year.starts_on


def students_to_discuss(meeting: Meeting) -> list[dict]:
    """Students with signals found since the last meeting, or still open (new, or taken into mapping)."""
    signals = (Signal.objects.filter(student__school=meeting.school, student__left_on__isnull=True,
                                     school_year=meeting.school_year)
               .filter(Q(found_on__gte=since(meeting)) | Q(status=Signal.Status.NEW))
               .exclude(status=Signal.Status.DISMISSED)
               .select_related("student").order_by("student__group", "student__last_name", "student__first_name"))
    by_student: dict[int, dict] = {}
    for signal in signals:
        entry = by_student.setdefault(signal.student_id, {"student": signal.student, "signals": []})
        entry["signals"].append(signal)
    return list(by_student.values())


def weekly_vg1_absence(meeting: Meeting) -> list[dict]:
    """Per Vg1 class, the average total absence (%) of the periods that start in each week of the check."""
    students = {s.pk: s for s in Student.objects.filter(school=meeting.school, left_on__isnull=True)
                if vg_level(s) == 1}
    totals = defaultdict(lambda: defaultdict(Decimal))  # (group, week) → student → %
    rows = Absence.objects.filter(student_id__in=list(students), subject_code="",
                                  period_start__year=meeting.school_year.start_year)
    for student_id, start, percent in rows.values_list("student_id", "period_start", "percent"):
        week = start.isocalendar().week
        if week in WEEKLY_CHECK_WEEKS:
            totals[(students[student_id].group, week)][student_id] += percent
    groups = sorted({group for group, _week in totals})
    return [{"group": group, "weeks": [_average(totals.get((group, week))) for week in WEEKLY_CHECK_WEEKS]}
            for group in groups]


def half_year_grades(meeting: Meeting) -> list[dict]:
    """Per class, how many students have 1 or IV at the half-year (T1) in how many subjects."""
    rows = Grade.objects.filter(student__school=meeting.school, student__left_on__isnull=True,
                                school_year=meeting.school_year, term=Grade.Term.T1, grade__in=["1", "IV"])
    students, grades = defaultdict(set), defaultdict(int)
    for group, student_id in rows.values_list("student__group", "student_id"):
        students[group].add(student_id)
        grades[group] += 1
    return [{"group": group, "students": len(students[group]), "grades": grades[group]} for group in sorted(students)]


def _average(values: dict | None) -> Decimal | None:
    if not values:
        return None
    return (sum(values.values()) / len(values)).quantize(Decimal("0.1"))


FIGURES = {9: "weekly_absence", 1: "half_year_grades"}  # month → the figures its theme calls for
