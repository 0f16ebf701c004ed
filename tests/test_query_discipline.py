"""Query discipline: no page's query count grows with its rows, and each page keeps to a budget.

Every page that lists or shows rows is fetched with 1 and with 30 rows of the
thing that grows on it. Equal counts mean no N+1 query; the cap documents the
page's budget (the measured count, rounded up a little), so a new query per
page shows up here before it shows up in production.
"""

import itertools
from dataclasses import dataclass
from itertools import cycle
from typing import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import SchoolYear, StaffMembership
from accounts.services import case_creator_grant
from cases.services import card_register, case_create, case_types_of, event_correct, event_create
from documents.sanitize import sanitize_pdf
from records.models import DestructionList
from records.services import officer_grant, request_collect, request_register, retention_run
from applications.models import Application, ApplicationAttachment, Authority, Decision
from audit.log import record
from documents.services import document_grant
from iop.models import Plan

from .applications.factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory
from .factories import (
    DocumentFactory,
    EnrollmentFactory,
    GuardianshipFactory,
    SchoolFactory,
    StaffFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
    blank_pdf,
    years_ago,
)
from followup.models import MeasureNote, Signal, Talk

from .followup.factories import iko_objects
from .roster.factories import ImportRunFactory
from .iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory
from .notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 1, 30

# Each page's query budget, whatever its number of rows: the count measured after a first page of
# the session (the same on SQLite and PostgreSQL), rounded up a little.
CAPS = {
    "history-versions": 8,  # measured 6
    "records-home": 20,
    "records-request": 20,
    "records-retention": 20,
    "records-destruction-list": 20,
    "cases-home": 25,
    "cases-school": 25,
    "cases-student": 25,
    "cases-case": 25,
    "start-admin": 11,  # measured 10 (which sections: one query)
    "start-teacher": 10,  # measured 9
    "start-guardian": 11,  # measured 10
    "start-principal": 6,  # measured 5
    "student-documents": 15,  # measured 11
    "document-grants": 15,  # measured 10
    "student-access-log": 15,  # measured 9
    "application-list": 15,  # measured 9
    "application-add": 15,  # measured 8
    "application-detail": 15,  # measured 13
    "application-edit": 20,  # measured 15
    "decision-add": 15,  # measured 10
    "application-read-guardian": 20,  # measured 17
    "batch-list": 15,  # measured 7
    "batch-detail": 15,  # measured 11
    "plan-detail-admin": 10,  # measured 9 (relations, document count with the plan; earlier years + switcher: one query)
    "plan-detail-teacher": 10,  # measured 9
    "plan-detail-guardian": 9,  # measured 8
    "plan-switcher": 9,  # measured 8
    "plan-subjects": 8,  # measured 6
    "subject-detail": 9,  # measured 8 (the goal-bank search 2; 3 when a goal came from the bank: its level)
    "goal-bank-search": 8,  # measured 5
    "report-edit": 7,  # measured 5
    "annex": 10,  # measured 9
    "school-access": 12,  # measured 10 (both school roles)
    "import-list": 12,  # measured 9
    "import-detail": 10,  # measured 6
    "iop-overview": 16,  # measured 15 (the teachers' names in one query; the role read with the school)
    "iop-my-work": 10,  # measured 8
    "iko-overview": 11,  # measured 10 (with the signals chart; the role read with the school)
    "iko-student": 13,  # measured 12 (with the absence and grade charts)
    "iko-plan": 16,  # measured 13
    "iko-startup-talks": 14,  # measured 10
    "notice-list": 6,  # measured 4
}

S = Plan.Stage
Status = Application.Status


