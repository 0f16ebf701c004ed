"""`manage.py demo_data`: two schools full of realistic, made-up people for trying the app.

Only for development (DEBUG=True): the named demo users all have the password "demo", and
all have the same authenticator-app secret (DEMO_TOTP_SECRET) for the second factor.
Running it again creates nothing new; generated data comes from a fixed seed.
"""

import base64
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import IOP_ADMIN_PERMISSION, is_iop_admin
from documents.models import Document
from demo.applications import build_demo_applications
from demo.iko import build_demo_iko
from demo.plans import build_demo_plans
from demo.timeline import on_step
from demo.roster import IMPORTED_LOGINS, import_demo_roster, imported_login_users
from documents.pdf import render_pdf
from documents.sanitize import sanitize_pdf
from documents.services import document_create, document_grant
from accounts.models import (
    Enrollment,
    Guardianship,
    School,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
    years_before,
)

SEED = 1814  # Any fixed number; changing it reshuffles every generated person.
DEMO_PASSWORD = "demo"
# The second factor of every named demo user: this TOTP secret (base32), in any authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
DEMO_TOTP_DEVICE = "demo"
DEMO_CODE_COMMAND = (
    ".venv/bin/python -c 'import base64, django_otp.oath as o; "
    f"print(\"%06d\" % o.totp(base64.b32decode(\"{DEMO_TOTP_SECRET}\")))'"
)
HISTORY_STUDENTS = 5  # How many students per second-year class get last year's enrollments.

# --- Names ------------------------------------------------------------------

GIRLS = (
    "Nora", "Sofie", "Olivia", "Ella", "Maja", "Ingrid", "Leah", "Sara", "Frida", "Hedda",
    "Selma", "Thea", "Amalie", "Ida", "Tiril", "Mathilde", "Vilde", "Julie", "Hanna", "Aurora",
    "Ada", "Iben", "Eline", "Marte", "Sigrid", "Astrid", "Live", "Mia", "Amira", "Linnea",
)
BOYS = (
    "Jakob", "Noah", "Emil", "Lucas", "Oliver", "Isak", "William", "Filip", "Aksel", "Theodor",
    "Elias", "Kasper", "Magnus", "Henrik", "Sander", "Tobias", "Mathias", "Sebastian", "Adrian",
    "Johannes", "Sindre", "Eirik", "Vetle", "Markus", "Mohammed", "Even", "Sondre", "Håkon", "Ali",
)
WOMEN = (
    "Kari", "Anne", "Marit", "Liv", "Hilde", "Tone", "Kristin", "Heidi", "Camilla", "Ragnhild",
    "Mona", "Linda", "Trine", "Elisabeth", "Siri", "Gunn", "Therese", "Nina", "Åse", "Aisha",
)
MEN = (
    "Per", "Ole", "Lars", "Jan", "Knut", "Bjørn", "Arne", "Tor", "Morten", "Rune",
    "Trond", "Stian", "Terje", "Harald", "Eivind", "Anders", "Thomas", "Frode", "Ahmed", "Tuan",
)
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Pettersen", "Eriksen", "Berg", "Hagen", "Johannessen", "Dahl",
    "Halvorsen", "Lund", "Moen", "Strand", "Solberg", "Eide", "Knutsen", "Bakken", "Mathisen",
    "Lie", "Nguyen", "Rasmussen", "Ali", "Berge", "Nygård", "Holm", "Lien", "Hauge", "Sæther",
    "Myhre", "Ahmed", "Danielsen", "Rønning", "Næss", "Ødegård", "Aasen", "Strøm", "Tangen",
    "Helland", "Bøe", "Aune", "Mikkelsen", "Abrahamsen", "Madsen", "Hussain", "Fosse", "Nesse",
)

# --- Subjects ---------------------------------------------------------------

UPPER_SECONDARY_SUBJECTS = (
    ("MAT1019", "Matematikk 1P"),
    ("MAT1021", "Matematikk 1T"),
    ("NOR1260", "Norsk Vg1 studieforberedende"),
    ("ENG1007", "Engelsk"),
    ("NAT1007", "Naturfag"),
    ("SAK1001", "Samfunnskunnskap"),
    ("GEO1003", "Geografi"),
    ("KRO1017", "Kroppsøving Vg1"),
    ("HIS1010", "Historie Vg2"),
) + tuple((f"IOP{year}000", f"Indiv. opplæringsplan {year}. år") for year in range(1, 6))

