"""Issue 17, items 7, 8 and 10: the notation helper's year per code, its saved choices, and the certificate's
consequences beside the result (seed 001, 11.3)."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from iop import pdfs
from iop.models import Plan, PlanSubject
from tests.factories import EnrollmentFactory, SchoolYearFactory, SubjectFactory

from .factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db
S = Plan.Stage


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=S.ANNUAL_REPORT)


def annex(client, user, plan):
    client.force_login(user)
    return client.get(reverse("iop:annex", args=[plan.pk]))


def save(client, user, plan, data):
    client.force_login(user)
    return client.post(reverse("iop:plan_notation_save", args=[plan.pk]), data)


def years(response):
    return {ps.subject.code: year for ps, _note, year, _choice in response.context["helper_rows"]}


# --- Item 7: the year the training ended, per code ------------------------------------------


def test_each_code_gets_the_year_its_training_ended(client, admin, minor, plan):
    start = plan.school_year.start_year
    first, fifth = SubjectFactory(code="IOP1000"), SubjectFactory(code="IOP5000")
    EnrollmentFactory(student=minor, subject=first, school_year=SchoolYearFactory(start_year=start - 4))
    EnrollmentFactory(student=minor, subject=fifth, school_year=plan.school_year)
    PlanSubjectFactory(plan=plan, subject=first)
    PlanSubjectFactory(plan=plan, subject=fifth)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1211"))  # no enrollment: the plan's year
    assert years(annex(client, admin, plan)) == {"IOP1000": start - 3, "IOP5000": start + 1, "NOR1211": start + 1}


def test_a_later_enrollment_does_not_move_the_year_of_an_earlier_plan(client, admin, minor):
    current = SchoolYearFactory()
    earlier = PlanFactory(student=minor, school_year=SchoolYearFactory(start_year=current.start_year - 1))
    code = SubjectFactory(code="IOP2000")
    PlanSubjectFactory(plan=earlier, subject=code)
    EnrollmentFactory(student=minor, subject=code, school_year=current)
    assert years(annex(client, admin, earlier)) == {"IOP2000": current.start_year}


# --- Item 8: the choices are saved with the plan ------------------------------------------------


def test_the_admins_choices_are_saved_and_shown_after_a_reload(client, admin, plan):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    norsk = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1211"), certificate_grade=True)
    response = save(client, admin, plan, {f"s{maths.pk}": "grade", f"s{norsk.pk}": "iv"})
    assert response.status_code == 302
    assert dict(PlanSubject.objects.values_list("pk", "certificate_grade")) == {maths.pk: True, norsk.pk: False}
    assert AccessEvent.objects.filter(action="changed", object_type="iop_annex", detail="certificate notation").exists()
    form = annex(client, admin, plan).context["notation_form"]
    assert (form[f"s{maths.pk}"].value(), form[f"s{norsk.pk}"].value()) == ("grade", "iv")


@pytest.mark.parametrize("data", [{}, {"junk": "grade"}, "bad value"])
def test_a_bad_choice_is_refused_and_nothing_stored(client, admin, plan, data):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    norsk = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1211"))
    if data == "bad value":
        data = {f"s{maths.pk}": "grade", f"s{norsk.pk}": "A"}
    response = save(client, admin, plan, data)
    assert response.status_code == 200 and response.context["notation_form"].errors
    assert not PlanSubject.objects.filter(certificate_grade=True).exists()


@pytest.mark.parametrize("who", ["teacher", "minor_student", "guardian"])
def test_readers_see_the_result_without_choices_and_may_not_save(client, cast, plan, who):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), certificate_grade=True)
    response = annex(client, cast[who], plan)
    assert response.status_code == 200
    assert response.context["notation_form"] is None
    html = response.content.decode()
    assert 'type="radio"' not in html and reverse("iop:plan_notation_save", args=[plan.pk]) not in html
    assert save(client, cast[who], plan, {f"s{maths.pk}": "iv"}).status_code == 403
    assert PlanSubject.objects.get(pk=maths.pk).certificate_grade is True


@pytest.mark.parametrize("who", ["other_admin", "stranger", "other_teacher"])
def test_outsiders_get_404_on_saving(client, cast, plan, who):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    assert save(client, cast[who], plan, {f"s{maths.pk}": "grade"}).status_code == 404
    assert not PlanSubject.objects.filter(certificate_grade=True).exists()


def test_saving_is_post_only(client, admin, plan):
    client.force_login(admin)
    assert client.get(reverse("iop:plan_notation_save", args=[plan.pk])).status_code == 405


def test_an_archived_students_choices_are_read_only(client, admin, minor, plan):
    from accounts.models import Student
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    Student.objects.filter(pk=minor.pk).update(archived_on="2026-01-01")
    assert save(client, admin, plan, {f"s{maths.pk}": "grade"}).status_code == 403
    assert PlanSubject.objects.get(pk=maths.pk).certificate_grade is False


def test_the_saved_choices_appear_in_the_annex_pdf(plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019", name="Matematikk 1P"), certificate_grade=True)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1211", name="Norsk"))
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdfs.annex_pdf(plan))).pages)
    assert "NOR1211" in text and "FAM05" in text and "VMM27" in text and "Jf. vedlegg." in text
    assert "MAT1019" in text


# --- Item 10: the certificate's consequences beside the result ---------------------------------


def consequences(response):
    return [c.rule for c in response.context["consequences"]]


def test_iv_brings_the_competence_certificate_and_order_and_conduct(client, admin, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    rules = consequences(annex(client, admin, plan))
    assert any("kompetansebevis" in rule for rule in rules)
    assert any(rule.startswith("Orden og adferd") for rule in rules)
    assert not any("4. år" in rule for rule in rules)  # one year of training


def test_all_graded_brings_no_consequences(client, admin, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), certificate_grade=True)
    assert consequences(annex(client, admin, plan)) == []


def test_a_fourth_year_brings_separate_absence(client, admin, minor, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="IOP4000"))
    assert any("4. år" in rule for rule in consequences(annex(client, admin, plan)))


def test_four_years_of_plans_bring_separate_absence(client, admin, minor, plan):
    for back in (1, 2, 3):
        PlanFactory(student=minor, school_year=SchoolYearFactory(start_year=plan.school_year.start_year - back))
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1211"))
    assert any("4. år" in rule for rule in consequences(annex(client, admin, plan)))


def test_vg1_only_unless_some_year_builds_on_vg2_or_vg3(client, admin, minor, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="IOP1000"))
    assert any("vg1" in rule for rule in consequences(annex(client, admin, plan)))
    PlanFactory(student=minor, school_year=SchoolYearFactory(start_year=plan.school_year.start_year - 1),
                builds_on_upper_levels=True)
    assert not any("vg1" in rule for rule in consequences(annex(client, admin, plan)))


def test_the_consequences_are_shown_to_the_family(client, guardian, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    html = annex(client, guardian, plan).content.decode()
    assert "men vil få et kompetansebevis" in html and "Orden og adferd" in html


def test_the_admin_sets_vg2_vg3_in_part1(client, admin, plan):
    client.force_login(admin)
    response = client.post(reverse("iop:plan_edit_part1", args=[plan.pk]), {
        "version": plan.part1_version, "part_of_individual_plan": "yes", "goal_kind": "study",
        "builds_on_upper_levels": "on",
    })
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).builds_on_upper_levels is True