def queries(client, url: str) -> tuple[int, int]:
    """The number of queries a GET of `url` makes, and the size of the page it returns."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), len(response.content)


def this_year() -> SchoolYear:
    return SchoolYear.objects.current(create=True)


@dataclass
class Page:
    """Who opens which URL, and how to add `count` more rows of what the page lists."""

    user: object
    url: str
    grow: Callable[[int], None]


# --- Start page -----------------------------------------------------------------


def decide(application, outcome) -> None:
    Decision.objects.create(student=application.student, school_year=application.school_year,
                            application=application, outcome=outcome, decided_on=timezone.localdate())


def admin_start(cast) -> Page:
    """Students of the school, with applications, decisions and IOPs for the status and IOP columns."""
    statuses = cycle(Status.values)
    stages = cycle([None, *S.values])

    def grow(count):
        for i in range(count):
            student = StudentFactory(school=cast["school"], group=f"{1 + i % 3}STA")
            application = ApplicationFactory(student=student, school_year=this_year(), status=next(statuses))
            if application.status in {Status.GRANTED, Status.REJECTED}:
                decide(application, application.status)
            stage = next(stages)
            if stage:
                PlanFactory(student=student, school_year=this_year(), stage=stage)

    return Page(cast["admin"], reverse("start"), grow)


def teacher_start(cast) -> Page:
    stages = cycle([None, S.DRAFT, S.TEACHERS])

    def grow(count):
        for _ in range(count):
            student = StudentFactory(school=cast["school"])
            EnrollmentFactory(student=student, school_year=this_year(), teachers=[cast["teacher"]])
            stage = next(stages)
            if stage:
                PlanFactory(student=student, school_year=this_year(), stage=stage)

    return Page(cast["teacher"], reverse("start"), grow)


def guardian_start(cast) -> Page:
    """Children, with IOPs and published applications (some awaiting the guardian's approval)."""
    statuses = cycle([Status.AWAITING_APPROVAL, Status.APPROVED, Status.REGISTERED, Status.GRANTED])

    def grow(count):
        for _ in range(count):
            child = StudentFactory(school=cast["school"], birth_date=years_ago(12))
            GuardianshipFactory(guardian=cast["guardian"], student=child)
            PlanFactory(student=child, school_year=this_year(), stage=S.STUDENT_AND_GUARDIANS)
            ApplicationFactory(student=child, school_year=this_year(), status=next(statuses))

    return Page(cast["guardian"], reverse("start"), grow)


def principal_start(cast) -> Page:
    """The schools the user is principal of."""

    def grow(count):
        for _ in range(count):
            StaffFactory(user=cast["principal"], school=SchoolFactory(), role=StaffMembership.Role.PRINCIPAL)

    return Page(cast["principal"], reverse("start"), grow)


# --- Documents and the access log -----------------------------------------------------------


def student_documents(cast) -> Page:
    def grow(count):
        for i in range(count):
            DocumentFactory(student=cast["minor"], uploaded_by=cast["admin"], visible_to_teachers=i % 2 == 0)

    return Page(cast["admin"], reverse("documents:student_documents", args=[cast["minor"].pk]), grow)


def document_grants(cast) -> Page:
    document = DocumentFactory(student=cast["minor"], uploaded_by=cast["admin"])

    def grow(count):
        for _ in range(count):
            document_grant(document=document, user=UserFactory())

    return Page(cast["admin"], reverse("documents:document_grants", args=[document.pk]), grow)


def student_access_log(cast) -> Page:
    minor = cast["minor"]

    def grow(count):
        for _ in range(count):
            record(None, action="viewed", object_type="iop", object_id=1, student=minor, user=UserFactory())

    return Page(cast["admin"], reverse("accounts:student_access_log", args=[minor.pk]), grow)


# --- Applications and batches ------------------------------------------------------------


def application_list(cast) -> Page:
    """Applications in every status (some decided, some in a batch), and decisions without one."""
    statuses = cycle(Status.values)
    batch = SchoolBatchFactory(school=cast["school"])

    def grow(count):
        for _ in range(count):
            status = next(statuses)
            in_batch = batch if status in {Status.APPROVED, Status.UNDER_PROCESSING} else None
            application = ApplicationFactory(student=StudentFactory(school=cast["school"]), school_year=this_year(),
                                             status=status, batch=in_batch)
            if status in {Status.GRANTED, Status.REJECTED}:
                decide(application, status)
            Decision.objects.create(student=StudentFactory(school=cast["school"]), school_year=this_year(),
                                    outcome=Decision.Outcome.GRANTED, decided_on=timezone.localdate())

    return Page(cast["admin"], reverse("applications:application_list", args=[cast["school"].pk]), grow)


def grow_subjects_and_attachments(application, grant_to=None):
    def grow(count):
        for i in range(count):
            ApplicationSubjectFactory(application=application, subject=SubjectFactory())
            document = DocumentFactory(student=application.student)
            ApplicationAttachment.objects.create(application=application, document=document)
            if grant_to and i % 2 == 0:
                document_grant(document=document, user=grant_to)

    return grow


def application_detail(cast) -> Page:
    application = ApplicationFactory(student=cast["minor"], school_year=this_year())
    return Page(cast["admin"], reverse("applications:application_detail", args=[application.pk]),
                grow_subjects_and_attachments(application))


def application_add(cast) -> Page:
    """The students who have no application yet, to pick one from."""

    def grow(count):
        for i in range(count):
            StudentFactory(school=cast["school"], group=f"{1 + i % 3}STB")

    return Page(cast["admin"], reverse("applications:application_add", args=[cast["school"].pk]), grow)


def application_edit(cast) -> Page:
    """The subject rows (from the student's enrollments) and the documents to attach."""
    application = ApplicationFactory(student=cast["minor"], school_year=this_year())

    def grow(count):
        for _ in range(count):
            enrollment = EnrollmentFactory(student=application.student, school_year=this_year())
            ApplicationSubjectFactory(application=application, subject=enrollment.subject)
            DocumentFactory(student=application.student)

    return Page(cast["admin"], reverse("applications:application_edit", args=[application.pk]), grow)


def decision_add(cast) -> Page:
    """A decision for a student without an application: one subject row per enrollment."""
    student = StudentFactory(school=cast["school"])

    def grow(count):
        for _ in range(count):
            EnrollmentFactory(student=student, school_year=this_year())

    url = f"{reverse('applications:decision_add', args=[cast['school'].pk])}?elev={student.pk}"
    return Page(cast["admin"], url, grow)


def application_read_guardian(cast) -> Page:
    application = ApplicationFactory(student=cast["minor"], school_year=this_year(), status=Status.AWAITING_APPROVAL)
    return Page(cast["guardian"], reverse("applications:application_read", args=[application.pk]),
                grow_subjects_and_attachments(application, grant_to=cast["guardian"]))


def batch_list(cast) -> Page:
    def grow(count):
        for _ in range(count):
            batch = SchoolBatchFactory(school=cast["school"])
            ApplicationFactory(student=StudentFactory(school=cast["school"]), status=Status.APPROVED, batch=batch)

    return Page(cast["admin"], reverse("applications:batch_list", args=[cast["school"].pk]), grow)


def batch_detail(cast) -> Page:
    """The batch's applications, and as many approved candidates outside it."""
    batch = SchoolBatchFactory(school=cast["school"])

    def grow(count):
        for _ in range(count):
            for in_batch in (batch, None):
                ApplicationFactory(student=StudentFactory(school=cast["school"], group="2STB"),
                                   school_year=this_year(), status=Status.APPROVED, batch=in_batch)

    return Page(cast["admin"], reverse("applications:batch_detail", args=[batch.pk]), grow)


# --- The IOP ---------------------------------------------------------------------


def full_plan(cast, stage=S.ANNUAL_REPORT) -> Plan:
    return PlanFactory(student=cast["minor"], school_year=this_year(), stage=stage)


def taught_subject(cast, plan: Plan):
    """A new subject the plan's student takes this year with the teacher."""
    enrollment = EnrollmentFactory(student=plan.student, school_year=plan.school_year, teachers=[cast["teacher"]])
    return enrollment.subject


def grow_plan(cast, plan: Plan):
    """Subjects (taught by the teacher, with goals and assessments), goals, log entries, annex rows."""
    writers = cycle([cast["admin"], cast["teacher"], cast["coteacher"]])

    def grow(count):
        for _ in range(count):
            plan_subject = PlanSubjectFactory(plan=plan, subject=taught_subject(cast, plan),
                                              half_year_development="Jevn framgang.",
                                              annual_development="Godt arbeid.", annual_done=True)
            GoalFactory(plan_subject=plan_subject)
            GoalFactory(plan_subject=plan.subjects.order_by("pk").first())
            LogEntryFactory(plan=plan, created_by=next(writers))
            AnnexRowFactory(plan=plan)

    return grow


def plan_detail_as(name):
    def page(cast) -> Page:
        plan = full_plan(cast)
        return Page(cast[name], reverse("iop:plan_detail", args=[plan.pk]), grow_plan(cast, plan))

    return page


def plan_switcher(cast) -> Page:
    """The other IOPs of the school this year, in the switcher of the IOP page."""
    plan = full_plan(cast)

    def grow(count):
        for _ in range(count):
            PlanFactory(student=StudentFactory(school=cast["school"]), school_year=this_year())

    return Page(cast["admin"], reverse("iop:plan_detail", args=[plan.pk]), grow)


def plan_page(url_name):
    def page(cast) -> Page:
        plan = full_plan(cast)
        return Page(cast["admin"], reverse(f"iop:{url_name}", args=[plan.pk]), grow_plan(cast, plan))

    return page


def subject_detail(cast) -> Page:
    """The goals of one subject, opened by its teacher (who gets the edit controls on each)."""
    plan = full_plan(cast)
    plan_subject = PlanSubjectFactory(plan=plan, subject=taught_subject(cast, plan))

    def grow(count):
        for _ in range(count):
            GoalFactory(plan_subject=plan_subject)

    return Page(cast["teacher"], reverse("iop:subject_detail", args=[plan_subject.pk]), grow)


def text_versions(cast) -> Page:
    """The versions of part 1, each saved by one of three people (who saved is on every row)."""
    plan = full_plan(cast)
    writers = cycle([cast["admin"], cast["teacher"], cast["coteacher"]])

    def grow(count):
        for _ in range(count):
            plan.goal_text += " Mer."
            plan._history_user = next(writers)
            plan.save()

    return Page(cast["admin"], reverse("history:versions", args=["del1", plan.pk]), grow)


def goal_bank_search(cast) -> Page:
    """The goal-bank hits of one curriculum (a test curriculum, so the shipped bank does not count)."""
    from curriculum.models import CompetenceGoal, Curriculum, GoalSet

    curriculum = Curriculum.objects.create(code="TST01-01", title_nb="Læreplan i testing")
    goal_set = GoalSet.objects.create(code="KVTEST", curriculum=curriculum, title_nb="Etter testen")
    made = itertools.count()

    def grow(count):
        for _ in range(count):
            goal = CompetenceGoal(code=f"KMTEST{next(made)}", curriculum=curriculum, goal_set=goal_set,
                                  title_nb="teste noe")
            for name, value in goal.search_texts().items():
                setattr(goal, name, value)
            goal.save()

    return Page(cast["teacher"], reverse("curriculum:search") + "?laereplan=TST01-01&q=teste", grow)


# --- Tilgang (school access) -------------------------------------------------------------


def school_access(cast) -> Page:
    """Staff of the school; some IOP admins, some with two roles."""
    school = cast["school"]

    def grow(count):
        for i in range(count):
            user = UserFactory()
            StaffFactory(user=user, school=school)
            if i % 3 == 0:
                assign_perm("administer_iop", user, school)
            if i % 5 == 0:
                StaffFactory(user=user, school=school, role=StaffMembership.Role.PRINCIPAL)

    return Page(cast["principal"], reverse("accounts:school_access", args=[school.pk]), grow)


# --- Roster imports -------------------------------------------------------------------


def import_list(cast) -> Page:
    def grow(count):
        for _ in range(count):
            ImportRunFactory(school=cast["school"], created_by=cast["admin"])

    return Page(cast["admin"], reverse("roster:imports"), grow)


def import_detail(cast) -> Page:
    run = ImportRunFactory(school=cast["school"], created_by=cast["admin"])

    def grow(count):
        change = run.summary["changes"][0]
        run.summary["changes"] += [change] * count
        run.save()

    return Page(cast["admin"], reverse("roster:detail", args=[run.pk]), grow)


# --- IKO -------------------------------------------------------------------------------


# --- IOP progress at a glance -------------------------------------------------------------


def iop_overview(cast) -> Page:
    """The school's IOPs of the year with their subjects and teachers, missing IOPs, waiting approvals."""
    school = cast["school"]

    def grow(count):
        for _ in range(count):
            plan = PlanFactory(student=StudentFactory(school=school), school_year=this_year(), stage=S.TEACHERS)
            for teacher in (cast["teacher"], cast["coteacher"]):
                enrollment = EnrollmentFactory(student=plan.student, school_year=plan.school_year, teachers=[teacher])
                PlanSubjectFactory(plan=plan, subject=enrollment.subject)
            Decision.objects.create(student=StudentFactory(school=school), school_year=this_year(),
                                    outcome=Decision.Outcome.GRANTED, decided_on=timezone.localdate())
            ApplicationFactory(student=StudentFactory(school=school), school_year=this_year(),
                               status=Status.AWAITING_APPROVAL)

    return Page(cast["admin"], reverse("iop:school_overview", args=[school.pk]), grow)


def iop_my_work(cast) -> Page:
    """The teacher's subjects with work still to write, across the IOPs of their students."""
    def grow(count):
        for _ in range(count):
            plan = PlanFactory(student=StudentFactory(school=cast["school"]), school_year=this_year(),
                               stage=S.STUDENT_AND_GUARDIANS)
            PlanSubjectFactory(plan=plan, subject=taught_subject(cast, plan))

    return Page(cast["teacher"], reverse("iop:my_work"), grow)


def iko_team_member(cast):
    from accounts.services import iko_team_grant

    member = StaffFactory(school=cast["school"]).user
    iko_team_grant(school=cast["school"], user=member)
    return member


def iko_overview(cast) -> Page:
    """New signals and running plans of the school's students."""
    member = iko_team_member(cast)

    def grow(count):
        for _ in range(count):
            iko_objects(StudentFactory(school=cast["school"]), member)

    return Page(member, reverse("followup:overview", args=[cast["school"].pk]), grow)


def iko_student(cast) -> Page:
    """Signals (rules and concerns) and talks of one student."""
    member = iko_team_member(cast)
    iko_objects(cast["minor"], member)
    keys = itertools.count()

    def grow(count):
        for _ in range(count):
            Signal.objects.create(student=cast["minor"], school_year=this_year(), rule=Signal.Rule.ABSENCE,
                                  key=f"period {next(keys)}", evidence={"absence": "11 %"})
            Signal.objects.create(student=cast["minor"], school_year=this_year(), rule=Signal.Rule.WELLBEING,
                                  reported_by=member, text="Bekymring")
            Talk.objects.create(student=cast["minor"], school_year=this_year(), kind=Talk.Kind.STARTUP,
                                held_on=timezone.localdate(), held_by=member, causes=["academic"])

    return Page(member, reverse("followup:student", args=[cast["minor"].pk]), grow)


def iko_plan(cast) -> Page:
    member = iko_team_member(cast)
    plan = iko_objects(cast["minor"], member)["iko_plan"]
    measure = plan.measures.get()

    def grow(count):
        for _ in range(count):
            measure.pk = None
            measure.save()
            measure.responsible.add(member)
            MeasureNote.objects.create(measure=measure, written_by=member, text="Oppfølging")

    return Page(member, reverse("followup:plan", args=[plan.pk]), grow)


def iko_startup_talks(cast) -> Page:
    """A class's students, flagged ones with their talks."""
    member = iko_team_member(cast)

    def grow(count):
        for _ in range(count):
            student = StudentFactory(school=cast["school"], group="1STA")
            Signal.objects.create(student=student, school_year=this_year(), rule=Signal.Rule.ABSENCE)
            Talk.objects.create(student=student, school_year=this_year(), kind=Talk.Kind.STARTUP,
                                held_on=timezone.localdate(), held_by=member)

    return Page(member, reverse("followup:startup_talks", args=[cast["school"].pk]), grow)


# --- Person cases ------------------------------------------------------------------------


def case_handler_and_creator(cast):
    """The teacher handles the cases; a case creator of the school made them."""
    creator = StaffFactory(school=cast["school"]).user
    case_creator_grant(school=cast["school"], user=creator)
    return cast["teacher"], creator


def new_case(student, handler, creator):
    card_register(student=student, by=creator)
    return case_create(student=student, case_type=case_types_of(student.school)[0], category="care",
                       description="Bekymring", handler=handler,
                       co_handlers=[StaffFactory(school=student.school).user], by=creator)


def cases_home(cast) -> Page:
    """The cases a handler has, each with its student and leaving date."""
    handler, creator = case_handler_and_creator(cast)

    def grow(count):
        for _ in range(count):
            new_case(StudentFactory(school=cast["school"], leaves_on=timezone.localdate()), handler, creator)

    return Page(handler, reverse("cases:home"), grow)


def school_cases(cast) -> Page:
    """The case creator's list of the school's cases (metadata only)."""
    handler, creator = case_handler_and_creator(cast)

    def grow(count):
        for _ in range(count):
            new_case(StudentFactory(school=cast["school"]), handler, creator)

    return Page(creator, reverse("cases:school_cases", args=[cast["school"].pk]), grow)


def case_student(cast) -> Page:
    """One student's cases, as the case creator sees them."""
    handler, creator = case_handler_and_creator(cast)

    def grow(count):
        for _ in range(count):
            new_case(cast["minor"], handler, creator)

    return Page(creator, reverse("cases:student", args=[cast["minor"].pk]), grow)


def case_detail(cast) -> Page:
    """A case's events, each with its versions and attachments, and the case's access history."""
    handler, creator = case_handler_and_creator(cast)
    case = new_case(cast["minor"], handler, creator)

    def grow(count):
        for _ in range(count):
            event = event_create(case=case, by=handler, category="observation", kind="note",
                                 occurred_on=timezone.localdate(), title="Observasjon", text="Notat",
                                 pdfs=[("Vedlegg", sanitize_pdf(blank_pdf()))])
            event_correct(event=event, by=handler, based_on=1, category="observation", kind="note",
                          occurred_on=timezone.localdate(), title="Observasjon", text="Rettet notat")

    return Page(handler, reverse("cases:case", args=[case.pk]), grow)


# --- Records duties ------------------------------------------------------------------------


def records_officer(cast):
    authority = Authority.objects.get_or_create(name=cast["school"].owner_name, defaults={"kind": "county"})[0]
    officer = UserFactory()
    officer_grant(authority=authority, user=officer)
    return officer


def new_request(student, by):
    return request_register(student=student, requester_kind="other", requester_name="Advokat Berg",
                            requester_user=None, relation="advokat", asked_for="Alt",
                            received_on=timezone.localdate(), by=by)


def records_home(cast) -> Page:
    """The officer's open requests by deadline."""
    officer = records_officer(cast)

    def grow(count):
        for _ in range(count):
            new_request(StudentFactory(school=cast["school"]), cast["teacher"])

    return Page(officer, reverse("records:home"), grow)


def records_request(cast) -> Page:
    """A request's checklist: one item per record of the student."""
    officer = records_officer(cast)
    access_request = new_request(cast["minor"], cast["teacher"])

    def grow(count):
        for _ in range(count):
            DocumentFactory(student=cast["minor"])
        request_collect(access_request=access_request, by=officer)

    return Page(officer, reverse("records:request", args=[access_request.pk]), grow)


def records_retention(cast) -> Page:
    """The retention page: students due for hand-over, one per former student with an IOP."""
    officer = records_officer(cast)

    def grow(count):
        for _ in range(count):
            PlanFactory(student=StudentFactory(school=cast["school"], left_on=years_ago(6)))

    return Page(officer, reverse("records:retention"), grow)


def records_destruction_list(cast) -> Page:
    """A destruction list: one item per record due, of many former students."""
    officer = records_officer(cast)
    authority = Authority.objects.get(name=cast["school"].owner_name)
    destruction = DestructionList.objects.create(authority=authority)

    def grow(count):
        for _ in range(count):
            Signal.objects.create(student=StudentFactory(school=cast["school"], left_on=years_ago(4)),
                                  school_year=SchoolYear.objects.current(create=True), rule=Signal.Rule.ABSENCE)
        retention_run(authority=authority)

    return Page(officer, reverse("records:destruction_list", args=[destruction.pk]), grow)


def notice_list(cast) -> Page:
    """A guardian's own notices, a page of them at a time."""
    def grow(count):
        for _ in range(count):
            NoticeFactory(user=cast["guardian"])

    return Page(cast["guardian"], reverse("notices:list"), grow)


PAGES = {
    "start-admin": admin_start,
    "start-teacher": teacher_start,
    "start-guardian": guardian_start,
    "start-principal": principal_start,
    "student-documents": student_documents,
    "document-grants": document_grants,
    "student-access-log": student_access_log,
    "application-list": application_list,
    "application-add": application_add,
    "application-detail": application_detail,
    "application-edit": application_edit,
    "decision-add": decision_add,
    "application-read-guardian": application_read_guardian,
    "batch-list": batch_list,
    "batch-detail": batch_detail,
    "plan-detail-admin": plan_detail_as("admin"),
    "plan-detail-teacher": plan_detail_as("teacher"),
    "plan-detail-guardian": plan_detail_as("guardian"),
    "plan-switcher": plan_switcher,
    "plan-subjects": plan_page("plan_subjects"),
    "subject-detail": subject_detail,
    "goal-bank-search": goal_bank_search,
    "report-edit": plan_page("report_edit"),
    "annex": plan_page("annex"),
    "history-versions": text_versions,
    "school-access": school_access,
    "import-list": import_list,
    "import-detail": import_detail,
    "iop-overview": iop_overview,
    "iop-my-work": iop_my_work,
    "iko-overview": iko_overview,
    "iko-student": iko_student,
    "iko-plan": iko_plan,
    "iko-startup-talks": iko_startup_talks,
    "cases-home": cases_home,
    "cases-school": school_cases,
    "cases-student": case_student,
    "cases-case": case_detail,
    "records-home": records_home,
    "records-request": records_request,
    "records-retention": records_retention,
    "records-destruction-list": records_destruction_list,
    "notice-list": notice_list,
}


@pytest.fixture
def cast(cast, school_a, minor):
    """The fixed cast of conftest.py, with the school and the student the pages are about."""
    return {**cast, "school": school_a, "minor": minor}


def test_every_page_has_a_cap():
    assert set(CAPS) == set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_rows(client, cast, name):
    page = PAGES[name](cast)
    client.force_login(page.user)
    page.grow(FEW)
    client.get(page.url)  # warm up: session, content types and other per-process caches
    few, few_size = queries(client, page.url)
    page.grow(MANY - FEW)
    many, many_size = queries(client, page.url)
    assert many_size > few_size, f"{name}: the added rows are not on the page"
    assert many == few, f"{name}: {few} queries with {FEW} row, {many} with {MANY}"
    assert many <= CAPS[name], f"{name}: {many} queries, over the cap of {CAPS[name]}"