LOWER_SECONDARY_SUBJECTS = (
    ("NOR0214", "Norsk hovedmål"),
    ("MAT0010", "Matematikk"),
    ("ENG0012", "Engelsk"),
    ("NAT0010", "Naturfag"),
    ("SAF0010", "Samfunnsfag"),
    ("KRL0010", "KRLE"),
    ("KHV0010", "Kunst og håndverk"),
    ("MHE0010", "Mat og helse"),
    ("KRO0020", "Kroppsøving"),
    ("MUS0010", "Musikk"),
)

# --- Schools and classes ----------------------------------------------------
# Teachers are named by demo username or by slot ("T1" …), a generated teacher.


@dataclass(frozen=True)
class Group:
    name: str
    age: int  # Everyone in the class is this age today (plus 0–364 days).
    size: int
    teaching: dict[str, tuple[str, ...]]  # subject code -> teachers
    contact: str
    elective: tuple[str, ...] = ()  # Each student takes exactly one of these.
    history: dict[str, tuple[str, ...]] = field(default_factory=dict)  # last year's subjects


@dataclass(frozen=True)
class SchoolSpec:
    key: str
    name: str
    org_number: str
    kind: str
    owner_kind: str
    owner_name: str
    subjects: tuple[tuple[str, str], ...]
    teacher_slots: int
    generated_principal: bool  # False when a demo user is the principal
    groups: tuple[Group, ...]


VG1_MATHS = ("MAT1019", "MAT1021")

SCHOOL_A = SchoolSpec(
    key="A",
    name="Fjordbyen videregående skole",
    org_number="974520133",
    kind=School.Kind.UPPER_SECONDARY,
    owner_kind=School.OwnerKind.COUNTY,
    owner_name="Vestland fylkeskommune",
    subjects=UPPER_SECONDARY_SUBJECTS,
    teacher_slots=5,
    generated_principal=False,
    groups=(
        Group(
            "1STA", age=15, size=11, contact="laerer", elective=VG1_MATHS,
            teaching={
                "MAT1019": ("laerer", "tolaerer"), "MAT1021": ("T1",), "NOR1260": ("T2",),
                "ENG1007": ("iop",), "NAT1007": ("laerer",), "GEO1003": ("laerer",),
                "KRO1017": ("T3",),
            },
        ),
        Group(
            "1STB", age=15, size=10, contact="laerer2", elective=VG1_MATHS,
            teaching={
                "MAT1019": ("laerer2",), "MAT1021": ("T1",), "NOR1260": ("T2",),
                "ENG1007": ("T4",), "NAT1007": ("T5",), "GEO1003": ("laerer2",),
                "KRO1017": ("T3",),
            },
        ),
        Group(
            "2STA", age=16, size=9, contact="kontaktlaerer",
            teaching={
                "HIS1010": ("T4",), "SAK1001": ("laerer2",), "NOR1260": ("T2", "T5"),
                "GEO1003": ("T5",), "KRO1017": ("T3",),
            },
            history={"MAT1019": ("T1",), "ENG1007": ("iop",), "NAT1007": ("T5",)},
        ),
    ),
)

SCHOOL_B = SchoolSpec(
    key="B",
    name="Lia ungdomsskole",
    org_number="993120553",
    kind=School.Kind.LOWER_SECONDARY,
    owner_kind=School.OwnerKind.MUNICIPALITY,
    owner_name="Bergen kommune",
    subjects=LOWER_SECONDARY_SUBJECTS,
    teacher_slots=8,
    generated_principal=True,
    groups=(
        Group(
            "9A", age=14, size=10, contact="T1",
            teaching={
                "NOR0214": ("T1",), "MAT0010": ("T2", "iop2"), "ENG0012": ("T3",),
                "NAT0010": ("T4",), "SAF0010": ("T5",), "KRO0020": ("T6",),
                "MHE0010": ("T7",), "MUS0010": ("T8",),
            },
        ),
        Group(
            "9B", age=14, size=10, contact="T3",
            teaching={
                "NOR0214": ("T3",), "MAT0010": ("T2",), "ENG0012": ("T1",),
                "NAT0010": ("T4",), "SAF0010": ("T5",), "KRO0020": ("T6",),
                "MHE0010": ("T7",), "MUS0010": ("T8",),
            },
        ),
        Group(
            "10A", age=15, size=10, contact="iop2",
            teaching={
                "NOR0214": ("iop2", "T8"), "MAT0010": ("T4",), "ENG0012": ("T3",),
                "NAT0010": ("T2",), "SAF0010": ("T5",), "KRL0010": ("T1",),
                "KHV0010": ("T7",), "KRO0020": ("T6",),
            },
            history={"NOR0214": ("T1",), "MAT0010": ("T2",), "ENG0012": ("T3",)},
        ),
    ),
)

