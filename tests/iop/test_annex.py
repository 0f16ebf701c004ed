"""The certificate annex: rows in entry order, and the notation helper."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from iop.models import AnnexRow, Plan
from tests.factories import SubjectFactory

from .factories import AnnexRowFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db
S = Plan.Stage
ROW = {"extent": "140", "subject_topic": "Norsk – lesing", "year": "2027", "assessment": "Leser enkle tekster."}


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=S.TEACHERS)


def annex_url(plan):
    return reverse("iop:annex", args=[plan.pk])


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def topics(plan):
    return list(plan.annex_rows.order_by("position", "pk").values_list("subject_topic", flat=True))


# --- Writing ---------------------------------------------------------------


def test_admin_adds_a_row_at_the_end(client, admin, plan):
    AnnexRowFactory(plan=plan, subject_topic="Først", position=5)
    response = post(client, admin, annex_url(plan), ROW)
    assert response.status_code == 302 and response.url == annex_url(plan)
    assert topics(plan) == ["Først", "Norsk – lesing"]
    row = plan.annex_rows.get(subject_topic="Norsk – lesing")
    assert (row.extent, row.year, row.assessment) == (140, "2027", "Leser enkle tekster.")
    assert AccessEvent.objects.filter(action="changed", object_type="iop_annex", object_id=str(row.pk)).exists()


@pytest.mark.parametrize("extent", ["-1", "1.5", "ti", ""])
def test_bad_extent_is_refused_and_nothing_stored(client, admin, plan, extent):
    response = post(client, admin, annex_url(plan), {**ROW, "extent": extent})
    assert response.status_code == 200
    assert "extent" in response.context["form"].errors
    assert response.context["form"]["subject_topic"].value() == "Norsk – lesing"
    assert not AnnexRow.objects.exists()


def test_zero_extent_is_allowed(client, admin, plan):
    assert post(client, admin, annex_url(plan), {**ROW, "extent": "0"}).status_code == 302
    assert plan.annex_rows.get().extent == 0


def test_admin_edits_a_row(client, admin, plan):
    row = AnnexRowFactory(plan=plan)
    url = reverse("iop:annex_row_edit", args=[row.pk])
    assert get(client, admin, url).status_code == 200
    response = post(client, admin, url, {**ROW, "extent": "70"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.extent, row.subject_topic) == (70, "Norsk – lesing")


def test_edit_with_errors_keeps_the_row(client, admin, plan):
    row = AnnexRowFactory(plan=plan, extent=140)
    response = post(client, admin, reverse("iop:annex_row_edit", args=[row.pk]), {**ROW, "extent": "-3"})
    assert response.status_code == 200 and response.context["form"].errors
    row.refresh_from_db()
    assert row.extent == 140


def test_delete_asks_first_then_deletes(client, admin, plan):
    row = AnnexRowFactory(plan=plan)
    url = reverse("iop:annex_row_delete", args=[row.pk])
    response = get(client, admin, url)
    assert response.status_code == 200 and AnnexRow.objects.filter(pk=row.pk).exists()
    response = post(client, admin, url)
    assert response.status_code == 302 and not AnnexRow.objects.filter(pk=row.pk).exists()
    assert AccessEvent.objects.filter(action="deleted", object_type="iop_annex", object_id=str(row.pk)).exists()


def test_rows_move_up_and_down(client, admin, plan):
    first, second, third = (AnnexRowFactory(plan=plan, subject_topic=t, position=i) for i, t in enumerate("ABC"))
    assert post(client, admin, reverse("iop:annex_move", args=[third.pk]), {"direction": "up"}).status_code == 302
    assert topics(plan) == ["A", "C", "B"]
    post(client, admin, reverse("iop:annex_move", args=[first.pk]), {"direction": "down"})
    assert topics(plan) == ["C", "A", "B"]
    post(client, admin, reverse("iop:annex_move", args=[second.pk]), {"direction": "down"})  # already last
    assert topics(plan) == ["C", "A", "B"]
    post(client, admin, reverse("iop:annex_move", args=[second.pk]), {"direction": "sideways"})
    assert topics(plan) == ["C", "A", "B"]


def test_page_lists_rows_in_entry_order(client, admin, plan):
    AnnexRowFactory(plan=plan, subject_topic="B", position=2)
    AnnexRowFactory(plan=plan, subject_topic="A", position=1)
    response = get(client, admin, annex_url(plan))
    assert [row.subject_topic for row in response.context["rows"]] == ["A", "B"]
    assert AccessEvent.objects.filter(action="viewed", object_type="iop_annex", user=admin).exists()


# --- Access ----------------------------------------------------------------


def test_teacher_reads_but_may_not_write(client, teacher, plan):
    row = AnnexRowFactory(plan=plan)
    assert get(client, teacher, annex_url(plan)).status_code == 200
    assert post(client, teacher, annex_url(plan), ROW).status_code == 403
    assert get(client, teacher, reverse("iop:annex_row_edit", args=[row.pk])).status_code == 403
    assert post(client, teacher, reverse("iop:annex_row_edit", args=[row.pk]), ROW).status_code == 403
    assert post(client, teacher, reverse("iop:annex_row_delete", args=[row.pk])).status_code == 403
    assert post(client, teacher, reverse("iop:annex_move", args=[row.pk]), {"direction": "up"}).status_code == 403
    assert AnnexRow.objects.get(pk=row.pk).subject_topic == row.subject_topic


def test_teacher_does_not_see_a_draft(client, teacher, minor):
    plan = PlanFactory(student=minor, stage=S.DRAFT)
    assert get(client, teacher, annex_url(plan)).status_code == 404


@pytest.mark.parametrize("stage, status", [(S.STUDENT_AND_GUARDIANS, 403), (S.HALF_YEAR, 403), (S.ANNUAL_REPORT, 200)])
def test_guardian_reads_only_at_stage_5(client, guardian, minor, stage, status):
    plan = PlanFactory(student=minor, stage=stage)
    assert get(client, guardian, annex_url(plan)).status_code == status


def test_guardian_may_not_write_at_stage_5(client, guardian, minor):
    plan = PlanFactory(student=minor, stage=S.ANNUAL_REPORT)
    row = AnnexRowFactory(plan=plan)
    assert post(client, guardian, annex_url(plan), ROW).status_code == 403
    assert post(client, guardian, reverse("iop:annex_row_delete", args=[row.pk])).status_code == 403


@pytest.mark.parametrize("who", ["other_admin", "other_guardian", "stranger", "other_teacher"])
def test_outsiders_get_404(client, cast, minor, who):
    plan = PlanFactory(student=minor, stage=S.ANNUAL_REPORT)
    row = AnnexRowFactory(plan=plan)
    user = cast[who]
    assert get(client, user, annex_url(plan)).status_code == 404
    assert post(client, user, annex_url(plan), ROW).status_code == 404
    assert get(client, user, reverse("iop:annex_row_edit", args=[row.pk])).status_code == 404
    assert post(client, user, reverse("iop:annex_row_delete", args=[row.pk])).status_code == 404
    assert post(client, user, reverse("iop:annex_move", args=[row.pk]), {"direction": "up"}).status_code == 404
    assert AnnexRow.objects.filter(pk=row.pk).exists()


def test_move_is_post_only(client, admin, plan):
    row = AnnexRowFactory(plan=plan)
    assert get(client, admin, reverse("iop:annex_move", args=[row.pk])).status_code == 405


def test_anonymous_is_sent_to_login(client, plan):
    assert client.get(annex_url(plan)).status_code == 302


# --- Query count -----------------------------------------------------------


# --- Notation helper ---------------------------------------------------------


def helper(response):
    return {ps.subject.code: note for ps, note, *_rest in response.context["helper_rows"]}


def test_helper_defaults_to_no_basis_for_a_grade(client, admin, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    response = get(client, admin, annex_url(plan))
    note = helper(response)["MAT1019"]
    assert (note.grade_column, note.remark.code) == ("IV", "FAM05")
    assert [r.code for r in response.context["remarks"]] == ["VMM27", "VMM26", "VMM23"]
    html = response.content.decode()
    assert "Jf. vedlegg." in html and "Individuell opplæringsplan" in html
    assert "Eleven har enkeltvedtak om spesialundervisning" in html


def test_helper_applies_the_choices(client, admin, plan):
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    year = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="IOP1000"))
    post(client, admin, reverse("iop:plan_notation_save", args=[plan.pk]), {f"s{maths.pk}": "grade", f"s{year.pk}": "grade"})
    notes = helper(get(client, admin, annex_url(plan)))
    assert (notes["MAT1019"].grade_column, notes["MAT1019"].remark) == ("", None)
    assert (notes["IOP1000"].grade_column, notes["IOP1000"].remark) == ("IV", None)


def test_all_graded_gives_no_remarks(client, admin, plan):
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), certificate_grade=True)
    response = get(client, admin, annex_url(plan))
    assert response.context["remarks"] == []
