"""OneRoster 1.1 CSV → the roster as the app sees it (docs/roster.md), checked row by row.

The result names everything by the source's `sourcedId`s; `roster.sync` matches them to our rows.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SchoolYear
from accounts.oidc.pid import pid_hash

from .reading import Export, Problems, Row

ROSTER_FILES = ("orgs.csv", "academicSessions.csv", "users.csv", "courses.csv", "classes.csv", "enrollments.csv")
REQUIRED_COLUMNS = {
    "orgs.csv": ["sourcedId", "name", "type", "identifier"],
    "academicSessions.csv": ["sourcedId", "startDate", "endDate"],
    "users.csv": ["sourcedId", "orgSourcedIds", "role", "givenName", "familyName"],
    "courses.csv": ["sourcedId", "title", "courseCode"],
    "classes.csv": ["sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"],
    "enrollments.csv": ["classSourcedId", "userSourcedId", "role"],
    "demographics.csv": ["sourcedId", "birthDate"],
}
STAFF_ROLES = {"teacher", "aide", "counselor", "administrator", "siteAdministrator"}
GUARDIAN_ROLES = {"guardian", "parent", "relative"}
PRINCIPAL, STAFF, STUDENT, GUARDIAN = "principal", "staff", "student", "guardian"
DELETED = "tobedeleted"
FEIDE_IN_USER_IDS = re.compile(r"\{\s*feide(?:id)?\s*:\s*([^}]+)\}", re.IGNORECASE)


@dataclass
class SchoolRow:
    sourced_id: str
    line: int
    name: str
    org_number: str
    kind: str
    owner_kind: str
    owner_name: str


@dataclass
class Person:
    sourced_id: str
    line: int
    role: str  # PRINCIPAL, STAFF, STUDENT or GUARDIAN
    username: str
    first_name: str
    last_name: str
    email: str
    feide_id: str | None
    pid_hash: str | None
    schools: list[str]
    birth_date: date | None = None
    grade_level: int | None = None
    group: str = ""
    contact_teacher: str | None = None
    leaves_on: date | None = None  # a homeroom enrollment ending before the school year does


@dataclass
class Roster:
    """What the export says is true for its schools, all named by sourcedId (subjects by code)."""

    schools: dict[str, SchoolRow] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    guardianships: set[tuple[str, str]] = field(default_factory=set)  # (guardian, student)
    staff: set[tuple[str, str, str]] = field(default_factory=set)  # (user, school, role)
    subjects: dict[str, str] = field(default_factory=dict)  # code → name
    # (student, subject code, school year start) → teachers and the day the student left the subject
    enrollments: dict[tuple[str, str, int], "Taking"] = field(default_factory=dict)
    years: set[int] = field(default_factory=set)


@dataclass
class Taking:
    """A student's subject in a year: the teachers of all its classes; ended when every class has ended."""

    teachers: set[str] = field(default_factory=set)
    ends: list[date | None] = field(default_factory=list)

    @property
    def ended_on(self) -> date | None:
        return None if None in self.ends or not self.ends else max(self.ends)


