"""Who sees what of IKO (docs/architecture.md §4, the IKO table).

The IKO team is an explicit grant per school (the principal's Tilgang page); every other relation
is derived at request time: the contact teacher from the student's record (the roster import sets
it), the subject teacher from the timetable, the person responsible from the plan's measures, the
family from guardianship (minors) or the student's own login (18+). A relation ends when its
source does. Outsiders get 404, insiders without the right 403; every read is logged.
"""

import enum
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import (
    children_of,
    contact_students_of,
    grant_read,
    guards,
    is_archived,
    is_contact_teacher,
    is_iko_team,
    is_iko_team_expression,
    is_staff_of,
    is_student,
    iko_team_schools,
    require,
    staff_schools,
    student_self,
    students_taught_by,
    teaches,
)
from accounts.models import School, Student, adult_cutoff

from .models import Approach, Measure, Meeting, Plan, Resource, Signal

IKO_STUDENT, IKO_PLAN, IKO_SIGNAL = "iko_student", "iko_plan", "iko_signal"


class Role(enum.Enum):
    TEAM = "team"
    CONTACT = "contact"
    SUBJECT_TEACHER = "subject_teacher"
    RESPONSIBLE = "responsible"
    FAMILY = "family"


def is_family(user, student: Student) -> bool:
    """A guardian of a minor, or the student themself once 18."""
    return guards(user, student) or (is_student(user, student) and student.is_adult())


def roles_for(user, student: Student) -> frozenset[Role]:
    checks = {
        Role.TEAM: lambda: is_iko_team(user, student.school),
        Role.CONTACT: lambda: is_contact_teacher(user, student),
        Role.SUBJECT_TEACHER: lambda: teaches(user, student),
        Role.FAMILY: lambda: is_family(user, student),
    }
    return frozenset(role for role, check in checks.items() if check())


FOLLOWERS = {Role.TEAM, Role.CONTACT}


def follows(user, student: Student) -> bool:
    """Reads and writes the student's signals, talks and plans: the IKO team, the contact teacher."""
    return bool(FOLLOWERS & roles_for(user, student))


def students_followed_by(user) -> QuerySet:
    """The list twin of `follows`."""
    if not user.is_active:
        return Student.objects.none()
    return Student.objects.filter(
        Q(school__in=iko_team_schools(user))
        | Q(pk__in=contact_students_of(user).values("pk"))
    )


def students_followed_at(user, school: School, *, team: bool) -> QuerySet:
    """`students_followed_by` at one school; for the IKO team (`team`: `is_iko_team`, asked once by the
    caller) simply the school's students (a cheaper query, asked several times by the overview)."""
    if team:
        return Student.objects.filter(school=school)
    return students_followed_by(user).filter(school=school)


def overview_schools(user) -> QuerySet:
    """Schools whose IKO overview the user opens: as the IKO team, or as a contact teacher there (on the staff).

    Asked on every start page: it looks at the user's own rows (grants, staff, contact students by index),
    never across a county's students."""
    if not user.is_active:
        return School.objects.none()
    contact = Student.objects.filter(contact_teacher=user, left_on__isnull=True).values("school_id")
    return School.objects.filter(
        Q(pk__in=iko_team_schools(user).values("pk"))
        | (Q(pk__in=contact) & Q(pk__in=staff_schools(user).values("pk")))
    ).order_by("name")


def get_school_for_followup(request, pk, *, team_only: bool = False) -> School:
    """A school whose IKO overview the user sees: its IKO team, or a contact teacher there (their group only)."""
    return get_followup_scope(request, pk, team_only=team_only)[0]


def get_followup_scope(request, pk, *, team_only: bool = False) -> tuple[School, bool]:
    """`get_school_for_followup`, and whether the user is on its IKO team (asked once: the overview needs both)."""
    user = request.user
    school = get_object_or_404(School.objects.annotate(user_on_team=is_iko_team_expression(user, OuterRef("pk"))),
                               pk=pk)
    team = school.user_on_team
    allowed = team or (not team_only and students_followed_by(user).filter(school=school).exists())
    what = {"object_type": "school", "object_id": school.pk, "school": school}
    require(allowed, insider=lambda: is_staff_of(user, school), **what)
    grant_read(request, **what)
    return school, team


def _insider(user, student: Student) -> bool:
    """Who is told "forbidden" rather than "not found": staff of the school. The family is not told that
    IKO records exist before a plan is shared with them."""
    return is_staff_of(user, student.school)


def _what(student: Student, object_type: str = IKO_STUDENT, object_id=None) -> dict:
    return {"object_type": object_type, "object_id": student.pk if object_id is None else object_id,
            "student": student}


def may_write(student: Student) -> bool:
    """New or changed IKO records of the student (signals, talks, plans, measures, notes): not once the
    student's records are handed over to the archive. Who may write is decided by the caller."""
    return not is_archived(student)


def require_writable(student: Student, object_type: str = IKO_STUDENT, object_id=None) -> None:
    """403 for a new or changed IKO record of an archived student (the caller has checked the user's right)."""
    require(may_write(student), insider=True, **_what(student, object_type, object_id))


def get_student_for_followup(request, pk, action: str = "read") -> Student:
    """A student whose IKO records the user keeps (team, contact teacher); `action` "write" for a new talk
    or plan (refused once the records are archived)."""
    student = get_object_or_404(Student.objects.select_related("school", "contact_teacher"), pk=pk)
    roles = roles_for(request.user, student)
    require(bool(FOLLOWERS & roles), insider=lambda: _insider(request.user, student), **_what(student))
    if action == "write":
        require_writable(student)
    grant_read(request, **_what(student))
    return student