SCHOOLS = (SCHOOL_A, SCHOOL_B)

# --- The named demo users ---------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    sees: str
    school: str | None = None  # SchoolSpec.key of the staff membership
    staff_role: str = StaffMembership.Role.TEACHER
    iop_admin: bool = False
    superuser: bool = False


DEMO_USERS = (
    DemoUser("sysadmin", "Kjetil", "Systad", "Superuser", "Django admin only; no school",
             superuser=True),
    DemoUser("rektor", "Hilde", "Brekke", "Principal, school A",
             "Hands out the IOP-admin role at Fjordbyen vgs", school="A",
             staff_role=StaffMembership.Role.PRINCIPAL),
    DemoUser("iop", "Marit", "Haugland", "IOP admin + teacher, school A",
             "Every student at Fjordbyen vgs", school="A", iop_admin=True),
    DemoUser("laerer", "Ingrid", "Solheim", "Teacher and contact teacher of 1STA, school A",
             "Emma (maths, science, geography) and the rest of 1STA", school="A"),
    DemoUser("tolaerer", "Espen", "Lunde", "Co-teacher, school A",
             "Emma's maths group (1STA, Matematikk 1P)", school="A"),
    DemoUser("ikoteam", "Tone", "Myklebust", "IKO team (education leader), school A",
             "IKO: every student at Fjordbyen vgs at risk of dropping out; the IKO year", school="A"),
    DemoUser("laerer2", "Øyvind", "Bakke", "Teacher, school A",
             "1STB and 2STA students; not Emma", school="A"),
    # The person cases at school A (cases/demo.py, run by `demo_cases` at the end): these four are named there.
    DemoUser("saksoppretter", "Gro", "Vatne", "Department head and case creator, school A",
             "Person cases: the list of every case at Fjordbyen vgs (not their content); creates cases",
             school="A"),
    DemoUser("kontaktlaerer", "Sigurd", "Hovland", "Contact teacher of 2STA, school A",
             "The three person cases he handles (2STA); IKO for 2STA", school="A"),
    DemoUser("miljoarbeider", "Lena", "Fossum", "Miljøarbeider (assistant), school A",
             "The one person case where she is co-handler", school="A"),
    DemoUser("radgiver", "Bente", "Skår", "Counsellor (rådgiver), school A",
             "The two person cases she handles (1STB): one student leaving, one who has left", school="A"),
    # Records duties (records/demo.py, run by `demo_records` at the end): a records officer per school owner,
    # on no school's staff; the grants are given there.
    DemoUser("arkiv", "Solveig", "Fjeld", "Records officer (arkivansvarlig), Vestland fylkeskommune",
             "Access requests at schools A and C: Emma's answered, Jonas's in review; their students' dossiers"),
    DemoUser("arkiv2", "Petter", "Nordahl", "Records officer (arkivansvarlig), Bergen kommune",
             "Access requests at school B: a lawyer's, registered, to collect; its students' dossiers"),
    DemoUser("arkiv3", "Hege", "Tveit", "Records officer (arkivansvarlig), Bjørnafjorden kommune",
             "School D (imported): no requests yet; its students' dossiers"),
    DemoUser("iop2", "Randi", "Eide", "IOP admin + teacher, school B",
             "Every student at Lia ungdomsskole; nothing at school A", school="B", iop_admin=True),
    DemoUser("elev", "Jonas", "Sandvik", "Student (18+), 1STA", "Only himself; no guardians"),
    DemoUser("emma", "Emma", "Haugen", "Student (16), 1STA", "Only herself"),
    DemoUser("forelder", "Silje", "Haugen", "Guardian", "Emma"),
    DemoUser("forelder2", "Geir", "Vik", "Guardian", "Oda Vik in 1STB; not Emma"),
)

DEMO_LOGINS = [(user.username, f"{user.role}: {user.sees}") for user in (*DEMO_USERS, *IMPORTED_LOGINS)]


