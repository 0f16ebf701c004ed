"""The roster and results of an export, made true in the database, and a note of every change.

One code path for the dry run and the apply: `roster.services` runs it inside a transaction and
rolls back for a dry run, so the preview is exactly what applying does. Everything is matched by
the source's `sourcedId` (`SourceLink`), never by name; the first time, a school by its
organisation number and a person by Feide name or identity number.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from accounts.models import (
    Enrollment,
    Guardianship,
    School,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
)

from .models import Absence, Admission, Grade, SourceLink
from .oneroster import PRINCIPAL, STUDENT, Person, Roster
from .reading import Problems
from .results import Results

MAX_NOTED = 500  # changes listed one by one in the summary; the counts are always whole
CHUNK = 900  # values per IN (…) on SQLite
ROLE = {PRINCIPAL: StaffMembership.Role.PRINCIPAL}


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    changes: list = field(default_factory=list)

    def note(self, kind: str, action: str, label: str, fields: list | None = None) -> None:
        self.counts[kind][action] += 1
        if len(self.changes) < MAX_NOTED:
            self.changes.append({"kind": kind, "action": action, "label": label, "fields": fields or []})

    def count(self, kind: str, action: str, number: int) -> None:
        if number:
            self.counts[kind][action] += number

    def as_json(self) -> dict:
        counts = {kind: dict(actions) for kind, actions in self.counts.items()}
        return {"counts": counts, "changes": self.changes, "noted_all": sum(
            sum(actions.values()) for actions in counts.values()) <= MAX_NOTED}


def chunked(values) -> list:
    values = list(values)
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def links(kind: str) -> dict[str, int]:
    return dict(SourceLink.objects.filter(kind=kind).values_list("sourced_id", "object_id"))


class Sync:
    """Brings the database in step with one export, for every school in it (or the one school allowed)."""

    def __init__(self, roster: Roster | None, results: Results, *, school: School | None, today: date,
                 problems: Problems, progress=lambda step, done, total: None):
        self.roster, self.results, self.scope_school = roster, results, school
        self.today, self.problems, self.progress = today, problems, progress
        self.summary = Summary()
        self.new_links: list[SourceLink] = []
        self.school_pk: dict[str, int] = {}
        self.user_pk: dict[str, int] = {}
        self.student_pk: dict[str, int] = {}
        self.year_pk: dict[int, int] = {}

    def run(self) -> Summary:
        steps = [self.schools, self.users, self.students, self.leavers, self.staff, self.guardianships,
                 self.enrollments] if self.roster else []
        steps.append(self.result_rows)
        for number, step in enumerate(steps):
            self.progress(step.__name__, number, len(steps))
            step()
            if self.problems:
                break
            # The next step finds what this one matched or made through its links.
            SourceLink.objects.bulk_create(self.new_links, batch_size=2000)
            self.new_links = []
        self.progress("done", len(steps), len(steps))
        return self.summary

    # -- schools -------------------------------------------------------------------------------

    def schools(self) -> None:
        linked = links(SourceLink.Kind.SCHOOL)
        by_pk = School.objects.in_bulk(linked.values())
        by_org = {s.org_number: s for s in School.objects.filter(
            org_number__in=[row.org_number for row in self.roster.schools.values()])}
        for row in self.roster.schools.values():
            school = by_pk.get(linked.get(row.sourced_id)) or by_org.get(row.org_number)
            if not self._school_allowed(row, school):
                continue
            if school is None:
                school = School.objects.create(name=row.name, org_number=row.org_number, kind=row.kind,
                                               owner_kind=row.owner_kind, owner_name=row.owner_name)
                self.summary.note("schools", "new", row.name)
            else:
                self._update(school, "schools", school.name, {"name": row.name, "org_number": row.org_number})
            if row.sourced_id not in linked:
                self._link(SourceLink.Kind.SCHOOL, row.sourced_id, school.pk)
            self.school_pk[row.sourced_id] = school.pk

    def _school_allowed(self, row, school) -> bool:
        if self.scope_school is None or (school is not None and school.pk == self.scope_school.pk):
            return True
        self.problems.add("orgs.csv", row.line, _("%(name)s is not your school: an IOP admin imports only "
                                                  "their own school.") % {"name": row.name})
        return False

    # -- users ---------------------------------------------------------------------------------

    def users(self) -> None:
        linked = links(SourceLink.Kind.USER)
        people = list(self.roster.people.values())
        known = {u.pk: u for u in User.objects.filter(pk__in=SourceLink.objects.filter(
            kind=SourceLink.Kind.USER).values("object_id"))}
        by_feide, by_pid = self._users_by_identity(people, linked)
        new = []
        for person in people:
            user = known.get(linked.get(person.sourced_id)) or by_feide.get(person.feide_id) or by_pid.get(
                person.pid_hash)
            if user is None:
                new.append((person, self._new_user(person)))
                continue
            self._update_user(person, user)
            self.user_pk[person.sourced_id] = user.pk
            if person.sourced_id not in linked:
                self._link(SourceLink.Kind.USER, person.sourced_id, user.pk)
        self._create_users(new)

    def _users_by_identity(self, people: list[Person], linked: dict) -> tuple[dict, dict]:
        """Accounts made before the first import (by hand, or at a first ID-porten login)."""
        unlinked = [p for p in people if p.sourced_id not in linked]
        by_feide, by_pid = {}, {}
        for part in chunked(p.feide_id for p in unlinked if p.feide_id):
            by_feide.update({u.feide_id: u for u in User.objects.filter(feide_id__in=part)})
        for part in chunked(p.pid_hash for p in unlinked if p.pid_hash):
            by_pid.update({u.pid_hash: u for u in User.objects.filter(pid_hash__in=part)})
        return by_feide, by_pid

    def _new_user(self, person: Person) -> User:
        self.summary.note("people", "new", f"{person.first_name} {person.last_name} ({person.role})")
        return User(username=person.username or person.feide_id or person.sourced_id,
                    first_name=person.first_name, last_name=person.last_name, email=person.email,
                    feide_id=person.feide_id, pid_hash=person.pid_hash, password=UNUSABLE_PASSWORD)

    def _create_users(self, new: list) -> None:
        taken = set()
        for part in chunked(user.username for _person, user in new):
            taken.update(User.objects.filter(username__in=part).values_list("username", flat=True))
        for person, user in new:
            if user.username in taken:
                self.problems.add("users.csv", person.line, _("the username %(name)s belongs to another account.")
                                  % {"name": user.username})
            taken.add(user.username)
        if self.problems:
            return
        created = User.objects.bulk_create([user for _person, user in new], batch_size=2000)
        if created and created[0].pk is None:  # SQLite before 3.35 returns no ids
            created = list(User.objects.filter(username__in=[u.username for u in created]))
        by_username = {user.username: user.pk for user in created}
        for person, user in new:
            self.user_pk[person.sourced_id] = by_username[user.username]
            self._link(SourceLink.Kind.USER, person.sourced_id, by_username[user.username])

    def _update_user(self, person: Person, user: User) -> None:
        wanted = {"first_name": person.first_name, "last_name": person.last_name}
        if person.feide_id:
            wanted["feide_id"] = person.feide_id
        if person.pid_hash:
            wanted["pid_hash"] = person.pid_hash
        if person.email and not user.has_usable_password():
            wanted["email"] = person.email  # never the e-mail a password reset goes to
        if user.is_superuser or user.is_staff:
            return  # an administrator's account is theirs, not the school system's
        self._update(user, "people", f"{user.get_full_name()} ({person.role})", wanted)

    # -- students ------------------------------------------------------------------------------

    def students(self) -> None:
        linked = links(SourceLink.Kind.STUDENT)
        known = Student.objects.in_bulk(linked.values())
        pupils = [p for p in self.roster.people.values() if p.role == STUDENT and p.schools]
        by_pid = {}
        for part in chunked(p.pid_hash for p in pupils if p.pid_hash and p.sourced_id not in linked):
            by_pid.update({s.pid_hash: s for s in Student.objects.filter(pid_hash__in=part)})
        new = []
        for person in pupils:
            student = known.get(linked.get(person.sourced_id)) or by_pid.get(person.pid_hash)
            wanted = self._student_fields(person)
            if student is None:
                new.append((person, Student(**wanted)))
                self.summary.note("students", "new", f"{person.first_name} {person.last_name}")
                continue
            if not self._may_move(person, student, wanted["school_id"]):
                continue
            if student.left_on:
                self.summary.note("students", "returning", student.full_name)
            self._update(student, "students", student.full_name, wanted)
            self.student_pk[person.sourced_id] = student.pk
            if person.sourced_id not in linked:
                self._link(SourceLink.Kind.STUDENT, person.sourced_id, student.pk)
        created = Student.objects.bulk_create([s for _p, s in new], batch_size=2000)
        for (person, _student), student in zip(new, created):
            self.student_pk[person.sourced_id] = student.pk
            self._link(SourceLink.Kind.STUDENT, person.sourced_id, student.pk)

    def _student_fields(self, person: Person) -> dict:
        fields = {"first_name": person.first_name[:100], "last_name": person.last_name[:100],
                  "birth_date": person.birth_date, "school_id": self.school_pk[person.schools[0]],
                  "group": person.group, "grade_level": person.grade_level,
                  "contact_teacher_id": self.user_pk.get(person.contact_teacher),
                  "user_id": self.user_pk[person.sourced_id], "left_on": None, "leaves_on": person.leaves_on}
        if person.pid_hash:
            fields["pid_hash"] = person.pid_hash
        return fields

    def _may_move(self, person: Person, student: Student, school_id: int) -> bool:
        """A school's IOP admin cannot take a student from another school (that would open their records)."""
        if self.scope_school is None or student.school_id == school_id:
            return True
        self.problems.add("users.csv", person.line, _("student %(id)s is at another school; a system "
                                                      "administrator imports a move between schools.")
                          % {"id": person.sourced_id})
        return False

    def scope_school_ids(self) -> set[int]:
        return set(self.school_pk.values())

    def leavers(self) -> None:
        """Students of the export's schools who are no longer in it: a leaving date, never deletion."""
        present = set(self.student_pk.values())
        leaving = Student.objects.filter(
            school_id__in=self.scope_school_ids(), left_on__isnull=True,
            pk__in=SourceLink.objects.filter(kind=SourceLink.Kind.STUDENT).values("object_id"),
        )
        ids = []
        for student in leaving.only("pk", "first_name", "last_name").iterator(chunk_size=5000):
            if student.pk not in present:
                ids.append(student.pk)
                self.summary.note("students", "leaving", student.full_name)
        ended = accounts_services.students_leave(student_ids=ids, on=self.today)
        self.summary.count("enrollments", "ended", ended)

    # -- relations -----------------------------------------------------------------------------

    def staff(self) -> None:
        """Memberships as the export says, for its schools; one made by hand is never ended."""
        user_ids = {pk: sid for sid, pk in self.user_pk.items()}
        school_ids = {pk: sid for sid, pk in self.school_pk.items()}
        wanted = {(self.user_pk[user], self.school_pk[school], ROLE.get(role, StaffMembership.Role.TEACHER))
                  for user, school, role in self.roster.staff if school in self.school_pk}
        rows = StaffMembership.objects.filter(school_id__in=self.scope_school_ids())
        found = {(m.user_id, m.school_id, m.role): m.pk for m in rows.only("user_id", "school_id", "role")}
        self._sync_relations(
            SourceLink.Kind.MEMBERSHIP, "staff", wanted, found,
            key_of=lambda t: f"{user_ids.get(t[0], t[0])}|{school_ids.get(t[1], t[1])}|{t[2]}",
            label=lambda t, names: f"{names[t[0]]} ({StaffMembership.Role(t[2]).label})",
            names=self._user_names, create=lambda keys: StaffMembership.objects.bulk_create(
                [StaffMembership(user_id=u, school_id=s, role=r) for u, s, r in keys], batch_size=2000),
            end=lambda ids: accounts_services.staff_memberships_end(membership_ids=ids), gone_word="leaving")

    def guardianships(self) -> None:
        """Guardianships of the students in the export as it says; one made by hand is never ended.

        A student who has left keeps their guardians: leaving school does not end guardianship.
        """
        user_ids = {pk: sid for sid, pk in self.user_pk.items()}
        student_ids = {pk: sid for sid, pk in self.student_pk.items()}
        wanted = {(self.user_pk[g], self.student_pk[s]) for g, s in self.roster.guardianships if s in self.student_pk}
        found = {}
        for part in chunked(student_ids):
            found.update({(g.guardian_id, g.student_id): g.pk for g in Guardianship.objects.filter(
                student_id__in=part, guardian__isnull=False).only("guardian_id", "student_id")})
        self._sync_relations(
            SourceLink.Kind.GUARDIANSHIP, "guardianships", wanted, found,
            key_of=lambda t: f"{user_ids.get(t[0], t[0])}|{student_ids[t[1]]}",
            label=lambda t, names: f"{names[t[0]]} → {names[('student', t[1])]}",
            names=lambda keys: {**self._user_names({g for g, _s in keys}),
                                **{("student", pk): name for pk, name in self._student_names(
                                    {s for _g, s in keys}).items()}},
            create=lambda keys: Guardianship.objects.bulk_create(
                [Guardianship(guardian_id=g, student_id=s) for g, s in keys], batch_size=2000),
            end=lambda ids: accounts_services.guardianships_end(guardianship_ids=ids), gone_word="ended")

    def _sync_relations(self, kind, summary_kind, wanted: set, found: dict, *, key_of, label, names, create,
                        end, gone_word) -> None:
        """Make `wanted` true: create what is missing, adopt what exists, end only what the import made."""
        linked = {pk: sid for sid, pk in links(kind).items()}
        new = sorted(wanted - set(found))
        adopt = [key for key in wanted & set(found) if found[key] not in linked]
        gone = sorted(key for key, pk in found.items() if pk in linked and key not in wanted)
        shown = names({key[0] for key in new + gone} if kind == SourceLink.Kind.MEMBERSHIP else new + gone)
        for key in new:
            self.summary.note(summary_kind, "new", label(key, shown))
        for key in gone:
            self.summary.note(summary_kind, gone_word, label(key, shown))
        created = create(new)
        for key, row in zip(new, created):
            self._link(kind, key_of(key), row.pk)
        for key in adopt:
            self._link(kind, key_of(key), found[key])
        end([found[key] for key in gone])
        gone_links = [linked[found[key]] for key in gone]
        for part in chunked(gone_links):
            SourceLink.objects.filter(kind=kind, sourced_id__in=part).delete()

    def enrollments(self) -> None:
        subjects = self._subjects()
        years = {start: SchoolYear.objects.get_or_create(start_year=start)[0].pk for start in self.roster.years}
        self.year_pk.update(years)
        wanted = {(self.student_pk[s], subjects[code], years[year]): taking
                  for (s, code, year), taking in self.roster.enrollments.items() if s in self.student_pk}
        existing = self._existing_enrollments(set(years.values()))
        teachers = self._existing_teachers()
        self._end_missing_enrollments(wanted, existing)
        self._save_enrollments(wanted, existing, teachers)

    def _subjects(self) -> dict[str, int]:
        found = dict(Subject.objects.filter(code__in=list(self.roster.subjects)).values_list("code", "pk"))
        for code, name in sorted(self.roster.subjects.items()):
            if code not in found:
                found[code] = Subject.objects.create(code=code, name=name).pk
                self.summary.note("subjects", "new", f"{code} {name}")
        return found

    def _existing_enrollments(self, year_ids: set[int]) -> dict[tuple, tuple[int, date | None]]:
        rows = Enrollment.objects.filter(
            school_year_id__in=year_ids, student__school_id__in=self.scope_school_ids(),
            student_id__in=SourceLink.objects.filter(kind=SourceLink.Kind.STUDENT).values("object_id"),
        ).values_list("student_id", "subject_id", "school_year_id", "pk", "ended_on")
        return {(s, subject, year): (pk, ended) for s, subject, year, pk, ended in rows.iterator(chunk_size=5000)}

    def _existing_teachers(self) -> dict[int, set[int]]:
        """The teachers of every enrollment of the export's schools and years, by enrollment."""
        found = defaultdict(set)
        rows = Enrollment.teachers.through.objects.filter(
            enrollment__student__school_id__in=self.scope_school_ids(),
            enrollment__school_year_id__in=list(self.year_pk.values()))
        for enrollment, user in rows.values_list("enrollment_id", "user_id").iterator(chunk_size=5000):
            found[enrollment].add(user)
        return found

    def _end_missing_enrollments(self, wanted: dict, existing: dict) -> None:
        gone = [pk for key, (pk, ended) in existing.items() if key not in wanted and ended is None]
        self.summary.count("enrollments", "ended", len(gone))
        accounts_services.enrollments_end(enrollment_ids=gone, on=self.today)

    def _save_enrollments(self, wanted: dict, existing: dict, teachers: dict) -> None:
        new, changed, add, remove = [], [], [], []
        for key, taking in wanted.items():
            want_teachers = {self.user_pk[t] for t in taking.teachers}
            if key not in existing:
                new.append((Enrollment(student_id=key[0], subject_id=key[1], school_year_id=key[2],
                                       ended_on=taking.ended_on), want_teachers))
                continue
            pk, ended = existing[key]
            if ended != taking.ended_on:
                changed.append(Enrollment(pk=pk, ended_on=taking.ended_on))
            have = teachers.get(pk, set())
            add += [(pk, user) for user in want_teachers - have]
            remove += [(pk, user) for user in have - want_teachers]
        created = Enrollment.objects.bulk_create([e for e, _t in new], batch_size=2000)
        add += [(enrollment.pk, user) for enrollment, (_e, users) in zip(created, new) for user in users]
        Enrollment.objects.bulk_update(changed, ["ended_on"], batch_size=2000)
        through = Enrollment.teachers.through
        through.objects.bulk_create([through(enrollment_id=e, user_id=u) for e, u in add], batch_size=5000)
        for part in chunked(remove):
            accounts_services.enrollment_teachers_remove(pairs=part)
        self.summary.count("enrollments", "new", len(new))
        self.summary.count("enrollments", "changed", len(changed))
        self.summary.count("teaching", "new", len(add))
        self.summary.count("teaching", "ended", len(remove))

    # -- results -------------------------------------------------------------------------------

    def result_rows(self) -> None:
        if not self.results:
            return
        students = self._result_students()
        if self.problems:
            return
        ResultWriter(self, students).write()

    def _result_students(self) -> dict[str, int]:
        """The students the results name: known by sourcedId, and within the school allowed."""
        linked = dict(self.student_pk)
        wanted = self.results.students - set(linked)
        for part in chunked(wanted):
            linked.update(SourceLink.objects.filter(kind=SourceLink.Kind.STUDENT, sourced_id__in=part)
                          .values_list("sourced_id", "object_id"))
        if self.scope_school is not None:
            outside = set()
            for part in chunked(linked.values()):
                outside.update(Student.objects.filter(pk__in=part).exclude(school=self.scope_school)
                               .values_list("pk", flat=True))
            linked = {key: pk for key, pk in linked.items() if pk not in outside}
        for key, (file, line) in self.results.lines.items():
            if key[1] not in linked:
                self.problems.add(file, line, _("student %(id)s is not in this export or an earlier one.")
                                  % {"id": key[1]})
        return linked

    # -- helpers -------------------------------------------------------------------------------

    def _update(self, obj, kind: str, label: str, wanted: dict) -> None:
        """Set what differs, save only those fields, and note the change field by field."""
        diffs = [(name, getattr(obj, name), value) for name, value in wanted.items() if getattr(obj, name) != value]
        if not diffs:
            return
        for name, _old, value in diffs:
            setattr(obj, name, value)
        obj.save(update_fields=[name for name, _old, _new in diffs])
        self.summary.note(kind, "changed", label, [[name.removesuffix("_id"), self._shown(name, old),
                                                    self._shown(name, new)] for name, old, new in diffs])

    def _shown(self, name: str, value) -> str:
        """How a changed field appears in the preview: a name for a link; an identity number's hash never."""
        if value is None:
            return ""
        if name == "pid_hash":
            return "•••"
        if name in ("contact_teacher_id", "user_id"):
            return self._user_names({value}).get(value, "")
        if name == "school_id":
            return str(School.objects.get(pk=value))
        return str(value)

    def _link(self, kind: str, sourced_id: str, pk: int) -> None:
        self.new_links.append(SourceLink(kind=kind, sourced_id=sourced_id, object_id=pk))

    @staticmethod
    def _user_names(pks: set[int]) -> dict[int, str]:
        names = {}
        for part in chunked(pks):
            names.update({u.pk: str(u) for u in User.objects.filter(pk__in=part).only(
                "first_name", "last_name", "username")})
        return names

    @staticmethod
    def _student_names(pks: set[int]) -> dict[int, str]:
        names = {}
        for part in chunked(pks):
            names.update({s.pk: s.full_name for s in Student.objects.filter(pk__in=part).only(
                "first_name", "last_name")})
        return names


