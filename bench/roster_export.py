"""A synthetic county export in IMS OneRoster 1.1 CSV (docs/roster.md), to time `import_roster`.

    .venv/bin/python bench/roster_export.py OUT_DIR [--schools 30] [--students 30000] [--seed 1] [--change 0.0]

Upper secondary schools under one county org. Each student (Vg1–Vg3) is in one homeroom of about
28 (a contact teacher, `primary` = true) and in that group's 8 scheduled classes; one teacher per
12 students teaches a few groups of a subject, a tenth of the classes have a co-teacher; a
principal per school; 4 guardians per 3 students, some with children at two schools. Then our
result files: a T1 grade per subject, the autumn's absence, the Vg1 admissions.

`--change F` writes the export as it looks a few weeks later: of F of the students, a third have
left, a third moved to another homeroom of their school, a third are new (each with a new
guardian), and F of the scheduled classes have a new teacher. Every other row is byte for byte
what `--change 0` writes with the same `--seed`, so the pair times a re-import with a little to do.

Standard library only (no Django), rows streamed to the files: the full county takes seconds.
"""

import argparse
import csv
import itertools
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo.names import BOYS, GIRLS, LAST_NAMES, MEN, WOMEN  # noqa: E402 (plain data, no Django)

COUNTY = "Vestland fylkeskommune"
REALM = "vlfk.no"
SCHOOL_YEAR = "2026/2027"
SESSIONS = (  # sourcedId, title, type, start, end, parent, OneRoster schoolYear (the year it ends)
    ("sy2026", "Skuleåret 2026/2027", "schoolYear", "2026-08-01", "2027-07-31", "", "2027"),
    ("t2026h", "Haust 2026", "term", "2026-08-01", "2026-12-31", "sy2026", "2027"),
    ("t2027v", "Vår 2027", "term", "2027-01-01", "2027-07-31", "sy2026", "2027"),
)
TERMS = "t2026h,t2027v"
MODIFIED, MODIFIED_LATER = "2026-08-10T06:00:00Z", "2026-12-14T06:00:00Z"
FIRST_DAY, CHANGE_DAY = "2026-08-17", "2026-12-07"
ABSENCE_FROM, ABSENCE_TO = "2026-08-17", "2026-11-30"
ABSENCE_HOURS = 70 * 6  # school days in that period (autumn break out) × hours a day

HOMEROOM_SIZE = 28
STUDENTS_PER_TEACHER = 12
GUARDIANS_PER_STUDENT = 4 / 3
CO_TEACHER_SHARE = 0.10
SECOND_CONTACT_SHARE = 0.15  # homerooms with a second, non-primary teacher
SIBLING_SHARE = 0.08  # families with two children, at two schools
ADULT_WITHOUT_GUARDIANS = 0.09  # of Vg3 students, whose guardians the school no longer lists
LEVEL_SHARES = {11: 0.36, 12: 0.33, 13: 0.31}  # Vg1–Vg3 as OneRoster grades
BIRTH_YEAR = {11: 2010, 12: 2009, 13: 2008}

COURSES = {  # grade: the 8 subjects every group of that level takes (LK20 codes, as demo/scale.py)
    11: {"NOR1260": "Norsk Vg1 studieforberedende", "MAT1019": "Matematikk 1P", "ENG1007": "Engelsk",
         "NAT1007": "Naturfag", "SAK1001": "Samfunnskunnskap", "GEO1003": "Geografi",
         "KRO1017": "Kroppsøving Vg1", "FSP6218": "Spansk I, Vg1"},
    12: {"NOR1263": "Norsk Vg2 studieforberedende", "MAT1023": "Matematikk 2P", "HIS1010": "Historie Vg2",
         "KRO1018": "Kroppsøving Vg2", "FSP6219": "Spansk I, Vg2", "REA3038": "Fysikk 1",
         "REA3043": "Biologi 1", "SAM3070": "Psykologi 1"},
    13: {"NOR1267": "Norsk Vg3 studieforberedende", "HIS1011": "Historie Vg3", "REL1003": "Religion og etikk",
         "KRO1019": "Kroppsøving Vg3", "REA3056": "Matematikk R1", "REA3048": "Kjemi 2", "REA3040": "Fysikk 2",
         "SAM3072": "Sosiologi og sosialantropologi"},
}