@dataclass(frozen=True)
class NamedStudent:
    first_name: str
    last_name: str
    school: str
    group: str
    age: int
    extra_days: int
    elective: str | None = None
    login: str | None = None
    guardians: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoDocument:
    student: tuple[str, str]  # first and last name, at school A
    title: str
    visible_to_teachers: bool
    granted_to: tuple[str, ...] = ()


DEMO_DOCUMENTS = (
    DemoDocument(("Emma", "Haugen"), "Sakkyndig vurdering fra PPT", False),
    DemoDocument(("Emma", "Haugen"), "Pedagogisk kartlegging – lesing og skriving", True),
    DemoDocument(("Emma", "Haugen"), "Referat fra samarbeidsmøte med foresatte", False, ("forelder",)),
    DemoDocument(("Jonas", "Sandvik"), "Sakkyndig vurdering fra PPT", False),
    DemoDocument(("Oda", "Vik"), "Kartlegging av matematikkferdigheter", True),
)


NAMED_STUDENTS = (
    NamedStudent("Emma", "Haugen", "A", "1STA", 16, 60, "MAT1019", "emma", ("forelder",)),
    NamedStudent("Jonas", "Sandvik", "A", "1STA", 18, 95, "MAT1021", "elev"),
    NamedStudent("Oda", "Vik", "A", "1STB", 15, 200, "MAT1019", None, ("forelder2",)),
)


# --- Helpers ----------------------------------------------------------------


def ascii_slug(name: str) -> str:
    name = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace(" ", "")


def differs(obj: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):  # Compare ids so no related row is fetched.
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


