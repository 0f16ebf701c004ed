"""records.collect: every record of a student across the apps, with stable keys, read without a query per row."""

import pytest
from django.utils import translation
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SchoolYear
from accounts.services import case_creator_grant
from applications.models import Decision
from audit.log import record as log_record
from followup.models import Talk
from records import collect

from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory
from ..cases.factories import add_event, add_event_with_attachment, make_case
from ..conftest import make_staff
from ..factories import DocumentFactory, SchoolYearFactory, SubjectFactory
from ..followup.factories import iko_objects
from ..iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory

MAPPING = "Emma leser sakte og trenger lydbøker i alle fag."
GOAL = "Regne med brøk i matlaging."
LOG = "Møte med mor om leksehjelp."
EVENT_TEXT = "Eleven fortalte om krangel hjemme i helga."


def make_plan(student, start_year, *, subjects=1, goals=2):
    plan = PlanFactory(student=student, school_year=SchoolYearFactory(start_year=start_year),
                       mapping_academic=MAPPING, report_assessment="Godt år.")
    for n in range(subjects):
        plan_subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code=f"MAT10{n}{start_year % 100}"),
                                          half_year_development="Bedre tallforståelse.")
        for _ in range(goals):
            GoalFactory(plan_subject=plan_subject, learning_goal=GOAL)
    AnnexRowFactory(plan=plan)
    LogEntryFactory(plan=plan, text=LOG)
    return plan


@pytest.fixture
def everything(minor, teacher, school_a):
    """One record of every kind about Emma (and an access event about her)."""
    year = SchoolYear.objects.current(create=True)
    plan = make_plan(minor, year.start_year)
    application = ApplicationFactory(student=minor, school_year=year)
    ApplicationSubjectFactory(application=application)
    decision = Decision.objects.create(student=minor, school_year=year, application=application,
                                       outcome=Decision.Outcome.GRANTED, decided_on=timezone.localdate(),
                                       reference="2026/123")
    document = DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT")
    iko = iko_objects(minor, teacher)
    talk = Talk.objects.create(student=minor, school_year=year, kind=Talk.Kind.STARTUP,
                               held_on=timezone.localdate(), held_by=teacher, notes="Trives ikke i klassen.")
    creator = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=creator)
    case = make_case(minor, teacher, by=creator)
    add_event(case, teacher, text=EVENT_TEXT)
    event = add_event_with_attachment(case, teacher)
    log_record(None, action="viewed", object_type="iop_plan", object_id=plan.pk, student=minor, user=teacher,
               detail="/iop/1/")
    return {"plan": plan, "application": application, "decision": decision, "document": document,
            "signal": iko["iko_signal"], "iko_plan": iko["iko_plan"], "talk": talk, "case": case,
            "attachment": event.attachments.get()}


def test_records_of_finds_every_kind_with_stable_keys(everything, minor):
    records = collect.records_of(minor)
    keys = [r.key for r in records]
    e = everything
    expected = [f"iop:{e['plan'].pk}", f"application:{e['application'].pk}", f"decision:{e['decision'].pk}",
                f"document:{e['document'].pk}", f"iko_signal:{e['signal'].pk}", f"iko_talk:{e['talk'].pk}",
                f"iko_plan:{e['iko_plan'].pk}", f"person_case:{e['case'].pk}",
                f"case_attachment:{e['attachment'].pk}", f"access_log:{minor.pk}"]
    assert keys == expected
    assert [r.key for r in collect.records_of(minor)] == keys  # stable
    assert {r.kind for r in records} <= set(collect.KINDS)
    assert len(set(keys)) == len(keys)


def test_iop_sections_say_what_each_text_is(everything, minor):
    with translation.override("en"):  # headings are in the reader's language
        plan = collect.record_for(minor, f"iop:{everything['plan'].pk}")
    texts = {s.heading: s.text for s in plan.sections}
    assert plan.title.startswith("IOP ") and str(everything["plan"].school_year) in plan.title
    assert MAPPING in texts.values()
    headings = list(texts)
    assert any("goal 1" in h and GOAL == texts[h] for h in headings)
    assert any("goal 2" in h for h in headings)
    assert any(h.startswith("Log") and texts[h] == LOG for h in headings)
    assert all(s.text.strip() for s in plan.sections)  # only non-empty texts
    assert plan.file is None and plan.log_type == "records:iop" and plan.log_id == everything["plan"].pk


