"""The IOP page: creating it, what it shows, part 1 and its special-education subjects."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import DecidedSubject, Decision
from audit.models import AccessEvent
from iop.models import Plan, PlanSubject

from ..factories import DocumentFactory, EnrollmentFactory, StudentFactory, SubjectFactory
from .factories import GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


def current_year():
    return SchoolYear.objects.current(create=True)


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, school_year=current_year())


def detail(plan):
    return reverse("iop:plan_detail", args=[plan.pk])


def part1_data(plan, **changes):
    data = {"version": plan.part1_version, "part_of_individual_plan": "yes", "goal_kind": "study",
            "basis_documents": "Sakkyndig vurdering 2025", "goal_text": "Studiekompetanse"}
    data.update(changes)
    return data


def granted_decision(student, *subjects):
    decision = Decision.objects.create(student=student, school_year=current_year(),
                                       outcome=Decision.Outcome.GRANTED, decided_on=timezone.localdate())
    for subject in subjects:
        DecidedSubject.objects.create(decision=decision, subject=subject, extent="2 t/uke", organisation="Gruppe")
    return decision


# --- Create -------------------------------------------------------------------


def test_admin_creates_the_plan_for_this_year(client, admin, minor):
    client.force_login(admin)
    response = client.post(reverse("iop:plan_create", args=[minor.pk]), follow=True)
    plan = Plan.objects.get(student=minor)
    assert response.redirect_chain[-1][0] == detail(plan)
    assert plan.school_year == current_year() and plan.stage == Plan.Stage.DRAFT
    assert AccessEvent.objects.filter(action="created", object_type="iop", object_id=str(plan.pk)).exists()


def test_a_second_create_makes_no_second_plan(client, admin, minor):
    client.force_login(admin)
    client.post(reverse("iop:plan_create", args=[minor.pk]))
    response = client.post(reverse("iop:plan_create", args=[minor.pk]), follow=True)
    assert Plan.objects.filter(student=minor).count() == 1
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert response.redirect_chain[-1][0] == detail(Plan.objects.get(student=minor))


def test_create_links_the_granted_decision_and_copies_its_subjects(client, admin, minor):
    maths = minor.enrollments.get().subject
    decision = granted_decision(minor, maths)
    client.force_login(admin)
    client.post(reverse("iop:plan_create", args=[minor.pk]))
    plan = Plan.objects.get(student=minor)
    assert plan.decision == decision
    assert [(s.subject, s.extent, s.organisation) for s in plan.subjects.all()] == [(maths, "2 t/uke", "Gruppe")]


@pytest.mark.parametrize("name, status", [("teacher", 403), ("other_admin", 404), ("stranger", 404), ("guardian", 403)])
def test_only_the_admin_creates(client, cast, minor, name, status):
    client.force_login(cast[name])
    assert client.post(reverse("iop:plan_create", args=[minor.pk])).status_code == status
    assert not Plan.objects.exists()


def test_create_is_post_only(client, admin, minor):
    client.force_login(admin)
    assert client.get(reverse("iop:plan_create", args=[minor.pk])).status_code == 405


# --- The student's IOP link -----------------------------------------------------


def test_student_plan_offers_creation_and_mentions_the_decision(client, admin, minor):
    decision = granted_decision(minor)
    client.force_login(admin)
    response = client.get(reverse("iop:student_plan", args=[minor.pk]))
    assert response.status_code == 200 and response.context["decision"] == decision
    assert reverse("iop:plan_create", args=[minor.pk]).encode() in response.content


def test_student_plan_redirects_to_a_visible_plan(client, teacher, plan):
    plan.stage = Plan.Stage.TEACHERS
    plan.save()
    client.force_login(teacher)
    assert client.get(reverse("iop:student_plan", args=[plan.student.pk])).url == detail(plan)


@pytest.mark.parametrize("name, status", [("teacher", 403), ("guardian", 403), ("other_admin", 404), ("stranger", 404)])
def test_student_plan_hides_a_draft(client, cast, plan, name, status):
    client.force_login(cast[name])
    assert client.get(reverse("iop:student_plan", args=[plan.student.pk])).status_code == status


# --- The page ---------------------------------------------------------------------


def test_admin_page_has_every_section_and_is_logged(client, admin, plan):
    client.force_login(admin)
    response = client.get(detail(plan))
    assert response.status_code == 200
    assert response.context["rights"].is_admin and response.context["document_count"] == 0
    for name in ("iop:plan_edit_part1", "iop:plan_set_stage", "iop:plan_subjects", "iop:log_add",
                 "documents:student_documents"):
        args = [plan.student.pk] if name == "documents:student_documents" else [plan.pk]
        assert reverse(name, args=args).encode() in response.content
    assert AccessEvent.objects.filter(action="viewed", object_type="iop", object_id=str(plan.pk)).exists()


def test_admin_page_counts_the_students_documents(client, admin, plan, other_child):
    DocumentFactory(student=plan.student)
    DocumentFactory(student=plan.student, visible_to_teachers=True)
    DocumentFactory(student=other_child)
    client.force_login(admin)
    assert client.get(detail(plan)).context["document_count"] == 2


def test_guardian_page_has_part1_but_no_documents_log_or_admin_controls(client, guardian, plan):
    plan.stage = Plan.Stage.STUDENT_AND_GUARDIANS
    plan.save()
    client.force_login(guardian)
    response = client.get(detail(plan))
    assert response.status_code == 200
    assert response.context["log_entries"] == [] and response.context["log_form"] is None
    assert response.context["document_count"] is None
    content = response.content.decode()
    assert 'id="part1"' in content and 'id="log"' not in content and 'id="documents"' not in content
    assert reverse("iop:plan_edit_part1", args=[plan.pk]) not in content


def test_readers_see_only_the_part1_fields_that_were_written(client, admin, guardian, plan):
    Plan.objects.filter(pk=plan.pk).update(stage=Plan.Stage.STUDENT_AND_GUARDIANS, framework_factors="Liten gruppe",
                                           partners_external="")
    client.force_login(guardian)
    content = client.get(detail(plan)).content.decode()
    assert "Rammefaktorer" in content and "Samarbeidspartnere, eksterne" not in content
    client.force_login(admin)
    assert "Samarbeidspartnere, eksterne" in client.get(detail(plan)).content.decode()


def test_context_contract_for_the_other_sections(client, admin, plan):
    second = PlanSubjectFactory(plan=plan, position=2)
    first = PlanSubjectFactory(plan=plan, position=1)
    GoalFactory(plan_subject=first)
    client.force_login(admin)
    context = client.get(detail(plan)).context
    assert context["plan"] == plan and context["subjects"] == [first, second]
    assert isinstance(context["annex_rows"], list) and isinstance(context["log_entries"], list)


def test_switcher_lists_visible_plans_of_the_same_school_and_year(client, admin, school_a, plan, adult, other_admin):
    other = PlanFactory(student=adult, school_year=current_year())
    PlanFactory(student=StudentFactory(), school_year=current_year())  # another school
    client.force_login(admin)
    response = client.get(detail(plan))
    switcher = re.search(r'<select[^>]*id="id_switch_plan">(.*?)</select>', response.content.decode(), re.S).group(1)
    options = re.findall(r'<option value="(\d+)"( selected)?>', switcher)
    assert sorted(options) == sorted([(str(plan.pk), " selected"), (str(other.pk), "")])
    assert response.context["switch_count"] == 2
    assert (response.context["previous_plan"] or response.context["next_plan"]).pk == other.pk
    assert client.get(reverse("iop:plan_switch"), {"plan": other.pk}).url == detail(other)


# --- Part 1 -----------------------------------------------------------------------------


def test_admin_edits_part1(client, admin, plan):
    client.force_login(admin)
    assert client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).status_code == 200
    response = client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), part1_data(plan, other="Annet"))
    assert response.url == detail(plan)
    plan.refresh_from_db()
    assert plan.part_of_individual_plan is True and plan.goal_kind == "study" and plan.other == "Annet"
    assert plan.part1_version == 1
    assert AccessEvent.objects.filter(action="changed", object_type="iop", detail="part 1").exists()


def test_part1_not_decided_is_stored_as_none(client, admin, plan):
    plan.part_of_individual_plan = True
    plan.save()
    client.force_login(admin)
    client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), part1_data(plan, part_of_individual_plan=""))
    plan.refresh_from_db()
    assert plan.part_of_individual_plan is None


@pytest.mark.parametrize("name, status", [("teacher", 403), ("other_admin", 404)])
def test_part1_is_refused_to_others(client, cast, plan, name, status):
    plan.stage = Plan.Stage.TEACHERS
    plan.save()
    client.force_login(cast[name])
    assert client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).status_code == status
    assert client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), part1_data(plan)).status_code == status
    plan.refresh_from_db()
    assert plan.part1_version == 0


def test_stale_part1_save_is_refused_and_keeps_the_text(client, admin, plan):
    client.force_login(admin)
    opened = part1_data(plan, other="Min tekst som ikke må forsvinne")
    client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), part1_data(plan, other="Den andres tekst"))
    response = client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), opened)
    assert response.status_code == 409
    assert "Min tekst som ikke må forsvinne" in response.content.decode()
    assert response.context["stale_saved"]
    plan.refresh_from_db()
    assert plan.other == "Den andres tekst" and plan.part1_version == 1


def test_part1_textareas_keep_drafts(client, admin, plan):
    client.force_login(admin)
    content = client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).content.decode()
    assert f'data-draft-key="iop-{plan.pk}-part1-goal_text"' in content and "js/drafts.js" in content


# --- Special education this school year -----------------------------------------------


def subjects_data(rows, initial=0):
    data = {"subjects-TOTAL_FORMS": len(rows), "subjects-INITIAL_FORMS": initial,
            "subjects-MIN_NUM_FORMS": 0, "subjects-MAX_NUM_FORMS": 50}
    for i, row in enumerate(rows):
        data.update({f"subjects-{i}-{key}": value for key, value in row.items()})
    return data


def test_admin_adds_changes_and_removes_subject_rows(client, admin, plan, minor):
    maths = minor.enrollments.get().subject
    english = EnrollmentFactory(student=minor, subject=SubjectFactory(code="ENG1007")).subject
    client.force_login(admin)
    assert client.get(reverse("iop:plan_subjects", args=[plan.pk])).status_code == 200
    client.post(reverse("iop:plan_subjects", args=[plan.pk]), subjects_data([
        {"subject": maths.pk, "content": "Tall", "extent": "2 t", "organisation": "Gruppe"},
        {"subject": english.pk, "content": "Lesing", "extent": "1 t", "organisation": ""},
    ]))
    rows = list(plan.subjects.all())
    assert [(r.subject, r.content) for r in rows] == [(maths, "Tall"), (english, "Lesing")]
    response = client.post(reverse("iop:plan_subjects", args=[plan.pk]), subjects_data([
        {"id": rows[0].pk, "plan": plan.pk, "subject": maths.pk, "content": "Brøk", "extent": "2 t"},
        {"id": rows[1].pk, "plan": plan.pk, "subject": english.pk, "extent": "1 t", "DELETE": "on"},
    ], initial=2))
    assert response.status_code == 302
    assert [(r.subject, r.content) for r in plan.subjects.all()] == [(maths, "Brøk")]
    assert AccessEvent.objects.filter(detail="special-education subjects").count() == 2


def test_subject_rows_only_from_the_students_enrollments(client, admin, plan):
    client.force_login(admin)
    foreign = SubjectFactory(code="SPA1001")
    response = client.post(reverse("iop:plan_subjects", args=[plan.pk]),
                           subjects_data([{"subject": foreign.pk, "extent": "1 t"}]))
    assert response.status_code == 200 and not plan.subjects.exists()


def test_duplicate_subject_rows_are_refused(client, admin, plan, minor):
    maths = minor.enrollments.get().subject
    client.force_login(admin)
    response = client.post(reverse("iop:plan_subjects", args=[plan.pk]), subjects_data(
        [{"subject": maths.pk, "extent": "1 t"}, {"subject": maths.pk, "extent": "2 t"}]))
    assert response.status_code == 200 and not plan.subjects.exists()


def test_teacher_may_not_edit_subject_rows(client, teacher, plan):
    plan.stage = Plan.Stage.TEACHERS
    plan.save()
    client.force_login(teacher)
    assert client.get(reverse("iop:plan_subjects", args=[plan.pk])).status_code == 403


def test_transfer_subjects_from_the_granted_decision(client, admin, minor):
    maths = minor.enrollments.get().subject
    decision = granted_decision(minor, maths)
    plan = PlanFactory(student=minor, school_year=current_year(), decision=decision)
    client.force_login(admin)
    assert client.get(detail(plan)).context["may_transfer"] is True
    response = client.post(reverse("iop:plan_transfer_subjects", args=[plan.pk]))
    assert response.url == detail(plan)
    row = PlanSubject.objects.get(plan=plan)
    assert (row.subject, row.extent, row.organisation) == (maths, "2 t/uke", "Gruppe")
    assert client.get(detail(plan)).context["may_transfer"] is False
    client.post(reverse("iop:plan_transfer_subjects", args=[plan.pk]))
    assert plan.subjects.count() == 1


def test_no_transfer_without_a_decision(client, admin, plan):
    client.force_login(admin)
    assert client.get(detail(plan)).context["may_transfer"] is False


@pytest.mark.parametrize("name", ["plan_transfer_subjects", "plan_set_stage"])
def test_post_only_views(client, admin, plan, name):
    client.force_login(admin)
    assert client.get(reverse(f"iop:{name}", args=[plan.pk])).status_code == 405


def test_removing_a_subject_with_goals_asks_first(client, admin, plan, minor):
    from .factories import GoalFactory, PlanSubjectFactory

    maths = minor.enrollments.get().subject
    row = PlanSubjectFactory(plan=plan, subject=maths)
    GoalFactory(plan_subject=row)
    client.force_login(admin)
    data = subjects_data([{"id": row.pk, "plan": plan.pk, "subject": maths.pk, "extent": "2 t", "DELETE": "on"}],
                         initial=1)
    response = client.post(reverse("iop:plan_subjects", args=[plan.pk]), data)
    assert response.status_code == 200 and response.context["confirm_remove"] == [row]
    assert plan.subjects.filter(pk=row.pk).exists()  # nothing removed yet

    response = client.post(reverse("iop:plan_subjects", args=[plan.pk]), {**data, "confirm_remove": "1"})
    assert response.status_code == 302 and not plan.subjects.exists()


def test_the_subject_menu_of_each_row_is_named_in_norwegian(client, admin, plan):
    client.force_login(admin)
    content = client.get(reverse("iop:plan_subjects", args=[plan.pk])).content.decode()
    assert 'aria-label="Fag"' in content and 'aria-label="Subject"' not in content


def test_the_part1_form_asks_about_the_individual_plan_as_the_read_only_page_says_it(client, admin, minor):
    """Issue 17 item 21: the form's label read "Inngår iop-en … (ip)" while the read-only page was right."""
    from django.urls import reverse

    plan = PlanFactory(student=minor)
    client.force_login(admin)
    page = client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).content.decode()
    assert "Inngår IOP-en i en helhetlig individuell plan (IP) etter helselovgivningen?" in page
    assert "iop-en" not in page and "(ip)" not in page
