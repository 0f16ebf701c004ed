"""Demo IOPs for `manage.py demo_data`: every publication stage at school A, one at school B.

Emma's IOP is at stage 3 (published to student and guardians) with maths goals
written by `laerer`. Re-running skips students who already have an IOP.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.models import School, SchoolYear, Student, User
from audit.log import record

from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject, SchoolYearDeadlines
from iop.services import plan_create

from .timeline import day_of, on_step

SCHOOL_A, SCHOOL_B = "974520133", "993120553"


@dataclass(frozen=True)
class DemoPlan:
    student: tuple[str, str] | int  # a named student, or the n-th student of the class
    group: str
    school: str
    stage: int


DEMO_PLANS = (
    DemoPlan(("Emma", "Haugen"), "1STA", SCHOOL_A, Plan.Stage.STUDENT_AND_GUARDIANS),
    DemoPlan(6, "1STB", SCHOOL_A, Plan.Stage.DRAFT),
    DemoPlan(7, "1STB", SCHOOL_A, Plan.Stage.TEACHERS),
    DemoPlan(6, "2STA", SCHOOL_A, Plan.Stage.HALF_YEAR),
    DemoPlan(7, "2STA", SCHOOL_A, Plan.Stage.ANNUAL_REPORT),
    DemoPlan(2, "9A", SCHOOL_B, Plan.Stage.TEACHERS),
)

# (Grep code, competence goal, learning goal, content). Mathematics builds on goals of earlier years, taken from
# the goal bank with their codes (MAT01-06 after years 5 and 7), as an IOP in upper secondary often does; the other
# subjects' goal is written by hand.
GOALS = {
    "MAT": [
        ("KM13265", "bruke tall, tegning og konkreter til å beskrive og utforske sammenhenger mellom brøker, "
         "desimaltall og prosenter", "Vise at en halv, 0,5 og 50 % er like mye.",
         "Konkreter, tallinje og spill i liten gruppe."),
        ("KM13286", "bruke tall, tekst, tabeller, tegning og konkreter for å representere prosenter og kunne "
         "oversette mellom brøk, desimaltall og prosent", "Regne ut rabatt og pris i butikk.",
         "Praktiske oppgaver med kvitteringer og reklame."),
    ],
    "default": [
        ("", "Lese og forstå fagtekster.", "Finne hovedpoenget i en kort fagtekst.", "Lesestrategier med lærer."),
    ],
}


def build_demo_plans(admins: dict[str, User], teachers: dict[str, User]) -> int:
    """Create what is missing; return how many IOPs were created. `admins`: org number → IOP admin."""
    year = SchoolYear.objects.current(create=True)
    _set_deadlines(year)
    created = 0
    for spec in DEMO_PLANS:
        student = _student(spec)
        if student is None or Plan.objects.filter(student=student, school_year=year).exists():
            continue
        _build(student, year, spec, admins[spec.school], teachers)
        created += 1
    return created


def _set_deadlines(year: SchoolYear) -> None:
    """School A's dates for the year: half-year assessments in late January, the annual report in June."""
    school = School.objects.filter(org_number=SCHOOL_A).first()
    if school:
        SchoolYearDeadlines.objects.get_or_create(school=school, school_year=year, defaults={
            "half_year_due": date(year.start_year + 1, 1, 20), "annual_due": date(year.start_year + 1, 6, 10)})


def _student(spec: DemoPlan) -> Student | None:
    students = Student.objects.filter(school__org_number=spec.school, group=spec.group)
    if isinstance(spec.student, tuple):
        return students.filter(first_name=spec.student[0], last_name=spec.student[1]).first()
    ordered = students.order_by("last_name", "first_name")
    return ordered[spec.student] if ordered.count() > spec.student else None


def _build(student: Student, year: SchoolYear, spec: DemoPlan, admin: User, teachers: dict[str, User]) -> None:
    with on_step("plan_created"):  # after the decision it copies its subjects from
        plan = plan_create(student=student, school_year=year, by=admin)
        _fill_part1(plan)
        if not plan.subjects.exists():  # no granted decision with subjects to copy them from
            for position, enrollment in enumerate(student.enrollments.filter(school_year=year)[:2]):
                PlanSubject.objects.create(plan=plan, subject=enrollment.subject, position=position,
                                           extent="2 timer per uke", organisation="Liten gruppe")
    author = teachers["laerer"] if spec.school == SCHOOL_A else admin
    with on_step("plan_written"):
        for plan_subject in plan.subjects.select_related("subject"):
            _fill_part2(plan_subject, spec.stage, author)
        LogEntry.objects.create(plan=plan, text="Samtale med eleven om mål for høsten.", created_by=author,
                                changed_by=author)
    if spec.stage >= Plan.Stage.HALF_YEAR:
        _fill_report_and_annex(plan, sent=spec.stage >= Plan.Stage.ANNUAL_REPORT)
    Plan.objects.filter(pk=plan.pk).update(stage=spec.stage)


