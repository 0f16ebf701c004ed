"""What the certificate helper reads from the student's other years (seed 001, 11.3).

Called by views and the PDF builder after the access helpers have granted the plan.
"""

from django.db.models import Count, Max, Q

from accounts.models import Enrollment

from .models import Goal, Plan
from .notation import History, notation_for


def finishing_years(plan: Plan, subjects) -> dict[int, int]:
    """Per plan subject: the year its training ended ("I rubrikken år fører dere året opplæringen ble
    avsluttet for koden"), from the last school year the student was enrolled in the code, up to this
    plan's; a code without an enrollment belongs to the plan's own year."""
    last_taught = dict(
        Enrollment.objects.filter(
            student_id=plan.student_id, subject_id__in=[s.subject_id for s in subjects],
            school_year__start_year__lte=plan.school_year.start_year,
        ).values("subject_id").annotate(last=Max("school_year__start_year")).values_list("subject_id", "last")
    )
    own = plan.school_year.start_year
    return {s.pk: last_taught.get(s.subject_id, own) + 1 for s in subjects}


def training_history(plan: Plan) -> History:
    """The student's years with an IOP up to this plan's, and whether any builds on Vg2/Vg3 goals."""
    counts = Plan.objects.filter(
        student_id=plan.student_id, school_year__start_year__lte=plan.school_year.start_year
    ).aggregate(years=Count("pk"), upper=Count("pk", filter=Q(builds_on_upper_levels=True)))
    return History(training_years=counts["years"], builds_on_upper_levels=counts["upper"] > 0)


def certificate_rows(plan: Plan) -> list[tuple]:
    """(plan subject, notation, year) per special-education subject, from the saved choices."""
    subjects = list(plan.subjects.select_related("subject"))
    years = finishing_years(plan, subjects)
    return [(s, notation_for(s.subject.code, s.certificate_grade), years[s.pk]) for s in subjects]


def reached_goals(plan: Plan):
    """The plan's part-2 goals marked reached, by subject and order."""
    return Goal.objects.filter(plan_subject__plan=plan, reached=True).select_related(
        "plan_subject__subject").order_by("plan_subject__position", "plan_subject_id", "position", "pk")
