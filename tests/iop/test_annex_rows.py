"""Issue 17, item 4: the annex year is the year the training ended, each row has a visible edit action,
and a long assessment opens from a short preview."""

import pytest
from django.urls import reverse

from iop.models import AnnexRow, Plan

from .factories import AnnexRowFactory, PlanFactory

pytestmark = pytest.mark.django_db
ROW = {"extent": "140", "subject_topic": "Norsk – lesing", "year": "2027", "assessment": "Leser enkle tekster."}


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=Plan.Stage.TEACHERS)


def annex_url(plan):
    return reverse("iop:annex", args=[plan.pk])


@pytest.mark.parametrize("year", ["abc", "27", "20277", "2026/2028", "2027-2028", "2026/", ""])
def test_a_year_that_is_not_a_year_is_refused_and_nothing_stored(client, admin, plan, year):
    client.force_login(admin)
    response = client.post(annex_url(plan), {**ROW, "year": year})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert response.context["form"]["subject_topic"].value() == "Norsk – lesing"
    assert not AnnexRow.objects.exists()


@pytest.mark.parametrize("year, stored", [("2027", "2027"), ("2026/2027", "2026/2027"), (" 2026 / 2027 ", "2026/2027")])
def test_a_year_or_a_school_year_is_stored(client, admin, plan, year, stored):
    client.force_login(admin)
    assert client.post(annex_url(plan), {**ROW, "year": year}).status_code == 302
    assert plan.annex_rows.get().year == stored


def test_editing_a_row_checks_the_year_too(client, admin, plan):
    row = AnnexRowFactory(plan=plan, year="2027")
    client.force_login(admin)
    response = client.post(reverse("iop:annex_row_edit", args=[row.pk]), {**ROW, "year": "abc"})
    assert response.status_code == 200 and "year" in response.context["form"].errors
    row.refresh_from_db()
    assert row.year == "2027"


def test_every_row_has_a_visible_edit_action_for_the_admin_only(client, admin, teacher, plan):
    rows = [AnnexRowFactory(plan=plan, subject_topic=t, position=i) for i, t in enumerate("AB")]
    client.force_login(admin)
    html = client.get(annex_url(plan)).content.decode()
    for row in rows:
        assert f'data-size="sm" href="{reverse("iop:annex_row_edit", args=[row.pk])}"' in html
    client.force_login(teacher)
    html = client.get(annex_url(plan)).content.decode()
    assert not any(reverse("iop:annex_row_edit", args=[row.pk]) in html for row in rows)


def test_a_long_assessment_opens_from_a_short_preview(client, admin, plan):
    long_text = "Eleven har arbeidet godt med lesing og skriving gjennom hele året. " * 5
    AnnexRowFactory(plan=plan, assessment=long_text)
    AnnexRowFactory(plan=plan, assessment="Kort vurdering.")
    client.force_login(admin)
    html = client.get(annex_url(plan)).content.decode()
    assert html.count('<details class="expander">') == 1
    summary = html.split('<details class="expander"><summary>')[1].split("</summary>")[0]
    assert len(summary) <= 80 and long_text.strip() in html
