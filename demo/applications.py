"""Demo applications, batches and decisions for `manage.py demo_data`.

Every status occurs at school A; school B has its own. Each application is
driven through the real transitions (publish, approve with a rendered
snapshot, batch, send, decide), so the demo shows what the app produces.
Re-running skips students who already have an application or decision.
"""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import School, SchoolYear, Student
from applications.models import Application, ApplicationAttachment, ApplicationSubject, Authority, Decision, SchoolBatch
from applications.services import application_approve, application_create, batch_add, batch_send, decision_register
from demo.timeline import day_of, on_step

S = Application.Status
SCHOOL_A, SCHOOL_B = "974520133", "993120553"  # org numbers of the demo schools


@dataclass(frozen=True)
class DemoApplication:
    student: tuple[str, str] | int  # a named student, or the n-th student of the class
    group: str
    school: str  # org number
    status: str
    batch: str = ""  # key into DEMO_BATCHES


DEMO_BATCHES = {  # key: (name, authority, school, sent)
    "vestland-sent": ("Vestland fylkeskommune – september", "Vestland fylkeskommune", SCHOOL_A, True),
    "vestland-open": ("Vestland fylkeskommune – november", "Vestland fylkeskommune", SCHOOL_A, False),
    "bergen-sent": ("Bergen kommune – høst", "Bergen kommune", SCHOOL_B, True),
}

DEMO_APPLICATIONS = (
    DemoApplication(("Emma", "Haugen"), "1STA", SCHOOL_A, S.GRANTED, "vestland-sent"),
    DemoApplication(("Oda", "Vik"), "1STB", SCHOOL_A, S.AWAITING_APPROVAL),
    DemoApplication(("Jonas", "Sandvik"), "1STA", SCHOOL_A, S.AWAITING_APPROVAL),  # elev approves himself
    DemoApplication(3, "1STB", SCHOOL_A, S.REGISTERED),
    DemoApplication(4, "1STB", SCHOOL_A, S.APPROVED, "vestland-open"),
    DemoApplication(5, "1STB", SCHOOL_A, S.APPROVED, "vestland-open"),
    DemoApplication(2, "2STA", SCHOOL_A, S.APPROVED),
    DemoApplication(3, "2STA", SCHOOL_A, S.UNDER_PROCESSING, "vestland-sent"),
    DemoApplication(4, "2STA", SCHOOL_A, S.REJECTED, "vestland-sent"),
    DemoApplication(2, "9A", SCHOOL_B, S.GRANTED, "bergen-sent"),
    DemoApplication(3, "9B", SCHOOL_B, S.AWAITING_APPROVAL),
    DemoApplication(2, "10A", SCHOOL_B, S.REGISTERED),
)

AUTHORITIES = {"Vestland fylkeskommune": Authority.Kind.COUNTY, "Bergen kommune": Authority.Kind.MUNICIPALITY}
ORDER = [S.REGISTERED, S.AWAITING_APPROVAL, S.APPROVED, S.UNDER_PROCESSING]


def build_demo_applications(admins: dict[str, object]) -> int:
    """Create what is missing; return how many applications were created. `admins`: org number → IOP admin."""
    year = SchoolYear.objects.current(create=True)
    created = []
    for spec in DEMO_APPLICATIONS:
        student = _student(spec)
        if student is None or Application.objects.filter(student=student, school_year=year).exists():
            continue
        with on_step("application_created"):
            created.append((spec, _filled_application(student, year, admins[spec.school])))
    with on_step("application_approved"):
        batches = {key: _batch(key) for key in DEMO_BATCHES}
        for spec, application in created:
            _advance(application, spec, batches)
    with on_step("batch_sent") as today:
        for key, (_name, _authority, _school, sent) in DEMO_BATCHES.items():
            batch = batches[key]
            if sent and batch.sent_on is None and batch.applications.exists():
                batch_send(batch=batch, on=today, by=None)
    with on_step("decided"):
        for spec, application in created:
            _decide(application, spec, admins[spec.school])
    return len(created)


def _student(spec: DemoApplication) -> Student | None:
    students = Student.objects.filter(school__org_number=spec.school, group=spec.group)
    if isinstance(spec.student, tuple):
        return students.filter(first_name=spec.student[0], last_name=spec.student[1]).first()
    # Only students with a guardian can have a guardian's approval.
    with_guardian = students.filter(guardianships__isnull=False).distinct().order_by("last_name", "first_name")
    return with_guardian[spec.student] if with_guardian.count() > spec.student else None


def _batch(key: str) -> SchoolBatch:
    name, authority_name, org_number, _sent = DEMO_BATCHES[key]
    authority, _ = Authority.objects.get_or_create(name=authority_name, defaults={"kind": AUTHORITIES[authority_name]})
    batch, _ = SchoolBatch.objects.get_or_create(
        name=name, defaults={"authority": authority, "school": School.objects.get(org_number=org_number)}
    )
    return batch


def _filled_application(student: Student, year: SchoolYear, admin) -> Application:
    application = application_create(student=student, school_year=year, by=admin)
    application.expert_assessment_date = day_of("expert_assessment")
    application.expert_assessment_by = "PPT for Fjordbyen og omegn"
    application.expert_assessment_summary = (
        f"{student.first_name} har vansker med lesing og tallforståelse og har ikke tilfredsstillende "
        "utbytte av den ordinære opplæringen. PPT tilrår spesialundervisning i to fag."
    )
    application.student_goal = "Grunnkompetanse, med mål om å fullføre fellesfagene på tilpasset nivå."
    application.other_information = "Eleven og foresatte er orientert og ønsker at søknaden sendes."
    application.save()
    for enrollment in student.enrollments.filter(school_year=year).select_related("subject")[:2]:
        ApplicationSubject.objects.create(
            application=application, subject=enrollment.subject,
            extent="2 timer per uke", organisation="I liten gruppe med faglærer",
        )
    for document in student.documents.all():
        ApplicationAttachment.objects.create(application=application, document=document)
    return application


def _advance(application: Application, spec: DemoApplication, batches) -> None:
    target = S.UNDER_PROCESSING if spec.status in {S.GRANTED, S.REJECTED} else spec.status
    if ORDER.index(target) >= ORDER.index(S.AWAITING_APPROVAL):
        application.publish()
    if ORDER.index(target) >= ORDER.index(S.APPROVED):
        guardian = application.student.guardianships.order_by("pk").first().guardian
        application_approve(application=application, by=guardian)
        if spec.batch:
            batch_add(batch=batches[spec.batch], application=application)


def _decide(application: Application, spec: DemoApplication, admin) -> None:
    application.refresh_from_db()
    if spec.status in {S.GRANTED, S.REJECTED} and not Decision.objects.filter(application=application).exists():
        decision_register(
            student=application.student, school_year=application.school_year, outcome=spec.status,
            decided_on=timezone.localdate(), reference=f"2026/{1000 + application.pk}",
            by=admin, application=application,
        )