HEADERS = {  # the full OneRoster 1.1 header of each file, our metadata columns last; then our result files
    "orgs": "sourcedId status dateLastModified name type identifier parentSourcedId metadata.no.schoolKind",
    "academicSessions": "sourcedId status dateLastModified title type startDate endDate parentSourcedId schoolYear",
    "courses": "sourcedId status dateLastModified schoolYearSourcedId title courseCode grades orgSourcedId "
               "subjects subjectCodes",
    "classes": "sourcedId status dateLastModified title grades courseSourcedId classCode classType location "
               "schoolSourcedId termSourcedIds subjects subjectCodes periods",
    "users": "sourcedId status dateLastModified enabledUser orgSourcedIds role username userIds givenName "
             "familyName middleName identifier email sms phone agentSourcedIds grades password "
             "metadata.no.feideId metadata.no.nin",
    "enrollments": "sourcedId status dateLastModified classSourcedId schoolSourcedId userSourcedId role primary "
                   "beginDate endDate",
    "demographics": "sourcedId status dateLastModified birthDate sex americanIndianOrAlaskaNative asian "
                    "blackOrAfricanAmerican nativeHawaiianOrOtherPacificIslander white "
                    "demographicRaceTwoOrMoreRaces hispanicOrLatinoEthnicity countryOfBirthCode "
                    "stateOfBirthAbbreviation cityOfBirth publicSchoolResidenceStatus",
    "grades": "studentSourcedId schoolYear subjectCode term grade",
    "absence": "studentSourcedId periodStart periodEnd subjectCode kind percent days hours",
    "admissions": "studentSourcedId schoolYear gradeAverage choice",
}

PLACES = (
    "Årstad", "Laksevåg", "Fana", "Åsane", "Arna", "Askøy", "Os", "Voss", "Sogndal", "Førde", "Stord", "Odda",
    "Nordfjordeid", "Florø", "Knarvik", "Austrheim", "Fitjar", "Bømlo", "Rosendal", "Sotra", "Norheimsund", "Dale",
    "Årdal", "Lærdal", "Høyanger", "Måløy", "Stryn", "Sandane", "Dale i Sunnfjord", "Etne", "Austevoll", "Tysnes",
)
ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", " ": "", "-": ""})


@dataclass(eq=False)
class Staff:
    id: str
    role: str
    given: str
    family: str

    @property
    def username(self) -> str:
        return f"{slug(self.given)}.{slug(self.family)}{self.id[1:].lstrip('0')}"


@dataclass(eq=False)
class Student:
    id: str
    school: "School"
    group: "Homeroom"
    given: str
    middle: str
    family: str
    sex: str
    birth: str
    ability: float  # the grades and the admission average go with it
    guardians: list = field(default_factory=list)

    @property
    def username(self) -> str:  # no dot, unlike staff: the two never collide
        return f"{slug(self.given)}{slug(self.family)}{self.id[1:].lstrip('0')}"


@dataclass(eq=False)
class Guardian:
    id: str
    given: str
    family: str
    nin: str
    children: list = field(default_factory=list)


@dataclass(eq=False)
class Scheduled:
    id: str
    code: str
    group: "Homeroom"
    teachers: list = field(default_factory=list)  # [staff, primary]


@dataclass(eq=False)
class Homeroom:
    id: str
    school: "School"
    grade: int
    title: str
    teachers: list = field(default_factory=list)
    classes: list = field(default_factory=list)
    members: list = field(default_factory=list)


@dataclass(eq=False)
class School:
    id: str
    name: str
    identifier: str
    principal: Staff = None
    teachers: list = field(default_factory=list)
    groups: list = field(default_factory=list)