def test_files_and_person_cases(everything, minor):
    e = everything
    document = collect.record_for(minor, f"document:{e['document'].pk}")
    assert document.file is not None and document.sections == ()
    assert document.log_type == "records:document"
    case = collect.record_for(minor, f"person_case:{e['case'].pk}")
    assert case.log_type == "person_case" and case.log_id == e["case"].pk
    assert any(EVENT_TEXT in s.text for s in case.sections)
    attachment = collect.record_for(minor, f"case_attachment:{e['attachment'].pk}")
    assert attachment.file is not None
    assert attachment.log_type == "person_case" and attachment.log_id == e["case"].pk


def test_access_log_shows_every_event_person_cases_included(everything, minor):
    log = collect.record_for(minor, f"access_log:{minor.pk}")
    text = "\n".join(s.text for s in log.sections)
    assert "iop_plan" in text
    assert "person_case" in text  # the case's creation and events are logged against the case, with the student
    # the events that reveal a person case stand apart, so the reviewer can strike or withhold them
    apart = [s for s in log.sections if "person_case" in s.text]
    assert apart and all("iop_plan" not in s.text for s in apart)
    assert all(line.split(" · ")[3].startswith("person_case") for s in apart for line in s.text.splitlines())


def test_record_for_unknown_keys(everything, minor, adult):
    assert collect.record_for(minor, "iop:999999") is None
    assert collect.record_for(minor, "nonsense:1") is None
    assert collect.record_for(minor, "nonsense") is None
    # another student's record is not found through this student
    assert collect.record_for(adult, f"iop:{everything['plan'].pk}") is None


def test_snapshot_of_an_approved_application_is_a_whole_file(minor):
    application = ApplicationFactory(student=minor, school_year=SchoolYear.objects.current(create=True))
    application.snapshot.save("snap.pdf", DocumentFactory.build().file.file, save=True)
    kinds = [r.kind for r in collect.records_of(minor)]
    assert "application_snapshot" in kinds
    snapshot = collect.record_for(minor, f"application_snapshot:{application.pk}")
    assert snapshot.file is not None


def _queries(student) -> int:
    with CaptureQueriesContext(connection) as captured:
        collect.records_of(student)
    return len(captured.captured_queries)


def test_no_query_per_row(minor, adult, teacher):
    make_plan(minor, 2020)
    for n in range(5):
        make_plan(adult, 2020 + n, subjects=2, goals=3)
    for student in (minor, adult):
        iko_objects(student, teacher)
        DocumentFactory(student=student)
    DocumentFactory(student=adult)
    one, five = _queries(minor), _queries(adult)
    assert one == five
    assert one < 25


def test_a_guardians_answer_and_a_decision_correction_are_in_the_records(minor, guardian, admin):
    from applications.models import ApplicationComment, DecisionCorrection

    application = ApplicationFactory(student=minor)
    ApplicationComment.objects.create(application=application, kind=ApplicationComment.Kind.values[0],
                                      text="Vi er uenige i omfanget.", content_hash="0" * 64, by=guardian)
    decision = Decision.objects.create(student=minor, school_year=application.school_year,
                                       outcome=Decision.Outcome.REJECTED, decided_on=timezone.localdate())
    DecisionCorrection.objects.create(decision=decision, previous_outcome=Decision.Outcome.GRANTED,
                                      previous_decided_on=timezone.localdate(), reason="Feil utfall registrert.",
                                      by=admin)
    texts = {r.kind: " ".join(s.text for s in r.sections) for r in collect.records_of(minor)}
    assert "Vi er uenige i omfanget." in texts["application"]
    assert "Feil utfall registrert." in texts["decision"]
