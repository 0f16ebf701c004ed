"""The IKO year at school A, told in order: results come in, the rules flag about one student in ten, the
contact teacher and the IKO team assess the signals, hold talks, and follow up with plans — one running and
shared with the family, one ended back in ordinary teaching, one referred to special education.

Grades, absence and admissions are written as the roster import would bring them; everything after that
goes through the IKO services, as the pages do.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts.access import is_iko_team
from accounts.models import School, SchoolYear, Student, User
from accounts.services import iko_team_grant
from applications.services import students_without_application
from followup import services
from followup.models import Measure, Plan, Resource, Signal, Talk
from followup.pdfs import referral_pdf
from roster.models import Absence, Admission, Grade

SEED = 2026
CORE = ("MAT", "ENG", "NOR")


def build_demo_iko(school: School, users: dict[str, User], today: date) -> int:
    """Everything, once: returns 0 if school A already has IKO records."""
    if not is_iko_team(users["ikoteam"], school):
        iko_team_grant(school=school, user=users["ikoteam"])  # as the principal does on the Tilgang page
    if Plan.objects.filter(student__school=school).exists():
        return 0
    year = SchoolYear.objects.current(create=True)
    days = Timeline(year, today)
    students = list(Student.objects.filter(school=school, left_on__isnull=True).order_by("group", "last_name",
                                                                                          "first_name"))
    flagged = _results(students, year, days)
    services.signals_find(school=school, by=users["ikoteam"], today=days.at(0.15))
    _concern(flagged, users, days)
    _assess(school, users, days)
    _talks(flagged, users, days)
    plans = _plans(school, flagged, year, users, days)
    _calendar(school, year, users, days)
    Resource.objects.bulk_create([
        Resource(school=school, name="LØFT-midler", notes="Om lag 40 timer igjen dette halvåret."),
        Resource(school=school, name="Ekstra timer i matematikk", notes="Tirsdag og torsdag 8. time, Ingrid Solheim."),
        Resource(school=school, name="Lydbøker og skrivestøtte", notes="Lisenser hos biblioteket.", available=False),
    ])
    return Signal.objects.filter(student__school=school).count() + plans


class Timeline:
    """Days of the school year so far, in order: `at(0.5)` is halfway from its start to today."""

    def __init__(self, year: SchoolYear, today: date):
        self.start, self.today = year.starts_on + timedelta(days=16), today

    def at(self, fraction: float) -> date:
        span = max((self.today - self.start).days, 10)
        return min(self.start + timedelta(days=round(span * fraction)), self.today)


def _results(students: list[Student], year: SchoolYear, days: Timeline) -> dict[str, Student]:
    """Ordinary results for everyone; four students whose results the rules will flag (about one in ten)."""
    rng = random.Random(SEED)
    vg1 = [s for s in students if s.group.startswith("1")]
    vg2 = [s for s in students if s.group.startswith("2")]
    flagged = {"first_choice": vg1[2], "core_grade": vg1[-3], "absence": vg1[5], "low_grade": vg2[1]}
    grades, absence, admissions = [], [], []
    for student in students:
        for enrollment in student.enrollments.filter(school_year=year).select_related("subject"):
            low = student == flagged["core_grade"] and enrollment.subject.code.startswith("MAT")
            grades.append(Grade(student=student, subject=enrollment.subject, school_year=year, term=Grade.Term.T1,
                                grade="2" if low else str(rng.choice((3, 3, 4, 4, 4, 5, 5, 6)))))
        undocumented = Decimal("9.5") if student == flagged["absence"] else Decimal(rng.randint(0, 30)) / 10
        for kind, percent in (("documented", Decimal(rng.randint(5, 35)) / 10), ("undocumented", undocumented)):
            absence.append(Absence(student=student, period_start=days.start, period_end=days.at(0.12), kind=kind,
                                   percent=percent))
    for student in vg1:
        average = Decimal("2.41") if student == flagged["first_choice"] else Decimal(rng.randint(330, 520)) / 100
        admissions.append(Admission(student=student, school_year=year, grade_average=average,
                                    choice=Admission.Choice.FIRST if rng.random() < 0.8 else Admission.Choice.LOWER))
    last_year = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)[0]
    for enrollment in flagged["low_grade"].enrollments.filter(school_year=last_year).select_related("subject"):
        grade = "1" if enrollment.subject.code.startswith("MAT") else "3"
        grades.append(Grade(student=flagged["low_grade"], subject=enrollment.subject, school_year=last_year,
                            term=Grade.Term.FINAL, grade=grade))
    Grade.objects.bulk_create(grades)
    Absence.objects.bulk_create(absence)
    Admission.objects.bulk_create(admissions)
    return flagged


def _concern(flagged: dict, users: dict, days: Timeline) -> None:
    """The English teacher of 1STA (`iop`, who is also IOP admin) reports a concern to the contact teacher."""
    signal = services.concern_report(student=flagged["absence"], rule=Signal.Rule.WELLBEING, by=users["iop"],
                                     text="Virker sliten og trukket tilbake i timene, sitter alene i friminuttene.")
    Signal.objects.filter(pk=signal.pk).update(found_on=days.at(0.2))


def _assess(school: School, users: dict, days: Timeline) -> None:
    """The contact teachers and the team go through the signals: some into mapping, one dismissed, some left new."""
    signals = list(Signal.objects.filter(student__school=school).select_related("student").order_by("pk"))
    for number, signal in enumerate(signals):
        by = signal.student.contact_teacher or users["ikoteam"]
        if number == 0:
            services.signal_assess(signal=signal, by=by, take=False,
                                   reason="Kjent fra overgangsmøtet: fulgt opp av PPT, tett kontakt med hjemmet.")
        elif number < len(signals) - 1:
            services.signal_assess(signal=signal, by=by, take=True)
    Signal.objects.filter(student__school=school, assessed_on__isnull=False).update(assessed_on=days.at(0.25))


def _talks(flagged: dict, users: dict, days: Timeline) -> None:
    for student in flagged.values():
        Talk.objects.create(student=student, school_year=SchoolYear.objects.current(), kind=Talk.Kind.STARTUP,
                            held_on=days.at(0.1), held_by=student.contact_teacher, participants=student.first_name,
                            student_view="Trives i klassen, men synes overgangen fra ungdomsskolen er stor.",
                            causes=["academic"], wishes="Mer hjelp i matematikk.")
    student = flagged["absence"]
    Talk.objects.create(student=student, school_year=SchoolYear.objects.current(), kind=Talk.Kind.MAPPING,
                        held_on=days.at(0.3), held_by=users["ikoteam"],
                        participants=f"{student.first_name}, kontaktlærer, rådgiver",
                        student_view="Sover dårlig, gruer seg til matte og gym.", causes=["health", "motivation"],
                        wishes="En fast voksen å snakke med; kortere dager en periode.")


def _plans(school: School, flagged: dict, year: SchoolYear, users: dict, days: Timeline) -> int:
    """One plan running (shared with the family), one back to ordinary teaching, one referred."""
    team, teacher = users["ikoteam"], users["laerer"]
    start = days.at(0.35)
    running = _plan(flagged["absence"], team, days, teacher, [
        (Measure.Challenge.ABSENCE, "Tydelige forventninger til oppmøte; ukentlig samtale med kontaktlærer; "
                                    "rask kontakt med foresatte ved nytt fravær.", "Ukentlig",
         start, days.today + timedelta(weeks=6)),
        (Measure.Challenge.WELLBEING, "Samtaler med helsesykepleier; vurdere henvisning til BUP.", "Hver 14. dag",
         start, days.today + timedelta(days=10))])
    services.plan_change(plan=running, change=Plan.share, fields=["shared_on"])
    ordinary = _plan(flagged["core_grade"], team, days, teacher, [
        (Measure.Challenge.ACADEMIC, "Intensivopplæring i matematikk i liten gruppe, seks uker.", "2 timer i uka",
         start, days.at(0.8))])
    services.plan_evaluate(plan=ordinary, outcome=Plan.Outcome.ORDINARY, by=team,
                           note="Bestod prøven i brøk og prosent; følges videre av faglærer.")
    evaluated = [ordinary.pk]
    without_application = students_without_application(school=school, school_year=year)
    referred = flagged["low_grade"] if without_application.filter(pk=flagged["low_grade"].pk).exists() else (
        without_application.filter(group__startswith="2").exclude(iko_plans__isnull=False).first())
    if referred is not None:
        referral = _plan(referred, team, days, teacher, [
            (Measure.Challenge.ACADEMIC, "Begrepsopplæring og læringsstøttende hjelpemidler i matematikk.",
             "3 timer i uka", start, days.at(0.8))])
        note = ("Tiltakene har ikke vært tilstrekkelige; eleven henvises til PPT for sakkyndig vurdering av behov "
                "for spesialundervisning.")
        services.plan_evaluate(plan=referral, outcome=Plan.Outcome.REFERRAL, by=team, note=note,
                               mapping_pdf=referral_pdf(referral, note=note))
        evaluated.append(referral.pk)
    Plan.objects.filter(pk__in=evaluated).update(evaluated_on=days.at(0.9))
    return 1 + len(evaluated)


def _plan(student: Student, team: User, days: Timeline, responsible: User, measures: list) -> Plan:
    """A plan with its measures, the guardians informed (a minor), started."""
    plan = services.plan_create(student=student, by=team)
    for challenge, approach, extent, starts_on, ends_on in measures:
        measure = Measure.objects.create(plan=plan, challenge=challenge, approach=approach, extent=extent,
                                         starts_on=starts_on, ends_on=ends_on, evaluator=team)
        measure.responsible.add(responsible)

    def inform(locked):
        locked.guardians_informed_on, locked.guardians_informed_how = days.at(0.33), "Telefon og møte på skolen"

    if not student.is_adult():
        services.plan_change(plan=plan, change=inform, fields=["guardians_informed_on", "guardians_informed_how"])
    services.plan_change(plan=plan, change=Plan.activate, fields=["status"])
    Plan.objects.filter(pk=plan.pk).update(created_at=days.at(0.32))
    return plan


def _calendar(school: School, year: SchoolYear, users: dict, days: Timeline) -> None:
    meetings = services.meetings_create(school=school, school_year=year)
    held = [meeting for meeting in meetings if meeting.first_day <= days.today]
    for meeting in held:
        meeting.held_on = min(meeting.first_day + timedelta(days=20), days.today)
        meeting.save(update_fields=["held_on"])