class DemoBuilder:
    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(SEED)
        self.created = 0
        self.changed = 0
        self.usernames: set[str] = set()
        self.users: dict[str, User] = {}
        self.password_hash = ""
        self.checked_hashes: dict[str, bool] = {}

    def upsert(self, model, values: dict | None = None, **lookup):
        """get_or_create, then write only the fields that differ, so a re-run changes nothing."""
        values = values or {}
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        stale = [] if created else [f for f, new in values.items() if differs(obj, f, new)]
        for name in stale:
            setattr(obj, name, values[name])
        if stale:
            obj.save(update_fields=stale)
        self.created += created
        self.changed += bool(stale)
        return obj, created

    def build(self) -> None:
        start_year = SchoolYear.start_year_of(self.today)
        self.current_year, _ = self.upsert(SchoolYear, start_year=start_year)
        self.previous_year, _ = self.upsert(SchoolYear, start_year=start_year - 1)
        self.subjects = {
            code: self.upsert(Subject, {"name": name}, code=code)[0]
            for spec in SCHOOLS
            for code, name in spec.subjects
        }
        for spec in DEMO_USERS:
            self.users[spec.username] = self.demo_user(spec)
        for spec in SCHOOLS:
            self.build_school(spec)
        for spec in DEMO_DOCUMENTS:
            self.document(spec)
        admins = {SCHOOL_A.org_number: self.users["iop"], SCHOOL_B.org_number: self.users["iop2"]}
        self.created += build_demo_applications(admins)
        self.created += build_demo_plans(admins, self.users)
        self.created += build_demo_iko(School.objects.get(org_number=SCHOOL_A.org_number), self.users, self.today)
        # Schools C and D come in through the roster import; a few of their people get demo logins.
        import_demo_roster(self.today)
        for user in imported_login_users():
            self.demo_login(user)

    # Users

    def demo_user(self, spec: DemoUser) -> User:
        values = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        }
        user, created = self.upsert(User, values, username=spec.username)
        self.demo_login(user, created)
        self.usernames.add(spec.username)
        return user

    def demo_login(self, user: User, created: bool = False) -> None:
        """The demo password and the demo authenticator for the user."""
        if created or not self.is_demo_password(user.password):
            user.password = self.demo_password_hash()
            user.save(update_fields=["password"])
            self.changed += not created
        self.upsert(TOTPDevice, {"key": base64.b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True},
                    user=user, name=DEMO_TOTP_DEVICE)

    # Argon2 takes ~0.4 s per hash or check here, so the demo users share one hash
    # and each distinct stored hash is checked once: a re-run takes one check.

    def demo_password_hash(self) -> str:
        if not self.password_hash:
            self.password_hash = make_password(DEMO_PASSWORD)
            self.checked_hashes[self.password_hash] = True
        return self.password_hash

    def is_demo_password(self, encoded: str) -> bool:
        if encoded not in self.checked_hashes:
            self.checked_hashes[encoded] = check_password(DEMO_PASSWORD, encoded)
        return self.checked_hashes[encoded]

    def generated_user(self, first_name: str, last_name: str) -> User:
        base = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
        username, number = base, 1
        while username in self.usernames:
            number += 1
            username = f"{base}{number}"
        self.usernames.add(username)
        names = {"first_name": first_name, "last_name": last_name}
        user, created = self.upsert(User, names, username=username)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def random_adult(self, last_name: str | None = None) -> User:
        first_name = self.rng.choice(WOMEN if self.rng.random() < 0.6 else MEN)
        return self.generated_user(first_name, last_name or self.rng.choice(LAST_NAMES))

    # Schools and staff

    def build_school(self, spec: SchoolSpec) -> None:
        values = {
            "name": spec.name,
            "kind": spec.kind,
            "owner_kind": spec.owner_kind,
            "owner_name": spec.owner_name,
        }
        school, _ = self.upsert(School, values, org_number=spec.org_number)
        teachers = self.staff(school, spec)
        taken_names = {(s.first_name, s.last_name) for s in NAMED_STUDENTS if s.school == spec.key}
        for group in spec.groups:
            self.build_group(school, spec, group, teachers, taken_names)

    def staff(self, school: School, spec: SchoolSpec) -> dict[str, User]:
        teachers = {}
        for demo in (d for d in DEMO_USERS if d.school == spec.key):
            user = self.users[demo.username]
            self.upsert(StaffMembership, user=user, school=school, role=demo.staff_role)
            if demo.iop_admin and not is_iop_admin(user, school):
                assign_perm(IOP_ADMIN_PERMISSION, user, school)
                self.created += 1
            teachers[demo.username] = user
        for slot in range(1, spec.teacher_slots + 1):
            teachers[f"T{slot}"] = self.member(school, StaffMembership.Role.TEACHER)
        if spec.generated_principal:
            self.member(school, StaffMembership.Role.PRINCIPAL)
        return teachers

    def member(self, school: School, role: str) -> User:
        user = self.random_adult()
        self.upsert(StaffMembership, user=user, school=school, role=role)
        return user

    # Students

    def build_group(self, school, spec, group, teachers, taken_names) -> None:
        named = [s for s in NAMED_STUDENTS if s.school == spec.key and s.group == group.name]
        for position in range(group.size):
            if position < len(named):
                student, elective = self.named_student(school, group, named[position], teachers)
            else:
                student, elective = self.random_student(school, group, teachers, taken_names)
            subjects = self.current_subjects(group, elective)
            self.enroll(student, self.current_year, subjects, teachers)
            if position < HISTORY_STUDENTS and group.history:
                self.enroll(student, self.previous_year, group.history, teachers)

    def named_student(self, school, group, spec: NamedStudent, teachers):
        birth_date = years_before(self.today, spec.age) - timedelta(days=spec.extra_days)
        login = {"user": self.users[spec.login]} if spec.login else {}
        names = (spec.first_name, spec.last_name)
        student = self.student(school, group, *names, birth_date, teachers, **login)
        for username in spec.guardians:
            self.upsert(Guardianship, guardian=self.users[username], student=student)
        return student, spec.elective

    def random_student(self, school, group, teachers, taken_names):
        first_names = GIRLS if self.rng.random() < 0.5 else BOYS
        name = (self.rng.choice(first_names), self.rng.choice(LAST_NAMES))
        while name in taken_names:
            name = (self.rng.choice(first_names), self.rng.choice(LAST_NAMES))
        taken_names.add(name)
        birth_date = years_before(self.today, group.age) - timedelta(days=self.rng.randrange(1, 365))
        elective = self.rng.choices(group.elective, weights=(3, 2))[0] if group.elective else None
        student = self.student(school, group, *name, birth_date, teachers)
        for guardian in self.random_guardians(name[1]):
            self.upsert(Guardianship, guardian=guardian, student=student)
        return student, elective

    def random_guardians(self, last_name: str) -> list[User]:
        roll = self.rng.random()
        if roll < 0.1:  # Some students have no guardian registered.
            return []
        guardians = [self.random_adult(last_name)]
        if roll < 0.65:
            other_last_name = last_name if self.rng.random() < 0.7 else None
            guardians.append(self.random_adult(other_last_name))
        return guardians

    def student(self, school, group, first_name, last_name, birth_date, teachers, **extra):
        values = {
            "birth_date": birth_date,
            "group": group.name,
            "contact_teacher": teachers[group.contact],
            **extra,
        }
        lookup = {"first_name": first_name, "last_name": last_name, "school": school}
        return self.upsert(Student, values, **lookup)[0]

    # Documents

    def document(self, spec: DemoDocument) -> None:
        student = Student.objects.get(first_name=spec.student[0], last_name=spec.student[1],
                                      school__org_number=SCHOOL_A.org_number)
        document = Document.objects.filter(student=student, title=spec.title).first()
        if document is None:
            pdf = sanitize_pdf(render_pdf("pdf/demo_document.html", {"title": spec.title, "student": student}))
            with on_step("documents_uploaded"):  # before the application they are attached to
                document = document_create(student=student, title=spec.title, pdf=pdf, by=self.users["iop"],
                                           visible_to_teachers=spec.visible_to_teachers)
            self.created += 1
        for username in spec.granted_to:
            document_grant(document=document, user=self.users[username])

    # Enrollments

    def current_subjects(self, group: Group, elective: str | None) -> dict[str, tuple[str, ...]]:
        return {
            code: keys
            for code, keys in group.teaching.items()
            if code not in group.elective or code == elective
        }

    def enroll(self, student, school_year, plan: dict[str, tuple[str, ...]], teachers) -> None:
        """Enroll `student` in each planned subject, taught by exactly the planned teachers.

        Works per student rather than per enrollment: a few queries instead of a few hundred.
        """
        enrollments = student.enrollments.filter(school_year=school_year)
        existing = {e.subject_id: e for e in enrollments.prefetch_related("teachers")}
        new = []
        for code, keys in plan.items():
            subject, wanted = self.subjects[code], {teachers[key].pk for key in keys}
            enrollment = existing.get(subject.pk)
            if enrollment is None:
                enrollment = Enrollment(student=student, subject=subject, school_year=school_year)
                new.append((enrollment, wanted))
            elif {teacher.pk for teacher in enrollment.teachers.all()} != wanted:
                enrollment.teachers.set(wanted)
                self.changed += 1
        Enrollment.objects.bulk_create([enrollment for enrollment, _ in new])
        Enrollment.teachers.through.objects.bulk_create(
            Enrollment.teachers.through(enrollment_id=enrollment.pk, user_id=teacher_id)
            for enrollment, wanted in new
            for teacher_id in wanted
        )
        self.created += len(new)