@dataclass(eq=False)
class County:
    identifier: str
    schools: list = field(default_factory=list)
    staff: int = 0
    students: list = field(default_factory=list)
    base_students: int = 0  # the results are drawn for these, whoever is still there
    guardians: list = field(default_factory=list)
    nins: set = field(default_factory=set)
    gone: set = field(default_factory=set)  # user ids left out of this export
    later: set = field(default_factory=set)  # user and enrollment ids new or changed by --change


# Numbers and names


def slug(name: str) -> str:
    return name.lower().translate(ASCII)


def split(total: int, weights) -> list[int]:
    """`total` in whole parts proportional to `weights` (largest remainder), summing to it exactly."""
    weights = list(weights)
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])[:total - sum(parts)]:
        parts[i] += 1
    return parts


def letters(index: int) -> str:
    return (letters(index // 26 - 1) if index >= 26 else "") + chr(ord("A") + index % 26)


def mod11(digits: str, weights: tuple) -> int | None:
    """The mod-11 check digit used by organisation and identity numbers; None where none fits."""
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if check == 11 else None if check == 10 else check


def organisation_number(rng: random.Random) -> str:
    while (check := mod11(digits := f"9{rng.randrange(10 ** 7):07d}", (3, 2, 7, 6, 5, 4, 3, 2))) is None:
        pass
    return f"{digits}{check}"


def synthetic_nin(rng: random.Random, used: set) -> str:
    """A unique identity number of an adult born 1960–1992, month + 80: Skatteetaten's synthetic test
    numbers, never a real person's."""
    while True:
        born = date(1960, 1, 1) + timedelta(rng.randrange(33 * 365))
        digits = f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{rng.randrange(500):03d}"
        k1 = mod11(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        k2 = None if k1 is None else mod11(f"{digits}{k1}", (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 is not None and (nin := f"{digits}{k1}{k2}") not in used:
            used.add(nin)
            return nin


def adult_name(rng: random.Random) -> str:
    return rng.choice(WOMEN if rng.random() < 0.6 else MEN)


# The county


def build(seed: int, schools: int, students: int) -> County:
    """The county at the start of the school year: everything here depends on the seed and sizes only."""
    rng = random.Random(seed)
    county = County(organisation_number(rng))
    sizes = split(students, [rng.uniform(0.5, 1.5) for _ in range(schools)])
    for index, size in enumerate(sizes):
        place = PLACES[index % len(PLACES)] + (f" {index // len(PLACES) + 1}" if index >= len(PLACES) else "")
        school = School(f"sch{index + 1:02d}", f"{place} vidaregåande skule", organisation_number(rng))
        school.principal = new_staff(rng, county, "principal")
        school.teachers = [new_staff(rng, county, "teacher")
                           for _ in range(max(3, round(size / STUDENTS_PER_TEACHER)))]
        add_groups(rng, county, school, size)
        assign_teachers(rng, school)
        county.schools.append(school)
    county.base_students = len(county.students)
    add_guardians(rng, county, round(students * GUARDIANS_PER_STUDENT))
    return county


def new_staff(rng: random.Random, county: County, role: str) -> Staff:
    county.staff += 1
    return Staff(f"t{county.staff:05d}", role, adult_name(rng), rng.choice(LAST_NAMES))


def new_student(rng: random.Random, county: County, group: Homeroom) -> Student:
    girl = rng.random() < 0.5
    student = Student(
        id=f"s{len(county.students) + 1:06d}", school=group.school, group=group,
        given=rng.choice(GIRLS if girl else BOYS), middle=rng.choice(LAST_NAMES) if rng.random() < 0.15 else "",
        family=rng.choice(LAST_NAMES), sex="female" if girl else "male",
        birth=(date(BIRTH_YEAR[group.grade], 1, 1) + timedelta(rng.randrange(365))).isoformat(),
        ability=rng.gauss(4.0, 0.8),
    )
    county.students.append(student)
    group.members.append(student)
    return student


def add_groups(rng: random.Random, county: County, school: School, size: int) -> None:
    """Homerooms of about 28 per level (1STA, 1STB …), each with its 8 scheduled classes."""
    for grade, count in zip(LEVEL_SHARES, split(size, LEVEL_SHARES.values())):
        for index, members in enumerate(split(count, [1] * max(1, round(count / HOMEROOM_SIZE)))):
            title = f"{grade - 10}ST{letters(index)}"
            group = Homeroom(f"{school.id}-{title}", school, grade, title)
            group.classes = [Scheduled(f"{group.id}-{code}", code, group) for code in COURSES[grade]]
            school.groups.append(group)
            for _ in range(members):
                new_student(rng, county, group)


def other_teacher(rng: random.Random, school: School, taken: list) -> Staff:
    busy = {staff for staff, _primary in taken}
    return rng.choice([teacher for teacher in school.teachers if teacher not in busy])


def assign_teachers(rng: random.Random, school: School) -> None:
    """Each teacher takes a run of groups in one or two subjects; a tenth of the classes get a
    co-teacher. Some homerooms list a second teacher first, so that only `primary` tells the contact."""
    classes = sorted((klass for group in school.groups for klass in group.classes), key=lambda k: k.code)
    teachers = rng.sample(school.teachers, len(school.teachers))
    for index, klass in enumerate(classes):
        klass.teachers.append([teachers[index * len(teachers) // len(classes)], True])
        if rng.random() < CO_TEACHER_SHARE:
            klass.teachers.append([other_teacher(rng, school, klass.teachers), False])
    for group in school.groups:
        group.teachers.append([rng.choice(teachers), True])
        if rng.random() < SECOND_CONTACT_SHARE:
            group.teachers.insert(0, [other_teacher(rng, school, group.teachers), False])


def add_guardians(rng: random.Random, county: County, target: int) -> None:
    """Families of one child, or two at different schools (sharing a family name); one or two
    guardians each, as many with two as it takes to make `target` guardians."""
    order = rng.sample(county.students, len(county.students))
    families = []
    while order:
        family = [order.pop()]
        if order and order[-1].school is not family[0].school and rng.random() < SIBLING_SHARE:
            family.append(order.pop())
            family[1].family = family[0].family
        if len(family) == 2 or family[0].group.grade < 13 or rng.random() >= ADULT_WITHOUT_GUARDIANS:
            families.append(family)
    two = set(rng.sample(range(len(families)), min(len(families), max(0, target - len(families)))))
    for index, children in enumerate(families):
        add_guardian(rng, county, children, children[0].family)
        if index in two:
            add_guardian(rng, county, children, children[0].family if rng.random() < 0.5 else rng.choice(LAST_NAMES))


def add_guardian(rng: random.Random, county: County, children: list, family: str) -> Guardian:
    guardian = Guardian(f"g{len(county.guardians) + 1:06d}", adult_name(rng), family, synthetic_nin(rng, county.nins))
    guardian.children = list(children)
    for child in children:
        child.guardians.append(guardian)
    county.guardians.append(guardian)
    return guardian


# A few weeks later


def change(county: County, seed: int, share: float) -> None:
    """Leavers, homeroom moves, newcomers and teacher changes, drawn from their own generator so
    that the rest of the export stays as it was."""
    rng = random.Random(f"{seed}:change")
    third = round(share * county.base_students) // 3
    newcomers = round(share * county.base_students) - 2 * third
    candidates = rng.sample(county.students, county.base_students)
    for student in candidates[:third]:
        leave(county, student)
    movable = (student for student in candidates[third:] if len(same_level(student.group)) > 1)
    for student in itertools.islice(movable, third):
        move(rng, county, student)
    groups = [group for school in county.schools for group in school.groups]
    for _ in range(newcomers):
        student = new_student(rng, county, rng.choice(groups))
        county.later.add(student.id)
        county.later.update(enrollment_ids(student))
        county.later.add(add_guardian(rng, county, [student], student.family).id)
    classes = [klass for group in groups for klass in group.classes]
    for klass in rng.sample(classes, round(share * len(classes))):
        teacher = other_teacher(rng, klass.group.school, klass.teachers)
        klass.teachers[0] = [teacher, True]
        county.later.add(f"{klass.id}-{teacher.id}")


def leave(county: County, student: Student) -> None:
    """Gone from the export; so is a guardian with no other child in it."""
    county.gone.add(student.id)
    student.group.members.remove(student)
    for guardian in student.guardians:
        guardian.children.remove(student)
        (county.later if guardian.children else county.gone).add(guardian.id)


def same_level(group: Homeroom) -> list:
    return [other for other in group.school.groups if other.grade == group.grade]


def move(rng: random.Random, county: County, student: Student) -> None:
    """To another homeroom of the same level at the same school, and to its scheduled classes."""
    student.group.members.remove(student)
    student.group = rng.choice([group for group in same_level(student.group) if group is not student.group])
    student.group.members.append(student)
    county.later.update(enrollment_ids(student))


def enrollment_ids(student: Student) -> list[str]:
    return [f"{klass.id}-{student.id}" for klass in (student.group, *student.group.classes)]


# The files


def modified(county: County, sourced_id: str) -> str:
    return MODIFIED_LATER if sourced_id in county.later else MODIFIED


def orgs(county: County):
    yield ["county", "active", MODIFIED, COUNTY, "district", county.identifier, "", ""]
    for school in county.schools:
        yield [school.id, "active", MODIFIED, school.name, "school", school.identifier, "county", "upper_secondary"]


def academic_sessions(county: County):
    for sourced_id, title, kind, start, end, parent, year in SESSIONS:
        yield [sourced_id, "active", MODIFIED, title, kind, start, end, parent, year]


def courses(county: County):
    """Per school, like the administration systems keep them; the homerooms' course has no subject code."""
    for school in county.schools:
        yield [f"{school.id}-basis", "active", MODIFIED, "sy2026", "Basisgruppe", "", "11,12,13", school.id, "", ""]
        for grade, subjects in COURSES.items():
            for code, title in subjects.items():
                yield [f"{school.id}-{code}", "active", MODIFIED, "sy2026", title, code, str(grade), school.id, "", ""]


def classes(county: County):
    for school in county.schools:
        for group in school.groups:
            yield [group.id, "active", MODIFIED, group.title, str(group.grade), f"{school.id}-basis", group.title,
                   "homeroom", "", school.id, TERMS, "", "", ""]
            for klass in group.classes:
                title = f"{group.title} {COURSES[group.grade][klass.code]}"
                yield [klass.id, "active", MODIFIED, title, str(group.grade), f"{school.id}-{klass.code}",
                       f"{group.title}/{klass.code}", "scheduled", "", school.id, TERMS, "", "", ""]


def enrollments(county: County):
    for school in county.schools:
        for group in school.groups:
            for klass in (group, *group.classes):
                for teacher, primary in klass.teachers:
                    yield enrollment(county, klass.id, school.id, teacher.id, "teacher", primary)
                for student in group.members:
                    yield enrollment(county, klass.id, school.id, student.id, "student", False)


def enrollment(county: County, class_id: str, school_id: str, user_id: str, role: str, primary: bool) -> list:
    sourced_id = f"{class_id}-{user_id}"
    later = sourced_id in county.later
    return [sourced_id, "active", MODIFIED_LATER if later else MODIFIED, class_id, school_id, user_id, role,
            "true" if primary else "false", CHANGE_DAY if later else FIRST_DAY, ""]


def users(county: County):
    """Staff school by school, then students, then guardians, each in id order (newcomers last)."""
    for school in county.schools:
        for staff in (school.principal, *school.teachers):
            feide = f"{staff.username}@{REALM}"
            yield [staff.id, "active", MODIFIED, "true", school.id, staff.role, staff.username, "", staff.given,
                   staff.family, "", "", feide, "", "", "", "", "", feide, ""]
    for s in county.students:
        if s.id not in county.gone:
            feide, guardians = f"{s.username}@{REALM}", ",".join(g.id for g in s.guardians)
            yield [s.id, "active", modified(county, s.id), "true", s.school.id, "student", s.username, "", s.given,
                   s.family, s.middle, "", feide, "", "", guardians, str(s.group.grade), "", feide, ""]
    for g in county.guardians:
        if g.id not in county.gone:
            schools = ",".join(dict.fromkeys(child.school.id for child in g.children))
            yield [g.id, "active", modified(county, g.id), "true", schools, "guardian", "", "", g.given, g.family,
                   "", "", "", "", "", ",".join(child.id for child in g.children), "", "", "", g.nin]


def demographics(county: County):
    for s in county.students:
        if s.id not in county.gone:
            yield [s.id, "active", modified(county, s.id), s.birth, s.sex] + [""] * 11


def results(county: County, seed: int, name: str, draw):
    """Rows drawn for every student of the first export, in order, from the file's own generator, and
    written for those still there: a leaver takes their rows along and nobody else's. Newcomers have none yet."""
    rng = random.Random(f"{seed}:{name}")
    for student in county.students[:county.base_students]:
        rows = draw(rng, student)
        if student.id not in county.gone:
            yield from rows


def grades(rng: random.Random, student: Student) -> list:
    return [[student.id, SCHOOL_YEAR, code, "T1", grade(rng, student.ability)] for code in COURSES[student.group.grade]]


def grade(rng: random.Random, ability: float) -> str:
    if rng.random() < 0.005:
        return "IV"
    return str(min(6, max(1, round(ability + rng.gauss(0, 0.7)))))


def absence(rng: random.Random, student: Student) -> list:
    rows = []
    for kind, mean_days, mean_hours in (("documented", 2.5, 3), ("undocumented", 1.2, 5)):
        days, hours = int(rng.expovariate(1 / mean_days)), int(rng.expovariate(1 / mean_hours))
        percent = min(100.0, 100 * (days * 6 + hours) / ABSENCE_HOURS)
        rows.append([student.id, ABSENCE_FROM, ABSENCE_TO, "", kind, decimal(percent, 1), days, hours])
    return rows


def admissions(rng: random.Random, student: Student) -> list:
    if student.group.grade != 11:
        return []
    average = min(6.0, max(2.0, student.ability + rng.gauss(0, 0.25)))
    return [[student.id, SCHOOL_YEAR, decimal(average, 2), "first" if rng.random() < 0.85 else "lower"]]


def decimal(value: float, places: int) -> str:
    """With a decimal comma, as Norwegian exports write it (the csv writer quotes it)."""
    return f"{value:.{places}f}".replace(".", ",")


def write(folder: Path, name: str, rows) -> int:
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS[name].split())
        count = 0
        for count, row in enumerate(rows, 1):
            writer.writerow(row)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--students", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--change", type=float, default=0.0, help="share of students and classes changed (0.01)")
    arguments = parser.parse_args()
    started = time.perf_counter()
    county = build(arguments.seed, arguments.schools, arguments.students)
    if arguments.change:
        change(county, arguments.seed, arguments.change)
    arguments.out_dir.mkdir(parents=True, exist_ok=True)
    files = {"orgs": orgs(county), "academicSessions": academic_sessions(county), "users": users(county),
             "courses": courses(county), "classes": classes(county), "enrollments": enrollments(county),
             "demographics": demographics(county)}
    files.update((name, results(county, arguments.seed, name, draw))
                 for name, draw in (("grades", grades), ("absence", absence), ("admissions", admissions)))
    for name, rows in files.items():
        count = write(arguments.out_dir, name, rows)
        size = (arguments.out_dir / f"{name}.csv").stat().st_size
        print(f"{name + '.csv':<22} {count:>9,} rows {size / 1e6:>8.1f} MB")
    print(f"{arguments.out_dir}: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
