"""The generated IOP documents: their content, and who may download them at which stage."""

import datetime
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from audit.models import AccessEvent
from iop import pdfs
from iop.models import Plan
from tests.access_table import CAST, IOP_PDFS, STAGES, iop_status
from tests.factories import SubjectFactory

from .factories import AnnexRowFactory, GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db
S = Plan.Stage
KINDS = list(IOP_PDFS)  # iop, halvar, arsrapport, vedlegg


@pytest.fixture
def plan(minor):
    plan = PlanFactory(
        student=minor, stage=S.ANNUAL_REPORT, basis_documents="Sakkyndig vurdering fra PPT.",
        report_training="Fire timer matematikk i uka.", report_assessment="Opplæringen har fungert godt.",
        report_continued_need="Eleven trenger fortsatt IOP.", report_sent_on=datetime.date(2027, 6, 15),
    )
    subject = PlanSubjectFactory(
        plan=plan, subject=SubjectFactory(code="MAT1011", name="Matematikk 1P"), extent="3 timer i uka",
        half_year_development="Eleven regner sikrere.", half_year_opportunities="Brøk og prosent.",
        annual_development="Eleven har nådd målene for tall.", annual_opportunities="Videre med geometri.",
    )
    GoalFactory(plan_subject=subject, competence_goal="Utforske tall i dagliglivet.", learning_goal="Regne med penger.")
    AnnexRowFactory(plan=plan, extent=140, subject_topic="Matematikk – tall og regning", year="2027")
    return plan


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def check_common(text: str, plan) -> None:
    assert "Emma Hansen" in text
    assert "Fjordbyen videregående skole" in text
    assert str(plan.school_year) in text
    # Norwegian whatever the reader's language: headings and the page footer.
    assert "Skoleår" in text and "Elev" in text and "Side 1 av" in text
    assert "School year" not in text and "Page 1 of" not in text


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_plan_pdf(plan, english):
    text = text_of(pdfs.plan_pdf(plan))
    check_common(text, plan)
    for expected in ("Sakkyndig vurdering fra PPT.", "Matematikk 1P", "3 timer i uka", "Utforske tall i dagliglivet.",
                     "Regne med penger.", "Fag", "Omfang", "Organisering"):
        assert expected in text
    assert "Eleven regner sikrere." not in text  # assessments are not part of the plan document


def test_half_year_pdf(plan, english):
    text = text_of(pdfs.half_year_pdf(plan))
    check_common(text, plan)
    assert "Eleven regner sikrere." in text and "Brøk og prosent." in text and "Matematikk 1P" in text
    assert "Eleven har nådd målene for tall." not in text


def test_annual_report_pdf(plan, english):
    text = text_of(pdfs.annual_report_pdf(plan))
    check_common(text, plan)
    for expected in ("Fire timer matematikk i uka.", "Opplæringen har fungert godt.", "Eleven trenger fortsatt IOP.",
                     "Eleven har nådd målene for tall.", "Videre med geometri.", "15.06.2027"):
        assert expected in text


def test_annex_pdf(plan, english):
    text = text_of(pdfs.annex_pdf(plan))
    check_common(text, plan)
    assert "Matematikk – tall og regning" in text and "140" in text and "Omfang" in text
    assert "Preview" not in text and "draft" not in text.lower() and "utkast" not in text.lower()


@pytest.mark.parametrize("stage, is_draft", [(S.DRAFT, True), (S.HALF_YEAR, True), (S.ANNUAL_REPORT, False)])
def test_annex_before_stage_5_is_marked_as_a_preview(plan, monkeypatch, stage, is_draft):
    seen = {}
    monkeypatch.setattr(pdfs, "render_pdf", lambda template, context: seen.update(context) or b"")
    plan.stage = stage
    pdfs.annex_pdf(plan)
    assert seen["is_draft"] is is_draft
    html = render_to_string("pdf/iop_annex.html", seen)
    assert ('class="draft"' in html) is is_draft


# --- Downloads -------------------------------------------------------------


def download(client, user, plan, kind):
    client.force_login(user)
    return client.get(reverse("iop:plan_download", args=[plan.pk, kind]))


def test_admin_downloads_every_pdf(client, admin, plan):
    for kind in KINDS:
        response = download(client, admin, plan, kind)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment")
        assert "Emma Hansen" in text_of(b"".join(response.streaming_content))
    assert AccessEvent.objects.filter(action="downloaded", object_type="iop_pdf", user=admin).count() == 4


@pytest.fixture
def fast_pdf(monkeypatch):
    """Access tests need no real rendering."""
    monkeypatch.setattr(pdfs, "render_pdf", lambda template, context: b"%PDF-1.7 stub")


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", CAST)
def test_every_member_downloads_per_stage(client, cast, minor, fast_pdf, who, stage, kind):
    """The admin always, teachers what they read, the student and guardian from the stage that publishes it."""
    plan = PlanFactory(student=minor, stage=stage)
    expected = iop_status(who, IOP_PDFS[kind], stage)
    assert download(client, cast[who], plan, kind).status_code == expected
    logged = AccessEvent.objects.filter(action="downloaded", object_type="iop_pdf", detail=kind).exists()
    assert logged is (expected == 200)


def test_unknown_kind_is_404(client, admin, minor, fast_pdf):
    assert download(client, admin, PlanFactory(student=minor), "alt").status_code == 404


def test_download_is_get_only(client, admin, minor, fast_pdf):
    client.force_login(admin)
    assert client.post(reverse("iop:plan_download", args=[PlanFactory(student=minor).pk, "iop"])).status_code == 405


def test_plan_page_links_only_the_allowed_pdfs(client, guardian, teacher, minor):
    plan = PlanFactory(student=minor, stage=S.HALF_YEAR)
    client.force_login(guardian)
    html = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    links = {kind: reverse("iop:plan_download", args=[plan.pk, kind]) in html for kind in KINDS}
    assert links == {"iop": True, "halvar": True, "arsrapport": False, "vedlegg": False}
    client.force_login(teacher)
    html = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    links = {kind: reverse("iop:plan_download", args=[plan.pk, kind]) in html for kind in KINDS}
    assert links == {"iop": True, "halvar": True, "arsrapport": True, "vedlegg": False}