class Command(BaseCommand):
    help = ("Create two demo schools with staff, students, guardians and demo logins, and import two more "
            "from a OneRoster export (DEBUG only).")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                f"demo_data only runs with DEBUG=True; it creates users with the password "
                f"'{DEMO_PASSWORD}'."
            )
        builder = DemoBuilder(timezone.localdate())
        with transaction.atomic():
            builder.build()
        self.print_logins()
        self.stdout.write(self.summary(builder))
        # School A's person cases, by command name: demo may not import cases (docs/architecture.md §1).
        call_command("demo_cases", stdout=self.stdout)
        # The records officers and access requests, by command name: demo may not import records either.
        call_command("demo_records", stdout=self.stdout)

    def print_logins(self) -> None:
        rows = [("username", "role", "sees")] + [(u.username, u.role, u.sees) for u in (*DEMO_USERS, *IMPORTED_LOGINS)]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
        for username, role, sees in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {sees}")
        self.stdout.write(
            f"Second factor (two-step login): every demo user's authenticator secret is {DEMO_TOTP_SECRET} "
            f"(add it to any authenticator app), or get the current code with:\n  {DEMO_CODE_COMMAND}"
        )

    def summary(self, builder: DemoBuilder) -> str:
        teachers = User.objects.filter(staff_memberships__role=StaffMembership.Role.TEACHER)
        guardians = User.objects.filter(guardianships__isnull=False)
        return (
            f"{School.objects.count()} schools, {Student.objects.count()} students, "
            f"{teachers.distinct().count()} teachers, {guardians.distinct().count()} guardians, "
            f"{Subject.objects.count()} subjects, {Enrollment.objects.count()} enrollments, "
            f"{User.objects.count()} users; this run created {builder.created} "
            f"and changed {builder.changed} rows."
        )