UNUSABLE_PASSWORD = make_password(None)


class ResultWriter:
    """Grades, absence and admissions: added or corrected, never deleted by being absent."""

    def __init__(self, sync: Sync, students: dict[str, int]):
        self.sync, self.students, self.results = sync, students, sync.results

    def write(self) -> None:
        self.grades()
        self.absence()
        self.admissions()

    def _year(self, start: int) -> int:
        if start not in self.sync.year_pk:
            self.sync.year_pk[start] = SchoolYear.objects.get_or_create(start_year=start)[0].pk
        return self.sync.year_pk[start]

    def _subject(self, code: str, cache: dict) -> int:
        if code not in cache:
            cache[code] = Subject.objects.get_or_create(code=code, defaults={"name": code})[0].pk
        return cache[code]

    def grades(self) -> None:
        subjects = dict(Subject.objects.values_list("code", "pk"))
        wanted = {(self.students[s], self._subject(code, subjects), self._year(year), term): grade
                  for (s, code, year, term), grade in self.results.grades.items()}
        existing = self._existing(Grade, ["student_id", "subject_id", "school_year_id", "term"], ["grade"])
        self._save(Grade, "grades", wanted, existing, lambda key, grade: Grade(
            student_id=key[0], subject_id=key[1], school_year_id=key[2], term=key[3], grade=grade),
            lambda pk, grade: Grade(pk=pk, grade=grade), ["grade"], lambda value: value)

    def absence(self) -> None:
        wanted = {(self.students[s], start, end, code, kind): value
                  for (s, start, end, code, kind), value in self.results.absence.items()}
        existing = self._existing(Absence, ["student_id", "period_start", "period_end", "subject_code", "kind"],
                                  ["percent", "days", "hours"])
        self._save(Absence, "absence", wanted, existing, lambda key, value: Absence(
            student_id=key[0], period_start=key[1], period_end=key[2], subject_code=key[3], kind=key[4],
            percent=value[0], days=value[1], hours=value[2]),
            lambda pk, value: Absence(pk=pk, percent=value[0], days=value[1], hours=value[2]),
            ["percent", "days", "hours"], tuple)

    def admissions(self) -> None:
        wanted = {(self.students[s], self._year(year)): value for (s, year), value in self.results.admissions.items()}
        existing = self._existing(Admission, ["student_id", "school_year_id"], ["grade_average", "choice"])
        self._save(Admission, "admissions", wanted, existing, lambda key, value: Admission(
            student_id=key[0], school_year_id=key[1], grade_average=value[0], choice=value[1]),
            lambda pk, value: Admission(pk=pk, grade_average=value[0], choice=value[1]),
            ["grade_average", "choice"], tuple)

    def _existing(self, model, key_fields: list[str], value_fields: list[str]) -> dict:
        found = {}
        for part in chunked(set(self.students.values())):
            for row in model.objects.filter(student_id__in=part).values_list("pk", *key_fields, *value_fields):
                key, value = tuple(row[1:1 + len(key_fields)]), row[1 + len(key_fields):]
                found[key] = (row[0], value[0] if len(value_fields) == 1 else tuple(value))
        return found

    def _save(self, model, kind: str, wanted: dict, existing: dict, build_new, build_changed, fields, same) -> None:
        new, changed = [], []
        for key, value in wanted.items():
            if key not in existing:
                new.append(build_new(key, value))
            elif same(existing[key][1]) != same(value):
                changed.append(build_changed(existing[key][0], value))
        model.objects.bulk_create(new, batch_size=2000)
        model.objects.bulk_update(changed, fields, batch_size=2000)
        self.sync.summary.count(kind, "new", len(new))
        self.sync.summary.count(kind, "changed", len(changed))