def get_signal_for(request, pk) -> Signal:
    """A signal, to assess: the team or the contact teacher of its student (not once archived)."""
    signal = get_object_or_404(Signal.objects.select_related("student__school"), pk=pk)
    roles = roles_for(request.user, signal.student)
    what = _what(signal.student, IKO_SIGNAL, signal.pk)
    require(bool(FOLLOWERS & roles), insider=lambda: _insider(request.user, signal.student), **what)
    require_writable(signal.student, IKO_SIGNAL, signal.pk)
    grant_read(request, **what)
    return signal


def concern_students(user) -> QuerySet:
    """Whom the user may report a concern about: the students they teach or follow, while at the school and
    not archived (the list twin of `may_write`)."""
    return Student.objects.filter(Q(pk__in=students_taught_by(user).values("pk"))
                                  | Q(pk__in=students_followed_by(user).values("pk")), left_on__isnull=True,
                                  archived_on__isnull=True)


def concerns_reported_by(user) -> QuerySet:
    """A reporter sees their own reports, and nothing else of IKO; at a school they have left, not even those."""
    return Signal.objects.filter(reported_by=user, rule__in=Signal.CONCERNS, student__school__in=staff_schools(user))


# --- Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRights:
    read: bool = False
    write: bool = False  # the plan, its measures, guardians informed, start, share, evaluate
    note: bool = False  # record the follow-up of a measure


def is_responsible(user, plan: Plan) -> bool:
    return user.is_active and Measure.objects.filter(plan=plan, responsible=user).exists() and (
        is_staff_of(user, plan.student.school))


def plan_rights(user, plan: Plan) -> PlanRights:
    roles = roles_for(user, plan.student)
    follower = bool(FOLLOWERS & roles)
    responsible = is_responsible(user, plan)
    family = Role.FAMILY in roles and plan.shared_on is not None
    writable = may_write(plan.student)
    return PlanRights(
        read=follower or responsible or family,
        write=follower and plan.is_editable and writable,
        note=(follower or responsible) and plan.status == Plan.Status.ACTIVE and writable,
    )


def get_plan_for(request, pk, action: str = "read", event: str = "viewed") -> tuple[Plan, PlanRights]:
    """A plan and what the user may do with it; `action` ("read", "write", "note") is what this page needs,
    `event` how the read is logged ("downloaded" for the PDF)."""
    plan = get_object_or_404(Plan.objects.select_related("student__school", "school_year", "referral"), pk=pk)
    rights = plan_rights(request.user, plan)
    insider = rights.read or _insider(request.user, plan.student)
    require(getattr(rights, action), insider=insider, **_what(plan.student, IKO_PLAN, plan.pk))
    grant_read(request, event=event, **_what(plan.student, IKO_PLAN, plan.pk))
    return plan, rights


def get_measure_for(request, pk, action: str) -> tuple[Measure, Plan]:
    """A measure, and its plan as `get_plan_for` gives it (the rights are the plan's)."""
    plan_id = get_object_or_404(Measure.objects.values_list("plan_id", flat=True), pk=pk)
    plan, _rights = get_plan_for(request, plan_id, action)
    return plan.measures.get(pk=pk), plan


def family_q(user) -> Q:
    """The list twin of `is_family`, on a record's `student`: the user's minor children, and the user as an
    adult student. Two conditions on the record's own column: as one list of students (an OR of two
    subqueries), PostgreSQL read every student of the county to find none (bench/explain.py)."""
    return Q(student__in=children_of(user)) | Q(student__in=student_self(user).filter(birth_date__lte=adult_cutoff()))


def plans_visible_to(user) -> QuerySet:
    """The list twin of `plan_rights(...).read`."""
    if not user.is_active:
        return Plan.objects.none()
    return Plan.objects.filter(
        Q(student__in=students_followed_by(user))
        | Q(measures__responsible=user, student__school__in=staff_schools(user))
        | (family_q(user) & Q(shared_on__isnull=False))
    ).distinct()


def shared_plans_for_family(user) -> QuerySet:
    """Plans shared with the user as a guardian of a minor or as the adult student (the start page)."""
    # The students prefetched, not joined: joined, PostgreSQL hashed the plans and read every student of the
    # county to match them (bench/explain.py).
    return Plan.objects.filter(family_q(user), shared_on__isnull=False).prefetch_related("student")


# --- The team's year: meetings and resources (the IKO team only) -----------------------------------


def _team_object(request, queryset, pk, object_type: str):
    obj = get_object_or_404(queryset.select_related("school"), pk=pk)
    what = {"object_type": object_type, "object_id": obj.pk, "school": obj.school}
    require(is_iko_team(request.user, obj.school), insider=lambda: is_staff_of(request.user, obj.school), **what)
    grant_read(request, **what)
    return obj


def get_meeting_for(request, pk) -> Meeting:
    return _team_object(request, Meeting.objects.select_related("school_year"), pk, "iko_meeting")


def get_resource_for(request, pk) -> Resource:
    return _team_object(request, Resource.objects, pk, "iko_resource")


def get_approach_for(request, pk) -> Approach:
    return _team_object(request, Approach.objects, pk, "iko_approach")