def _fill_part1(plan: Plan) -> None:
    first = plan.student.first_name
    Plan.objects.filter(pk=plan.pk).update(
        part_of_individual_plan=False,
        basis_documents="Sakkyndig vurdering fra PPT og vedtak om spesialundervisning.",
        mapping_academic=f"{first} leser sakte og har svak tallforståelse; god muntlig.",
        mapping_social=f"{first} trives i små grupper og har gode venner i klassen.",
        goal_kind=Plan.GoalKind.BASIC,
        goal_text="Grunnkompetanse i fellesfagene, med mål om lærekandidatordning.",
        long_term_plan="Vg1 over to år, deretter Vg2 i valgt programområde.",
        framework_factors="Liten gruppe i matematikk; PC med opplesingsverktøy.",
        partners_internal="Kontaktlærer, faglærere, rådgiver.",
        partners_external="PPT, foresatte.",
        evaluation_time="Ved halvårsvurderingen i januar og ved årsrapporten i juni.",
    )


def _fill_part2(plan_subject: PlanSubject, stage: int, author: User) -> None:
    rows = GOALS["MAT" if plan_subject.subject.code.startswith("MAT") else "default"]
    # Each goal's progress as far as the assessments are written: partly reached or begun at the half-year,
    # reached or partly reached at the end of the year (the school's scale, 1 = not started … 4 = reached).
    half_year = [3, 2] if stage >= Plan.Stage.HALF_YEAR else [None, None]
    annual = [4, 3] if stage >= Plan.Stage.ANNUAL_REPORT else [None, None]
    goals = Goal.objects.bulk_create(
        Goal(plan_subject=plan_subject, position=i, grep_code=code, competence_goal=c, learning_goal=l, content=t,
             progress_half_year=half_year[i % 2], progress_annual=annual[i % 2])
        for i, (code, c, l, t) in enumerate(rows)
    )
    for goal in goals:  # the access log says who wrote them
        record(None, user=author, action="created", object_type="goal", object_id=goal.pk,
               student=plan_subject.plan.student, detail=goal.competence_goal[:80])
    # An IOP just published to the teachers has one subject's goals still being written (the overview shows it).
    still_writing = stage == Plan.Stage.TEACHERS and plan_subject.position > 0
    fields = {"goals_done": stage >= Plan.Stage.TEACHERS and not still_writing}
    if stage >= Plan.Stage.HALF_YEAR:
        fields.update(
            half_year_development="Eleven har arbeidet godt og mestrer flere av læringsmålene.",
            half_year_opportunities="Videre arbeid med å bruke strategiene selvstendig.",
            half_year_done=True,
        )
    if stage >= Plan.Stage.ANNUAL_REPORT:
        fields.update(
            annual_development="Eleven har nådd de fleste læringsmålene for året.",
            annual_opportunities="Fortsette med praktisk tilnærming neste år.",
            annual_done=True,
        )
    PlanSubject.objects.filter(pk=plan_subject.pk).update(**fields)


def _fill_report_and_annex(plan: Plan, *, sent: bool) -> None:
    Plan.objects.filter(pk=plan.pk).update(
        report_training="Eleven har fått spesialundervisning i liten gruppe i to fag, tre timer i uka.",
        report_assessment="Opplæringen har fungert godt; eleven har hatt god progresjon.",
        report_continued_need="Eleven har fortsatt behov for IOP neste skoleår.",
        report_sent_on=day_of("report_sent") if sent else None,
    )
    for position, plan_subject in enumerate(plan.subjects.select_related("subject")):
        AnnexRow.objects.create(
            plan=plan, position=position, extent=140, subject_topic=plan_subject.subject.name,
            year=str(plan.school_year.start_year + 1),
            assessment="Eleven har nådd målene om praktisk regning og tallforståelse.",
        )

