"""IKO records for the tests: a signal, a plan with a measure."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import SchoolYear
from followup.models import SEED_MEETINGS, Measure, Meeting, Plan, Resource, Signal


def iko_objects(student, responsible) -> dict:
    """A new signal, a draft plan and its measure (with `responsible` named) for `student`; a meeting and a
    resource of the school."""
    year = SchoolYear.objects.current(create=True)
    today = timezone.localdate()
    plan = Plan.objects.create(student=student, school_year=year)
    measure = Measure.objects.create(plan=plan, challenge=Measure.Challenge.ABSENCE, approach="Tydelige forventninger",
                                     starts_on=today, ends_on=today + timedelta(weeks=6))
    measure.responsible.add(responsible)
    signal = Signal.objects.create(student=student, school_year=year, rule=Signal.Rule.ABSENCE,
                                   evidence={"absence": "12.5 %"})
    month, themes = SEED_MEETINGS[1]
    meeting = Meeting.objects.get_or_create(school=student.school, school_year=year, number=2,
                                            defaults={"month": month, "themes": themes})[0]
    resource = Resource.objects.create(school=student.school, name="LØFT-midler", notes="20 timer igjen")
    return {"iko_signal": signal, "iko_plan": plan, "iko_measure": measure, "iko_meeting": meeting,
            "iko_resource": resource}
