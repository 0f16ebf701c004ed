"""The sample exports (demo/oneroster/README.md) imported and imported again: the right people with the
right relations, the access derived from them, exactly the listed differences, and nothing twice."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts import access
from accounts.models import Enrollment, Guardianship, School, SchoolYear, StaffMembership, Student, Subject, User
from accounts.oidc.pid import pid_hash
from audit.models import AccessEvent
from roster.models import Absence, Admission, Grade, ImportRun, SourceLink
from roster.services import IMPORT, import_path

from .helpers import BASE, IMPORT_DAY, NEXT_TERM, NORDVIK_ORG_NUMBER, snapshot

pytestmark = pytest.mark.usefixtures("import_day")

NORDVIK, BAKKETUN = NORDVIK_ORG_NUMBER, "974100002"
# sourcedId: first name (with middle name), last name, school, class, contact teacher, birth date
STUDENTS = {
    "s-nv01": ("Ingrid", "Haugland", NORDVIK, "1STA", "t-nv01", date(2010, 2, 11)),
    "s-nv02": ("Sindre Moe", "Tveit", NORDVIK, "1STA", "t-nv01", date(2010, 6, 23)),
    "s-nv03": ("Marte", "Skaar", NORDVIK, "1STA", "t-nv01", date(2010, 9, 30)),
    "s-nv04": ("Eirik", "Vik", NORDVIK, "1STA", "t-nv01", date(2008, 3, 14)),
    "s-nv05": ("Nora", "Fosse", NORDVIK, "1STB", "t-nv02", date(2010, 1, 7)),
    "s-nv06": ("Jonas", "Hauge", NORDVIK, "1STB", "t-nv02", date(2010, 4, 19)),
    "s-nv07": ("Ane", "Kleppe", NORDVIK, "1STB", "t-nv02", date(2010, 11, 2)),
    "s-nv08": ("Ola", "Brekke", NORDVIK, "1STB", "t-nv02", date(2010, 8, 5)),
    "s-bu01": ("Emma", "Hauge", BAKKETUN, "9A", "t-bu01", date(2012, 3, 27)),
    "s-bu02": ("Lars", "Aasen", BAKKETUN, "9A", "t-bu01", date(2012, 7, 12)),
    "s-bu03": ("Sofie", "Grønås", BAKKETUN, "9A", "t-bu01", date(2012, 10, 1)),
    "s-bu04": ("Henrik", "Tysse", BAKKETUN, "9A", "t-bu01", date(2012, 1, 18)),
}
GUARDIANSHIPS = {
    ("g-01", "s-nv01"), ("g-02", "s-nv01"), ("g-03", "s-nv02"), ("g-04", "s-nv03"), ("g-05", "s-nv05"),
    ("g-06", "s-nv06"), ("g-06", "s-bu01"), ("g-07", "s-nv07"), ("g-08", "s-nv07"), ("g-09", "s-nv08"),
    ("g-10", "s-bu02"), ("g-11", "s-bu02"), ("g-12", "s-bu03"), ("g-13", "s-bu04"),
}
TEACHER, PRINCIPAL = StaffMembership.Role.TEACHER, StaffMembership.Role.PRINCIPAL
STAFF = {
    ("t-nv01", NORDVIK, TEACHER), ("t-nv02", NORDVIK, TEACHER), ("t-nv03", NORDVIK, TEACHER),
    ("t-nv04", NORDVIK, TEACHER), ("t-nv05", NORDVIK, TEACHER), ("c-nv01", NORDVIK, TEACHER),
    ("p-nv01", NORDVIK, PRINCIPAL), ("t-bu01", BAKKETUN, TEACHER), ("t-bu02", BAKKETUN, TEACHER),
    ("p-bu01", BAKKETUN, PRINCIPAL),
}
STA, STB = ["s-nv01", "s-nv02", "s-nv03", "s-nv04"], ["s-nv05", "s-nv06", "s-nv07", "s-nv08"]
NINE_A = ["s-bu01", "s-bu02", "s-bu03", "s-bu04"]
GROUP_TEACHERS = {
    "1STA": {"MAT1019": {"t-nv02", "t-nv03"}, "NOR1267": {"t-nv01"}, "ENG1007": {"t-nv03"}, "NAT1007": {"t-nv04"}},
    "1STB": {"MAT1019": {"t-nv02"}, "NOR1267": {"t-nv05"}, "ENG1007": {"t-nv05"}, "NAT1007": {"t-nv04"}},
    "9A": {"MAT0010": {"t-bu02"}, "NOR0214": {"t-bu01"}},
}
NEXT_1STB = {**GROUP_TEACHERS["1STB"], "NOR1267": {"t-nv01"}}
BASE_COUNTS = {
    "schools": {"new": 2}, "people": {"new": 35}, "students": {"new": 12}, "staff": {"new": 10},
    "guardianships": {"new": 14}, "subjects": {"new": 6}, "enrollments": {"new": 40}, "teaching": {"new": 44},
    "grades": {"new": 31}, "absence": {"new": 16}, "admissions": {"new": 8},
}
NEXT_TERM_COUNTS = {
    "people": {"new": 2},  # Tuva Lien and her guardian Gunn Lien
    "students": {"new": 1, "changed": 1, "leaving": 1},  # Tuva; Sindre moves to 1STB; Marte leaves
    "staff": {"leaving": 1},  # the counselor
    "guardianships": {"new": 1, "ended": 1},  # Gunn Lien → Tuva; Per Aasen → Lars Aasen
    "enrollments": {"new": 4, "ended": 4},  # Tuva's four subjects; Marte's four end as she leaves
    # Tuva's 4 teachers and Kari for NOR1267 1STB (4); Silje off NOR1267 1STB (4), Sindre's ENG and co-teacher
    "teaching": {"new": 9, "ended": 6},
    "admissions": {"new": 1},
}


def user(sourced_id: str) -> User:
    return User.objects.get(pk=SourceLink.objects.get(kind=SourceLink.Kind.USER, sourced_id=sourced_id).object_id)


def student(sourced_id: str) -> Student:
    link = SourceLink.objects.get(kind=SourceLink.Kind.STUDENT, sourced_id=sourced_id)
    return Student.objects.get(pk=link.object_id)


def sourced_ids(kind: str) -> dict[int, str]:
    return {pk: key for key, pk in SourceLink.objects.filter(kind=kind).values_list("sourced_id", "object_id")}


def ids_of(students) -> set[str]:
    names = sourced_ids(SourceLink.Kind.STUDENT)
    return {names[pk] for pk in students.values_list("pk", flat=True)}


def guardianships() -> set[tuple[str, str]]:
    users, students = sourced_ids(SourceLink.Kind.USER), sourced_ids(SourceLink.Kind.STUDENT)
    return {(users[g], students[s]) for g, s in Guardianship.objects.values_list("guardian_id", "student_id")}


def teachers_by_subject() -> dict[tuple[str, str], set[str]]:
    """(student, subject code) → the teachers of the enrollment, all by sourcedId."""
    users, students = sourced_ids(SourceLink.Kind.USER), sourced_ids(SourceLink.Kind.STUDENT)
    found = {}
    for enrollment in Enrollment.objects.select_related("subject").prefetch_related("teachers"):
        found[(students[enrollment.student_id], enrollment.subject.code)] = {
            users[teacher.pk] for teacher in enrollment.teachers.all()}
    return found


def expected_teachers(groups: dict[str, list[str]], teachers: dict[str, dict]) -> dict:
    return {(pupil, code): names for group, pupils in groups.items() for pupil in pupils
            for code, names in teachers[group].items()}


def applied(path, **options) -> ImportRun:
    run = import_path(path, **options)
    assert run.status == (ImportRun.Status.CHECKED if options.get("dry_run") else ImportRun.Status.APPLIED), \
        run.summary["errors"]
    return run


@pytest.fixture
def base(db):
    return applied(BASE)


@pytest.fixture
def next_term(base):
    return applied(NEXT_TERM)


# --- base into an empty database ------------------------------------------------------------------------


def test_base_counts_what_the_samples_readme_says(base):
    assert base.summary["counts"] == BASE_COUNTS
    assert base.summary["error_count"] == 0
    assert (Student.objects.count(), User.objects.count(), Guardianship.objects.count()) == (12, 35, 14)
    assert (StaffMembership.objects.count(), Subject.objects.count(), Enrollment.objects.count()) == (10, 6, 40)
    assert (Grade.objects.count(), Absence.objects.count(), Admission.objects.count()) == (31, 16, 8)


def test_base_creates_the_schools_with_org_numbers_owners_and_kinds(base):
    schools = {s.org_number: (s.name, s.kind, s.owner_kind, s.owner_name) for s in School.objects.all()}
    assert schools == {
        NORDVIK: ("Nordvik vidaregåande skule", School.Kind.UPPER_SECONDARY, School.OwnerKind.COUNTY,
                  "Vestland fylkeskommune"),
        # no metadata.no.schoolKind: worked out from grade 09
        BAKKETUN: ("Bakketun ungdomsskule", School.Kind.LOWER_SECONDARY, School.OwnerKind.MUNICIPALITY,
                   "Bjørnafjorden kommune"),
    }


def test_base_creates_each_student_with_school_class_contact_teacher_and_birth_date(base):
    for key, (first, last, org_number, group, contact, born) in STUDENTS.items():
        pupil = student(key)
        assert (pupil.first_name, pupil.last_name, pupil.school.org_number) == (first, last, org_number), key
        assert (pupil.group, pupil.contact_teacher, pupil.birth_date, pupil.left_on) == (
            group, user(contact), born, None), key


def test_base_gives_each_student_a_feide_login_without_password(base):
    for key in STUDENTS:
        login = student(key).user
        assert login == user(key)
        assert login.feide_id == login.username == login.email
        assert not login.has_usable_password()
    assert student("s-nv01").user.feide_id == "ingrid.haugland@nordvik.vlfk.no"
    assert student("s-bu03").user.feide_id == "sofie.gronas@bakketun.bjornafjorden.no"


def test_base_stores_the_adult_students_identity_number_only_as_its_hash(base):
    assert student("s-nv04").pid_hash == user("s-nv04").pid_hash == pid_hash("14830852344")
    assert student("s-nv04").is_adult()
    assert not Student.objects.exclude(pk=student("s-nv04").pk).exclude(pid_hash=None).exists()


def test_base_creates_the_guardianships_incl_the_sibling_guardian_at_both_schools(base):
    assert guardianships() == GUARDIANSHIPS
    hilde = user("g-06")
    assert {pupil.school.org_number for pupil in Student.objects.filter(guardianships__guardian=hilde)} == {
        NORDVIK, BAKKETUN}
    assert (hilde.username, hilde.feide_id, hilde.pid_hash) == ("g.hauge", None, pid_hash("30818247683"))
    assert not hilde.has_usable_password()


def test_base_creates_the_staff_memberships_incl_each_principal(base):
    users = sourced_ids(SourceLink.Kind.USER)
    assert {(users[m.user_id], m.school.org_number, m.role) for m in StaffMembership.objects.all()} == STAFF


def test_base_enrolls_students_in_subjects_with_every_teacher_incl_co_teachers(base):
    assert teachers_by_subject() == expected_teachers({"1STA": STA, "1STB": STB, "9A": NINE_A}, GROUP_TEACHERS)
    ended = Enrollment.objects.exclude(ended_on=None)
    assert [(e.student, e.subject.code, e.ended_on) for e in ended] == [
        (student("s-nv07"), "NAT1007", date(2026, 11, 1))]
    assert set(Enrollment.objects.values_list("school_year__start_year", flat=True)) == {2026}


def test_base_brings_in_grades_absence_and_admissions(base):
    assert Grade.objects.get(student=student("s-nv05"), subject__code="MAT1019", term="T1").grade == "1"
    assert Grade.objects.get(student=student("s-nv08"), subject__code="NAT1007", term="T1").grade == "IV"
    assert not Grade.objects.filter(student=student("s-nv07"), subject__code="NAT1007").exists()
    absence = Absence.objects.get(student=student("s-nv08"), kind=Absence.Kind.UNDOCUMENTED)
    assert (absence.period_start, absence.period_end, absence.subject_code, absence.percent) == (
        date(2026, 8, 17), date(2026, 11, 30), "", Decimal("12.4"))
    admission = Admission.objects.get(student=student("s-nv05"))
    assert (admission.school_year.start_year, admission.grade_average, admission.choice) == (
        2026, Decimal("2.80"), Admission.Choice.LOWER)


# --- the access derived from it ----------------------------------------------------------------------


def test_each_teacher_sees_exactly_the_students_they_teach(base):
    taught = {
        "t-nv01": STA, "t-nv02": STA + STB, "t-nv03": STA, "t-nv05": STB,
        "t-nv04": STA + ["s-nv05", "s-nv06", "s-nv08"],  # Ane Kleppe left Naturfag on 2026-11-01
        "t-bu01": NINE_A, "t-bu02": NINE_A, "p-nv01": [], "c-nv01": [], "p-bu01": [],
    }
    for teacher, students in taught.items():
        assert ids_of(access.students_taught_by(user(teacher))) == set(students), teacher
        # no IOP-admin grant: what they teach is all they see
        assert ids_of(access.students_visible_to(user(teacher))) == set(students), teacher


def test_a_co_teacher_teaches_only_their_subjects(base):
    guro, ingrid = user("t-nv03"), student("s-nv01")
    assert access.teaches(guro, ingrid)
    assert access.subjects_taught(guro, ingrid) == {Subject.objects.get(code=c).pk for c in ("MAT1019", "ENG1007")}


def test_each_guardian_sees_exactly_their_children(base):
    for guardian in {g for g, _s in GUARDIANSHIPS}:
        children = {s for g, s in GUARDIANSHIPS if g == guardian}
        assert ids_of(access.children_of(user(guardian))) == children, guardian
        assert ids_of(access.students_visible_to(user(guardian))) == children, guardian
    assert access.guards(user("g-06"), student("s-bu01"))
    assert not access.guards(user("g-06"), student("s-nv01"))


def test_each_student_sees_only_themself(base):
    for key in STUDENTS:
        assert ids_of(access.students_visible_to(user(key))) == {key}


def test_the_contact_teacher_is_the_primary_homeroom_teacher(base):
    kari, guro = user("t-nv01"), user("t-nv03")  # both teach 1STA's homeroom; Kari is primary
    assert set(kari.contact_students.all()) == {student(key) for key in STA}
    assert not guro.contact_students.exists()


# --- importing again, and the next export -------------------------------------------------------------


def test_importing_base_again_changes_nothing(base):
    before = snapshot()
    again = applied(BASE)
    assert (again.summary["counts"], again.summary["changes"]) == ({}, [])
    assert snapshot() == before


def test_next_term_counts_exactly_the_listed_differences(next_term):
    assert next_term.summary["counts"] == NEXT_TERM_COUNTS
    with translation.override(next_term.language):
        counselor = str(StaffMembership.Role.TEACHER.label)  # the app knows teachers and principals
    changes = {(c["kind"], c["action"], c["label"]) for c in next_term.summary["changes"]}
    assert changes == {
        ("people", "new", "Tuva Lien (student)"), ("people", "new", "Gunn Lien (guardian)"),
        ("students", "new", "Tuva Lien"), ("students", "changed", "Sindre Moe Tveit"),
        ("students", "leaving", "Marte Skaar"), ("staff", "leaving", f"Berit Rong ({counselor})"),
        ("guardianships", "new", "Gunn Lien → Tuva Lien"), ("guardianships", "ended", "Per Aasen → Lars Aasen"),
    }


def test_next_term_adds_tuva_lien_in_1stb_with_her_new_guardian(next_term):
    tuva = student("s-nv09")
    assert (tuva.full_name, tuva.group, tuva.contact_teacher, tuva.birth_date) == (
        "Tuva Lien", "1STB", user("t-nv02"), date(2010, 5, 16))
    assert {code: t for (s, code), t in teachers_by_subject().items() if s == "s-nv09"} == NEXT_1STB
    gunn = user("g-14")
    assert (gunn.pid_hash, gunn.feide_id) == (pid_hash("09828146372"), None)
    assert ids_of(access.children_of(gunn)) == {"s-nv09"}
    assert Admission.objects.get(student=tuva).grade_average == Decimal("3.95")


def test_next_term_moves_sindre_to_1stb_keeping_his_enrollments_with_new_teachers(base):
    sindre = student("s-nv02")
    enrollments = set(sindre.enrollments.values_list("pk", "subject__code", "ended_on"))
    applied(NEXT_TERM)
    sindre.refresh_from_db()
    assert (sindre.group, sindre.contact_teacher) == ("1STB", user("t-nv02"))
    assert set(sindre.enrollments.values_list("pk", "subject__code", "ended_on")) == enrollments  # none ended
    assert {code: t for (s, code), t in teachers_by_subject().items() if s == "s-nv02"} == NEXT_1STB
    guro = user("t-nv03")
    assert not access.teaches(guro, sindre)  # no longer his ENG1007 teacher nor MAT1019 co-teacher
    assert access.subjects_taught(user("t-nv05"), sindre) == {Subject.objects.get(code="ENG1007").pk}


def test_next_term_gives_1stb_norwegian_to_kari_lunde(next_term):
    silje, kari = user("t-nv05"), user("t-nv01")
    english, norwegian = (Subject.objects.get(code=code).pk for code in ("ENG1007", "NOR1267"))
    for key in STB:
        assert access.subjects_taught(silje, student(key)) == {english}, key
        assert access.subjects_taught(kari, student(key)) == {norwegian}, key
    assert StaffMembership.objects.filter(user=silje).exists()  # she still teaches ENG1007 1STB


def test_next_term_teachers_see_exactly_their_new_students(next_term):
    nv = lambda *numbers: {f"s-nv0{n}" for n in numbers}  # noqa: E731
    taught = {
        "t-nv01": nv(1, 2, 4, 5, 6, 7, 8, 9), "t-nv02": nv(1, 2, 4, 5, 6, 7, 8, 9), "t-nv03": nv(1, 4),
        "t-nv04": nv(1, 2, 4, 5, 6, 8, 9), "t-nv05": nv(2, 5, 6, 7, 8, 9),
        "t-bu01": set(NINE_A), "t-bu02": set(NINE_A),
    }
    for teacher, students in taught.items():
        assert ids_of(access.students_taught_by(user(teacher))) == students, teacher
    assert set(user("t-nv02").contact_students.values_list("first_name", flat=True)) == {
        "Sindre Moe", "Nora", "Jonas", "Ane", "Ola", "Tuva"}
    assert set(user("t-nv01").contact_students.exclude(left_on__isnull=False).values_list(
        "first_name", flat=True)) == {"Ingrid", "Eirik"}


def test_the_leaving_student_keeps_her_records_and_her_subjects_end_today(base):
    marte = student("s-nv03")
    results = (marte.grades.count(), marte.absences.count(), marte.admissions.count())
    assert access.teaches(user("t-nv03"), marte)
    applied(NEXT_TERM)
    marte.refresh_from_db()
    assert marte.left_on == IMPORT_DAY
    assert set(marte.enrollments.values_list("subject__code", "ended_on")) == {
        (code, IMPORT_DAY) for code in GROUP_TEACHERS["1STA"]}
    assert (marte.grades.count(), marte.absences.count(), marte.admissions.count()) == results == (4, 2, 1)
    # who taught her stays as history, but no teacher has her among their students any more
    assert teachers_by_subject()[("s-nv03", "MAT1019")] == {"t-nv02", "t-nv03"}
    for teacher in ("t-nv01", "t-nv02", "t-nv03", "t-nv04"):
        assert not access.teaches(user(teacher), marte), teacher
        assert "s-nv03" not in ids_of(access.students_taught_by(user(teacher)))
    assert marte.user == user("s-nv03")  # her login and the link to the source stay


def test_leaving_school_does_not_end_the_leavers_guardianship(next_term):
    marte, svein = student("s-nv03"), user("g-04")
    assert Guardianship.objects.filter(guardian=svein, student=marte).exists()
    assert guardianships() == GUARDIANSHIPS - {("g-11", "s-bu02")} | {("g-14", "s-nv09")}


def test_the_ended_guardianship_takes_the_guardians_access_at_once(base):
    per, lars = user("g-11"), student("s-bu02")
    assert access.guards(per, lars)
    applied(NEXT_TERM)
    assert not access.guards(per, lars)
    assert not access.children_of(per).exists()
    assert not access.students_visible_to(per).exists()
    assert access.guards(user("g-10"), lars)  # Anne Aasen stays his guardian
    assert User.objects.filter(pk=per.pk).exists()  # nobody is deleted


def test_the_counselor_leaves_the_staff_and_the_principals_stay(next_term):
    users = sourced_ids(SourceLink.Kind.USER)
    assert {(users[m.user_id], m.school.org_number, m.role) for m in StaffMembership.objects.all()} == (
        STAFF - {("c-nv01", NORDVIK, TEACHER)})
    assert User.objects.filter(pk=user("c-nv01").pk).exists()


def test_next_term_leaves_ane_kleppes_ended_subject_and_lars_aasen_alone(base):
    ane_nat = Enrollment.objects.get(student=student("s-nv07"), subject__code="NAT1007")
    lars = Student.objects.filter(pk=student("s-bu02").pk).values().get()
    applied(NEXT_TERM)
    ane_nat.refresh_from_db()
    assert ane_nat.ended_on == date(2026, 11, 1)
    assert Student.objects.filter(pk=student("s-bu02").pk).values().get() == lars


def test_importing_next_term_again_changes_nothing(next_term):
    before = snapshot()
    again = applied(NEXT_TERM)
    assert (again.summary["counts"], again.summary["changes"]) == ({}, [])
    assert snapshot() == before


# --- dry run, the access log, accounts made before, the command --------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_of_base_changes_nothing_yet_counts_what_the_apply_does():
    before = snapshot()
    check = applied(BASE, dry_run=True)
    assert snapshot() == before
    assert check.applied_at is None
    assert check.summary["counts"] == applied(BASE).summary["counts"] == BASE_COUNTS


def test_a_dry_run_of_next_term_changes_nothing_yet_counts_what_the_apply_does(base):
    before = snapshot()
    check = applied(NEXT_TERM, dry_run=True)
    assert snapshot() == before
    apply = applied(NEXT_TERM)
    assert check.summary["counts"] == apply.summary["counts"] == NEXT_TERM_COUNTS
    assert check.summary["changes"] == apply.summary["changes"]


@pytest.mark.django_db
def test_each_applied_import_logs_one_event_and_a_dry_run_none():
    applied(BASE, dry_run=True)
    assert not AccessEvent.objects.exists()
    runs = [applied(BASE), applied(NEXT_TERM, dry_run=True), applied(NEXT_TERM)]
    events = AccessEvent.objects.order_by("pk")
    assert [(e.object_type, e.object_id, e.action) for e in events] == [
        (IMPORT, str(runs[0].pk), AccessEvent.Action.CHANGED), (IMPORT, str(runs[2].pk), AccessEvent.Action.CHANGED)]
    assert "students: 12 new" in events[0].detail


@pytest.mark.django_db
def test_accounts_made_before_the_first_import_are_adopted_not_duplicated():
    kari = User.objects.create_user("kari", email="kari@home.example", password="x" * 20, first_name="K",
                                     last_name="L", feide_id="kari.lunde@nordvik.vlfk.no")
    kjersti = User.objects.create(username="kjersti-idporten", pid_hash=pid_hash("12857841237"))  # first login
    run = applied(BASE)
    assert User.objects.count() == 35
    assert run.summary["counts"]["people"] == {"new": 33, "changed": 2}
    assert (user("t-nv01"), user("g-01")) == (kari, kjersti)
    kari.refresh_from_db()
    assert (kari.username, kari.get_full_name(), kari.email) == ("kari", "Kari Lunde", "kari@home.example")
    assert kari.has_usable_password()  # her e-mail (for a password reset) and password are hers
    assert access.teaches(kari, student("s-nv01"))
    assert ids_of(access.children_of(kjersti)) == {"s-nv01"}


@pytest.mark.django_db
def test_the_command_dry_run_prints_the_counts_and_changes_nothing():
    out = StringIO()
    call_command("import_roster", str(BASE), "--dry-run", stdout=out)
    assert "students: 12 new" in out.getvalue()
    assert "enrollments: 40 new" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert not User.objects.exists() and not Student.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_broken_export(copy_sample):
    export = copy_sample()
    (export / "classes.csv").unlink()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_roster", str(export), stdout=StringIO(), stderr=err)
    assert "classes.csv" in err.getvalue()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_membership_made_by_hand_for_an_adopted_account_is_left_alone():
    nordvik = School.objects.create(name="Nordvik vgs", org_number=NORDVIK, kind=School.Kind.UPPER_SECONDARY,
                                    owner_kind=School.OwnerKind.COUNTY, owner_name="Vestland fylkeskommune")
    kari = User.objects.create(username="kari", feide_id="kari.lunde@nordvik.vlfk.no")
    by_hand = StaffMembership.objects.create(user=kari, school=nordvik, role=PRINCIPAL)  # e.g. acting principal
    applied(BASE)
    assert user("t-nv01") == kari and School.objects.get(org_number=NORDVIK) == nordvik  # both adopted
    assert StaffMembership.objects.filter(pk=by_hand.pk).exists()
    again = applied(BASE)
    assert StaffMembership.objects.filter(pk=by_hand.pk).exists()
    assert again.summary["counts"] == {}


@pytest.mark.django_db
def test_the_first_import_adopts_a_school_set_up_by_hand_with_its_staff():
    nordvik = School.objects.create(name="Nordvik vgs", org_number=NORDVIK, kind=School.Kind.UPPER_SECONDARY,
                                    owner_kind=School.OwnerKind.COUNTY, owner_name="Vestland fylkeskommune")
    kari = User.objects.create(username="kari", feide_id="kari.lunde@nordvik.vlfk.no")
    membership = StaffMembership.objects.create(user=kari, school=nordvik, role=TEACHER)
    run = import_path(BASE)
    assert run.status == ImportRun.Status.APPLIED, run.summary
    assert list(StaffMembership.objects.filter(user=kari)) == [membership]
    assert run.summary["counts"]["staff"] == {"new": 9}


@pytest.mark.django_db
def test_the_first_import_adopts_an_adult_student_with_an_enrollment_made_by_hand():
    nordvik = School.objects.create(name="Nordvik vgs", org_number=NORDVIK, kind=School.Kind.UPPER_SECONDARY,
                                    owner_kind=School.OwnerKind.COUNTY, owner_name="Vestland fylkeskommune")
    eirik = Student.objects.create(first_name="Eirik", last_name="Vik", birth_date=date(2008, 3, 14), school=nordvik,
                                   group="1STA", pid_hash=pid_hash("14830852344"))
    maths = Enrollment.objects.create(student=eirik, subject=Subject.objects.create(code="MAT1019", name="Matte"),
                                      school_year=SchoolYear.objects.create(start_year=2026))
    run = import_path(BASE)
    assert run.status == ImportRun.Status.APPLIED, run.summary
    assert student("s-nv04") == eirik
    assert list(eirik.enrollments.filter(subject__code="MAT1019")) == [maths]
