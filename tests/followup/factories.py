"""IKO records for the tests: a signal, a plan with a measure."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import SchoolYear
from followup.models import Measure, Plan, Signal


def iko_objects(student, responsible) -> dict:
    """A new signal, a draft plan and its measure (with `responsible` named) for `student`."""
    year = SchoolYear.objects.current(create=True)
    today = timezone.localdate()
    plan = Plan.objects.create(student=student, school_year=year)
    measure = Measure.objects.create(plan=plan, challenge=Measure.Challenge.ABSENCE, approach="Tydelige forventninger",
                                     starts_on=today, ends_on=today + timedelta(weeks=6))
    measure.responsible.add(responsible)
    signal = Signal.objects.create(student=student, school_year=year, rule=Signal.Rule.ABSENCE,
                                   evidence={"absence": "12.5 %"})
    return {"iko_signal": signal, "iko_plan": plan, "iko_measure": measure}
