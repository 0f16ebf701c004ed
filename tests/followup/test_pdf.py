"""The IKO follow-up plan as a PDF: who may download it, that it is logged, and what is in it."""

from datetime import date
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from followup import pdfs
from followup.models import Plan, Talk

from .factories import iko_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(minor, teacher):
    """A draft plan for Emma, with a measure her maths teacher (Bob) is responsible for."""
    return iko_objects(minor, teacher)["iko_plan"]


@pytest.fixture
def stub_render(monkeypatch):
    """The access tests need not wait for WeasyPrint."""
    monkeypatch.setattr(pdfs, "render_pdf", lambda template, context: b"%PDF-1.7 stub")


def url(plan) -> str:
    return reverse("followup:plan_pdf", args=[plan.pk])


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


DRAFT = {"iko_team": 200, "contact": 200, "teacher": 200,  # Bob is responsible for a measure
         "coteacher": 403, "admin": 403, "principal": 403, "guardian": 404, "minor_student": 404,
         "other_admin": 404, "other_guardian": 404, "stranger": 404}


@pytest.mark.parametrize("name, status", DRAFT.items())
def test_the_pdf_is_for_those_who_read_the_plan(client, iko_cast, plan, stub_render, name, status):
    client.force_login(iko_cast[name])
    response = client.get(url(plan))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        year = plan.school_year.start_year
        assert unquote(response["Content-Disposition"]).endswith(f"Oppfølgingsplan Emma Hansen {year}-{year + 1}.pdf")
        assert response["Cache-Control"] == "private, no-store"


def test_the_family_downloads_it_once_the_plan_is_shared(client, iko_cast, plan, guardian, minor_student,
                                                        stub_render):
    client.force_login(guardian)
    assert client.get(url(plan)).status_code == 404  # not told it exists
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE, shared_on=date(2026, 11, 1))
    assert client.get(url(plan)).status_code == 200
    client.force_login(minor_student)  # a student under 18 is not the family
    assert client.get(url(plan)).status_code == 404


def test_the_adult_student_downloads_their_own_shared_plan(client, iko_cast, adult, adult_student, teacher,
                                                           stub_render):
    plan = iko_objects(adult, teacher)["iko_plan"]
    client.force_login(adult_student)
    assert client.get(url(plan)).status_code == 404
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE, shared_on=date(2026, 11, 1))
    assert client.get(url(plan)).status_code == 200


def test_the_download_is_logged_as_downloaded(client, iko_cast, plan, contact, stub_render):
    client.force_login(contact)
    client.get(url(plan))
    event = AccessEvent.objects.get(user=contact, object_type="iko_plan", object_id=str(plan.pk))
    assert (event.action, event.student_id) == ("downloaded", plan.student_id)


def test_a_refusal_is_logged_and_serves_nothing(client, iko_cast, plan, coteacher, stub_render):
    client.force_login(coteacher)
    response = client.get(url(plan))
    assert response.status_code == 403 and b"%PDF" not in response.content
    assert not AccessEvent.objects.filter(user=coteacher, action="downloaded").exists()


def test_a_missing_plan_is_404(client, iko_team):
    client.force_login(iko_team)
    assert client.get(reverse("followup:plan_pdf", args=[999999])).status_code == 404


def test_post_is_not_allowed(client, iko_cast, plan, iko_team):
    client.force_login(iko_team)
    assert client.post(url(plan)).status_code == 405


def test_the_plan_link_is_on_the_plan_page(client, iko_cast, plan, iko_team):
    client.force_login(iko_team)
    assert url(plan) in client.get(reverse("followup:plan", args=[plan.pk])).content.decode()


def test_the_pdf_holds_the_student_the_mapping_the_measures_and_the_outcome(client, iko_cast, plan, minor,
                                                                            iko_team, teacher):
    Talk.objects.create(student=minor, school_year=plan.school_year, kind=Talk.Kind.MAPPING,
                        held_on=date(2026, 10, 5), held_by=iko_team, causes=["academic", "health"],
                        student_view="Jeg sliter med å komme meg opp om morgenen.",
                        notes="Intern merknad som ikke skal ut.")
    measure = plan.measures.get()
    measure.extent = "2 timer i uka"
    measure.evaluator, measure.evaluation = teacher, "Oppmøtet har bedret seg."
    measure.save()
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.EVALUATED, guardians_informed_on=date(2026, 10, 10), guardians_informed_how="Telefon",
        shared_on=date(2026, 10, 12), outcome=Plan.Outcome.ORDINARY, outcome_note="Tilbake i vanlig opplæring.",
        evaluated_on=date(2026, 11, 20))
    client.force_login(iko_team)
    response = client.get(url(plan), HTTP_ACCEPT_LANGUAGE="en")
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Emma Hansen" in text and "Fjordbyen videregående skole" in text and str(plan.school_year) in text
    assert "Tydelige forventninger" in text  # the measure's approach
    assert "Fravær" in text and "2 timer i uka" in text and "Oppmøtet har bedret seg." in text
    assert "Faglig" in text and "Helse" in text and "sliter med å komme meg opp" in text  # the mapping
    assert "Telefon" in text  # how the guardians were informed
    assert "Tilbake i vanlig opplæring." in text
    assert "Intern merknad" not in text  # the talk's notes stay in the school
    assert "Kartlegging og oppfølgingsplan" in text and "Tiltak 1" in text and "Utfall" in text
    assert "Side 1 av" in text and "Page 1 of" not in text  # bokmål whatever the reader's language
