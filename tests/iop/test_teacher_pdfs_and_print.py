"""Issue 17, item 14: teachers download the PDFs of what they read; every page prints without the navigation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AccessEvent
from iop import pdfs
from iop.models import Plan

from .factories import PlanFactory

pytestmark = pytest.mark.django_db
S = Plan.Stage


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    monkeypatch.setattr(pdfs, "render_pdf", lambda template, context: b"%PDF-1.7 stub")


def download(client, user, plan, kind):
    client.force_login(user)
    return client.get(reverse("iop:plan_download", args=[plan.pk, kind]))


@pytest.mark.parametrize("kind", ["iop", "halvar", "arsrapport"])
def test_a_teacher_downloads_the_plan_and_assessment_pdfs_from_stage_2(client, teacher, minor, kind):
    plan = PlanFactory(student=minor, stage=S.TEACHERS)
    assert download(client, teacher, plan, kind).status_code == 200
    assert AccessEvent.objects.filter(action="downloaded", object_type="iop_pdf", user=teacher, detail=kind).exists()


def test_not_the_annex(client, teacher, minor):
    assert download(client, teacher, PlanFactory(student=minor, stage=S.ANNUAL_REPORT), "vedlegg").status_code == 403


def test_not_a_draft(client, teacher, minor):
    assert download(client, teacher, PlanFactory(student=minor, stage=S.DRAFT), "iop").status_code == 404


def test_a_teacher_who_does_not_teach_the_student_gets_404(client, other_teacher, minor):
    assert download(client, other_teacher, PlanFactory(student=minor, stage=S.ANNUAL_REPORT), "iop").status_code == 404


def print_rules() -> str:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    match = re.search(r"@media print\s*{(.*?)\n}", css, re.DOTALL)
    assert match, "app.css has no print stylesheet"
    return match[1]


def test_the_print_stylesheet_hides_navigation_and_buttons():
    hidden = print_rules().split("display: none")[0]
    for selector in (".site-header", ".language-form", ".ds-breadcrumbs", "nav", "button", ".ds-button"):
        assert re.search(rf"(^|[\s,]){re.escape(selector)}\s*[,{{]", hidden, re.MULTILINE), selector
    assert ".site-main" not in hidden  # the content stays


def test_every_page_links_the_stylesheet(client, admin, minor):
    client.force_login(admin)
    html = client.get(reverse("iop:plan_detail", args=[PlanFactory(student=minor).pk])).content.decode()
    assert "css/app.css" in html