def parse_date(text: str) -> date | None:
    """`YYYY-MM-DD` (OneRoster) or `DD.MM.YYYY` (Norwegian Excel); None if it is not a real date."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T.*)?", text) or re.fullmatch(
        r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if not match:
        return None
    parts = [int(p) for p in match.groups()]
    year, month, day = parts if len(match.group(1)) == 4 else parts[::-1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def birth_date_from_nin(nin: str) -> date | None:
    """The birth date inside a Norwegian identity number (D-, H- and synthetic test numbers too)."""
    if not re.fullmatch(r"\d{11}", nin):
        return None
    day, month, year2, individual = int(nin[0:2]), int(nin[2:4]), int(nin[4:6]), int(nin[6:9])
    day -= 40 if day > 40 else 0  # D-number
    month -= 80 if month > 80 else 40 if month > 40 else 0  # synthetic test number, H-number
    if individual < 500:
        century = 1900
    elif individual < 750 and year2 >= 54:
        century = 1800
    elif year2 < 40:
        century = 2000
    else:
        century = 1900
    try:
        return date(century + year2, month, day)
    except ValueError:
        return None


def read_roster(export: Export, problems: Problems) -> Roster | None:
    """The roster of the export, or None if it has none (results only). Problems are added as found."""
    present = [name for name in ROSTER_FILES if name in export.tables]
    if not present:
        return None
    for name in ROSTER_FILES:
        if name not in export.tables:
            problems.add(name, None, _("the file is missing: the roster files come together (%(names)s).")
                         % {"names": ", ".join(ROSTER_FILES)})
    if len(present) < len(ROSTER_FILES) or not _columns_present(export, problems):
        return None
    return _Reader(export, problems).read()


def _columns_present(export: Export, problems: Problems) -> bool:
    fine = True
    for name, columns in REQUIRED_COLUMNS.items():
        table = export.tables.get(name)
        for column in columns:
            if table is not None and column not in table.columns:
                problems.add(name, 1, _("the column %(column)s is missing.") % {"column": column})
                fine = False
    return fine


def rows_by_id(export: Export, name: str, problems: Problems, id_column: str = "sourcedId") -> dict[str, Row]:
    """The live rows of a file by their id; a duplicate or empty id is a problem."""
    found: dict[str, Row] = {}
    for row in export.tables[name].rows:
        if row["status"].lower() == DELETED:
            continue
        key = row[id_column]
        if not key:
            problems.add(name, row.line, _("%(column)s is empty.") % {"column": id_column})
        elif key in found:
            problems.add(name, row.line, _("%(column)s %(id)s appears twice (first on line %(first)d).")
                         % {"column": id_column, "id": key, "first": found[key].line})
        else:
            found[key] = row
    return found


def split_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _Reader:
    def __init__(self, export: Export, problems: Problems):
        self.export, self.problems, self.roster = export, problems, Roster()
        self.today = timezone.localdate()
        self.nin_birth_dates: dict[str, date | None] = {}

    def problem(self, file: str, row: Row, message: str) -> None:
        self.problems.add(file, row.line, message)

    def read(self) -> Roster:
        orgs = rows_by_id(self.export, "orgs.csv", self.problems)
        sessions = rows_by_id(self.export, "academicSessions.csv", self.problems)
        users = rows_by_id(self.export, "users.csv", self.problems)
        courses = rows_by_id(self.export, "courses.csv", self.problems)
        classes = rows_by_id(self.export, "classes.csv", self.problems)
        years = self._session_years(sessions)
        class_years = self._class_years(classes, years)
        self._subjects(courses)
        self._people(users, orgs)
        self._birth_dates()
        self._schools(orgs, classes)
        self._enrollments(classes, class_years, courses)
        self._missing_birth_dates()
        return self.roster

    def _session_years(self, sessions: dict[str, Row]) -> dict[str, int]:
        years = {}
        for key, row in sessions.items():
            start, end = parse_date(row["startDate"]), parse_date(row["endDate"])
            for column, value, parsed in (("startDate", row["startDate"], start), ("endDate", row["endDate"], end)):
                if parsed is None:
                    self.problem("academicSessions.csv", row,
                                 _("%(column)s %(value)s is not a date.") % {"column": column, "value": value})
            if start and end and end < start:
                self.problem("academicSessions.csv", row, _("the session ends before it starts."))
            if start:
                years[key] = SchoolYear.start_year_of(start)
        return years

    def _class_years(self, classes: dict[str, Row], years: dict[str, int]) -> dict[str, int]:
        class_years = {}
        for key, row in classes.items():
            terms = split_ids(row["termSourcedIds"])
            unknown = [term for term in terms if term not in years]
            if not terms or unknown:
                self.problem("classes.csv", row, _("term %(term)s is not in academicSessions.csv.")
                             % {"term": ", ".join(unknown) or "—"})
                continue
            class_years[key] = years[terms[0]]
            self.roster.years.add(years[terms[0]])
        return class_years

    def _subjects(self, courses: dict[str, Row]) -> None:
        for row in courses.values():
            code = row["courseCode"]
            if len(code) > 20:
                self.problem("courses.csv", row, _("the course code %(code)s is longer than 20 characters.")
                             % {"code": code})
            elif code:  # a homeroom's course may have none
                self.roster.subjects.setdefault(code, row["title"][:200] or code)

    def _people(self, users: dict[str, Row], orgs: dict[str, Row]) -> None:
        agents = {}
        for key, row in users.items():
            role = self._role(row)
            if role is None:
                continue
            schools = [org for org in split_ids(row["orgSourcedIds"]) if org in orgs]
            unknown = [org for org in split_ids(row["orgSourcedIds"]) if org not in orgs]
            if unknown:
                self.problem("users.csv", row, _("organisation %(org)s is not in orgs.csv.")
                             % {"org": ", ".join(unknown)})
            if role == STUDENT and not schools:
                self.problem("users.csv", row, _("the student belongs to no school in orgs.csv."))
            if not row["givenName"] or not row["familyName"]:
                self.problem("users.csv", row, _("givenName and familyName must both be filled in."))
            self.roster.people[key] = Person(
                sourced_id=key, line=row.line, role=role, username=row["username"][:150],
                first_name=" ".join(filter(None, [row["givenName"], row["middleName"]]))[:150],
                last_name=row["familyName"][:150], email=row["email"][:254],
                feide_id=self._feide_id(row), pid_hash=self._pid_hash(row), schools=schools,
                grade_level=min(_grade_numbers(row["grades"]), default=None) if role == STUDENT else None,
            )
            agents[key] = split_ids(row["agentSourcedIds"])
            if role in (STAFF, PRINCIPAL):
                for school in schools:
                    self.roster.staff.add((key, school, role))
        self._guardianships(users, agents)

    def _role(self, row: Row) -> str | None:
        role = row["role"]
        if role == "student":
            return STUDENT
        if role == "principal":
            return PRINCIPAL
        if role in STAFF_ROLES:
            return STAFF
        if role in GUARDIAN_ROLES:
            return GUARDIAN
        return None  # proctors, district and system administrators: not people of a school

    def _feide_id(self, row: Row) -> str | None:
        found = row["metadata.no.feideId"] or next(iter(FEIDE_IN_USER_IDS.findall(row["userIds"])), "")
        return found.strip()[:254] or None

    def _pid_hash(self, row: Row) -> str | None:
        nin = "".join(row["metadata.no.nin"].split())
        if not nin:
            return None
        if not re.fullmatch(r"\d{11}", nin):
            self.problem("users.csv", row, _("metadata.no.nin is not an identity number of 11 digits."))
            return None
        if not getattr(settings, "PID_HASH_KEY", ""):
            self.problem("users.csv", row, _("an identity number is given, but PID_HASH_KEY is not set: "
                                             "it cannot be stored."))
            return None
        self.nin_birth_dates[row["sourcedId"]] = birth_date_from_nin(nin)
        return pid_hash(nin)

    def _guardianships(self, users: dict[str, Row], agents: dict[str, list[str]]) -> None:
        people = self.roster.people
        for key, linked in agents.items():
            person = people[key]
            for other in linked:
                if other not in users:
                    self.problem("users.csv", users[key], _("agent %(id)s is not in users.csv.") % {"id": other})
                    continue
                if other not in people:
                    continue
                pair = self._guardian_pair(person, people[other])
                if pair is None:
                    self.problem("users.csv", users[key], _("agent %(id)s must be a guardian of a student.")
                                 % {"id": other})
                else:
                    self.roster.guardianships.add(pair)

    @staticmethod
    def _guardian_pair(person: Person, other: Person) -> tuple[str, str] | None:
        if person.role == GUARDIAN and other.role == STUDENT:
            return person.sourced_id, other.sourced_id
        if person.role == STUDENT and other.role == GUARDIAN:
            return other.sourced_id, person.sourced_id
        return None

    def _birth_dates(self) -> None:
        table = self.export.tables.get("demographics.csv")
        if table is None:
            return
        if "sourcedId" not in table.columns or "birthDate" not in table.columns:
            return  # reported by _columns_present
        for key, row in rows_by_id(self.export, "demographics.csv", self.problems).items():
            person = self.roster.people.get(key)
            if person is None or person.role != STUDENT or not row["birthDate"]:
                continue
            born = parse_date(row["birthDate"])
            if born is None:
                self.problem("demographics.csv", row, _("birth date %(value)s is not a date.")
                             % {"value": row["birthDate"]})
            elif born > self.today:
                self.problem("demographics.csv", row, _("birth date %(value)s is in the future.")
                             % {"value": row["birthDate"]})
            else:
                person.birth_date = born

    def _missing_birth_dates(self) -> None:
        for person in self.roster.people.values():
            if person.role != STUDENT or person.birth_date:
                continue
            person.birth_date = self.nin_birth_dates.get(person.sourced_id)
            if person.birth_date is None:
                self.problems.add("users.csv", person.line, _(
                    "student %(id)s has no birth date (in demographics.csv or from metadata.no.nin).")
                    % {"id": person.sourced_id})

    def _schools(self, orgs: dict[str, Row], classes: dict[str, Row]) -> None:
        grades = defaultdict(set)
        for row in classes.values():
            grades[row["schoolSourcedId"]].update(_grade_numbers(row["grades"]))
        for key, row in orgs.items():
            if row["type"] != "school":
                continue
            if not re.fullmatch(r"\d{9}", row["identifier"]):
                self.problem("orgs.csv", row, _("the organisation number %(value)s is not nine digits.")
                             % {"value": row["identifier"]})
            owner = orgs.get(row["parentSourcedId"])
            kind = self._school_kind(row, grades[key])
            owner_name = owner["name"] if owner else ""
            self.roster.schools[key] = SchoolRow(
                sourced_id=key, line=row.line, name=row["name"][:200], org_number=row["identifier"], kind=kind,
                owner_kind=_owner_kind(owner_name, kind), owner_name=owner_name[:200],
            )
        for person in self.roster.people.values():
            person.schools = [school for school in person.schools if school in self.roster.schools]

    def _school_kind(self, row: Row, grades: set[int]) -> str:
        given = row["metadata.no.schoolKind"]
        if given in ("upper_secondary", "lower_secondary", "primary"):
            return given
        if given:
            self.problem("orgs.csv", row, _("metadata.no.schoolKind %(value)s is not one of upper_secondary, "
                                            "lower_secondary, primary.") % {"value": given})
        top = max(grades, default=11)
        return "upper_secondary" if top >= 11 else "lower_secondary" if top >= 8 else "primary"

    def _enrollments(self, classes: dict[str, Row], class_years: dict[str, int], courses: dict[str, Row]) -> None:
        members = defaultdict(lambda: ([], []))  # class → (students, teachers as (primary, user))
        for row in self.export.tables["enrollments.csv"].rows:
            if row["status"].lower() == DELETED:
                continue
            self._enrollment_row(row, classes, members)
        for key, (students, teachers) in members.items():
            row = classes[key]
            if row["classType"] == "homeroom":
                self._homeroom(row, students, teachers, class_years.get(key))
            elif key in class_years:
                self._scheduled(row, students, teachers, class_years[key], courses)

    def _enrollment_row(self, row: Row, classes: dict[str, Row], members) -> None:
        person = self.roster.people.get(row["userSourcedId"])
        if row["classSourcedId"] not in classes:
            self.problem("enrollments.csv", row, _("class %(id)s is not in classes.csv.")
                         % {"id": row["classSourcedId"]})
            return
        if person is None:
            self.problem("enrollments.csv", row, _("user %(id)s is not in users.csv.")
                         % {"id": row["userSourcedId"]})
            return
        klass = classes[row["classSourcedId"]]
        if klass["classType"] not in ("homeroom", "scheduled"):
            return  # other class types (e.g. a school's activity groups) are not ours
        students, teachers = members[row["classSourcedId"]]
        ended = parse_date(row["endDate"]) if row["endDate"] else None
        if row["endDate"] and ended is None:
            self.problem("enrollments.csv", row, _("endDate %(value)s is not a date.") % {"value": row["endDate"]})
        if row["role"] == "student" and person.role == STUDENT:
            students.append((person.sourced_id, ended))
        elif row["role"] in ("teacher", "aide") and person.role in (STAFF, PRINCIPAL):
            teachers.append((row["primary"].lower() != "true", row.line, person.sourced_id))
            if klass["schoolSourcedId"] in self.roster.schools:
                self.roster.staff.add((person.sourced_id, klass["schoolSourcedId"], STAFF))
        elif row["role"] in ("student", "teacher"):
            self.problem("enrollments.csv", row, _("user %(id)s is enrolled as %(role)s, but is not one in users.csv.")
                         % {"id": person.sourced_id, "role": row["role"]})

    def _homeroom(self, row: Row, students, teachers, year: int | None) -> None:
        """The class and its contact teacher; a student's homeroom enrollment that ends before the school
        year does is the school's notice of the day the student leaves."""
        contact = min(teachers)[2] if teachers else None  # primary first, then the first listed
        year_end = SchoolYear(start_year=year).ends_on if year else None
        for student, ended in students:
            person = self.roster.people[student]
            if not person.group:
                person.group = row["title"][:20] or row["classCode"][:20]
                person.contact_teacher = contact
                person.leaves_on = ended if ended and year_end and ended < year_end else None

    def _scheduled(self, row: Row, students, teachers, year: int, courses: dict[str, Row]) -> None:
        course = courses.get(row["courseSourcedId"])
        if course is None:
            self.problem("classes.csv", row, _("course %(id)s is not in courses.csv.") % {"id": row["courseSourcedId"]})
            return
        if course["courseCode"] not in self.roster.subjects:
            self.problem("classes.csv", row, _("course %(id)s has no course code (the subject code).")
                         % {"id": row["courseSourcedId"]})
            return
        code = course["courseCode"]
        year_end = SchoolYear(start_year=year).ends_on
        for student, ended in students:
            taking = self.roster.enrollments.setdefault((student, code, year), Taking())
            taking.teachers.update(teacher for _primary, _line, teacher in teachers)
            taking.ends.append(ended if ended and ended < year_end else None)


def _grade_numbers(text: str) -> set[int]:
    return {int(part) for part in split_ids(text) if part.isdigit()}


def _owner_kind(owner_name: str, kind: str) -> str:
    lowered = owner_name.lower()
    if "fylke" in lowered:
        return "county"
    if "kommune" in lowered:
        return "municipality"
    return "county" if kind == "upper_secondary" else "municipality"
