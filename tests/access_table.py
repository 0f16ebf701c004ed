"""docs/architecture.md §4, written once for the tests: what each member of the cast may do with `minor`'s records.

The cast is the `cast` fixture of tests/conftest.py. The records the access tests open belong
to `minor` (16, at school A, taught maths by `teacher` and `coteacher`, guardian `guardian`) or
to school A itself. The expectations are copied from the design, never derived from the access
helpers, so a helper or a view that asks for the wrong right is caught.

A refusal follows §4's rule: whoever may not learn that the record exists gets 404; an insider
lacking the right gets 403.
"""

from applications.models import Application
from iop.models import Plan

CAST = ("admin", "teacher", "coteacher", "other_teacher", "other_admin", "principal", "adult_student",
        "minor_student", "guardian", "other_guardian", "stranger")

# --- How each member relates to `minor` ------------------------------------------------

ADMIN = "IOP admin of the student's school"
TEACHER = "teacher of the student"
STUDENT = "the student (a minor)"
GUARDIAN = "guardian of the (minor) student"
RELATION = {"admin": ADMIN, "teacher": TEACHER, "coteacher": TEACHER, "minor_student": STUDENT, "guardian": GUARDIAN}
# Everyone else has no relation to `minor`: other_teacher and principal are staff of school A
# but teach neither the student nor anything §4 gives them; other_admin is IOP admin elsewhere.

# Staff of school A: insiders on the school's own pages (applications list, decisions, batches).
SCHOOL_STAFF = frozenset({"admin", "teacher", "coteacher", "other_teacher", "principal"})

NEVER = None


def relation(name: str) -> str | None:
    assert name in CAST, f"{name!r} is not in the cast"
    return RELATION.get(name)


# --- The IOP of `minor`, per publication stage -------------------------------------------

S = Plan.Stage
STAGES = tuple(S)

# Each right, and from which publication stage the student's teachers, and the student and the
# guardian, hold it (NEVER: at no stage). The IOP admin holds every right at every stage; a
# member without a relation to the student none. The names are those of iop.access.Rights
# (write_own_subject / write_other_subject: Rights.writes_subject of a subject the teacher
# teaches / does not teach).
IOP = {
    #  right                   teacher       student and guardian
    "see":                   (S.TEACHERS, S.STUDENT_AND_GUARDIANS),
    "read_part1":            (S.TEACHERS, S.STUDENT_AND_GUARDIANS),
    "read_goals":            (S.TEACHERS, S.STUDENT_AND_GUARDIANS),
    "read_half_year":        (S.TEACHERS, S.HALF_YEAR),
    "read_annual":           (S.TEACHERS, S.ANNUAL_REPORT),
    "read_report":           (S.TEACHERS, S.ANNUAL_REPORT),
    "read_annex":            (S.TEACHERS, S.ANNUAL_REPORT),
    "read_log":              (S.TEACHERS, NEVER),
    "add_log":               (S.TEACHERS, NEVER),
    "write_own_subject":     (S.TEACHERS, NEVER),  # goals and assessments of a subject they teach
    "write_other_subject":   (NEVER, NEVER),       # ... of a subject they do not teach
    "write_plan":            (NEVER, NEVER),       # part 1, subjects, stage, annual report, annex
    "pdf_iop":               (S.TEACHERS, S.STUDENT_AND_GUARDIANS),
    "pdf_half_year":         (S.TEACHERS, S.HALF_YEAR),
    "pdf_report":            (S.TEACHERS, S.ANNUAL_REPORT),
    "pdf_annex":             (NEVER, S.ANNUAL_REPORT),
}

# The IOP pages and the right each needs.
IOP_PAGES = {
    "plan": "see",
    "part 1 edit": "write_plan",
    "subjects edit": "write_plan",
    "stage": "write_plan",
    "transfer subjects": "write_plan",
    "part 2 subject": "read_goals",
    "half-year edit": "write_own_subject",  # of a subject the teacher teaches
    "annual report edit": "write_plan",
    "annex": "read_annex",
    "log add": "add_log",
    "IOP PDF": "pdf_iop",
    "half-year PDF": "pdf_half_year",
    "annual report PDF": "pdf_report",
    "annex PDF": "pdf_annex",
}
# The `kind` of iop:plan_download → its right.
IOP_PDFS = {"iop": "pdf_iop", "halvar": "pdf_half_year", "arsrapport": "pdf_report", "vedlegg": "pdf_annex"}


def iop_holds(name: str, right: str, stage: int) -> bool:
    """Whether `name` holds `right` on `minor`'s IOP at publication stage `stage`."""
    teacher_from, family_from = IOP[right]
    who = relation(name)
    if who == ADMIN:
        return True
    from_stage = {TEACHER: teacher_from, STUDENT: family_from, GUARDIAN: family_from}.get(who, NEVER)
    return from_stage is not NEVER and stage >= from_stage


def iop_status(name: str, right: str, stage: int, ok: int = 200) -> int:
    """The HTTP status of a request that needs `right`: `ok`, or 403 for who sees the IOP, or 404."""
    if iop_holds(name, right, stage):
        return ok
    return 403 if iop_holds(name, "see", stage) else 404


# --- Applications of `minor`, per status --------------------------------------------------

A = Application.Status
STATUSES = tuple(A)
ALWAYS = frozenset(A)
PUBLISHED = ALWAYS - {A.REGISTERED}  # "registered → awaiting approval (published) → …" (the workflow, docs/architecture.md)
NOT = frozenset()

# Each action, and in which statuses each relation may take it. Whether there is anything to
# approve (the application awaits approval) is the workflow's business, not a right.
APPLICATION = {
    #  action       IOP admin  teacher  student  guardian
    "manage":     (ALWAYS,    NOT,     NOT,     NOT),  # create, edit, publish, reopen, mark sent, decide, PDF
    "read":       (ALWAYS,    NOT,     PUBLISHED, PUBLISHED),
    "approve":    (NOT,       NOT,     NOT,     PUBLISHED),  # the student only once 18; `minor` is 16
}
# Who knows that the application exists, and so is refused with 403 rather than 404.
KNOWS_APPLICATION = {ADMIN: ALWAYS, TEACHER: ALWAYS, STUDENT: PUBLISHED, GUARDIAN: PUBLISHED}


def application_holds(name: str, action: str, status: str) -> bool:
    """Whether `name` may take `action` on `minor`'s application in `status`."""
    who = relation(name)
    if who is None:
        return False
    columns = dict(zip((ADMIN, TEACHER, STUDENT, GUARDIAN), APPLICATION[action]))
    return status in columns[who]


def application_status(name: str, action: str, status: str, ok: int = 200) -> int:
    """The HTTP status of a request for `action` on `minor`'s application in `status`."""
    if application_holds(name, action, status):
        return ok
    return 403 if status in KNOWS_APPLICATION.get(relation(name), NOT) else 404


# --- School A's own pages: applications list and add, decisions, school batches ----------


def school_page_status(name: str, ok: int = 200) -> int:
    """Only the school's IOP admin: other staff of the school get 403, everyone else 404."""
    relation(name)
    if name == "admin":
        return ok
    return 403 if name in SCHOOL_STAFF else 404


# --- `minor`'s uploaded documents -------------------------------------------------------


def document_list_status(name: str) -> int:
    """The student's document list opens (showing only what each may download) for every relation."""
    return 200 if relation(name) is not None else 404
