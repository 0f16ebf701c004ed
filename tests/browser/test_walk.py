"""Workflow steps 1–10 of DESIGN §3 in a real browser, each step done by the person who does it.

axe runs on every page the walk visits, as that page's user; the main pages are saved as
screenshots under test-artifacts/. The negative paths a user could stumble into follow.
"""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from applications.models import Application, Decision
from iop.models import Plan
from tests.applications.factories import AuthorityFactory
from tests.factories import DocumentFactory
from tests.iop.factories import PlanFactory

from .helpers import PHONE, follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)



def new_page(browser, viewport=None):
    return browser.new_context(locale="nb-NO", viewport=viewport or {"width": 1280, "height": 900}).new_page()


def pdf_text(download) -> str:
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF-")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def click_and_wait(page, name, path, **kwargs):
    """Press a button that posts a form; wait for the page the server answers with (at `path`)."""
    follow(page, page.get_by_role("button", name=name, **kwargs), path)


def click_link(page, name, path, **kwargs):
    """Follow a link; wait for the page it leads to (at `path`)."""
    follow(page, page.get_by_role("link", name=name, **kwargs), path)


APPLICATION_EDIT = re.compile(r"/soknader/\d+/behandle/endre/")
APPLICATION_DETAIL = re.compile(r"/soknader/\d+/behandle/")
BATCH_DETAIL = re.compile(r"/samlesoknader/\d+/")
PLAN_DETAIL = re.compile(r"/iop/\d+/")


@pytest.fixture
def maths(minor):
    subject = minor.enrollments.get().subject
    subject.name = "Matematikk 1P"
    subject.save()
    return subject


def test_a_school_year_from_application_to_annual_report(browser, live_server, admin, teacher, guardian, minor,
                                                          school_a, maths, axe_check, screenshot):
    def visit(page, shot=None):
        """What every page of the walk gets: axe, and a screenshot of the main ones."""
        axe_check(page)
        if shot:
            screenshot(page, shot)

    AuthorityFactory(name="Vestland fylkeskommune")
    DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT")
    office = new_page(browser)
    log_in(office, live_server, admin.username)
    visit(office, "walk-01-start-iop-admin")

    # 1. The IOP admin writes the application, attaches the expert assessment and publishes it.
    click_link(office, "Søknader og vedtak", f"/skoler/{school_a.pk}/soknader/")
    visit(office, "walk-01-applications")
    click_link(office, "Legg til elevsøknad", f"/skoler/{school_a.pk}/soknader/ny/")
    visit(office)
    follow(office, office.get_by_role("button", name="Legg til").first, APPLICATION_EDIT)
    office.get_by_label(re.compile("sammendrag av sakkyndig vurdering", re.I)).fill("Eleven trenger støtte i matematikk.")
    office.get_by_label(re.compile("elevens mål med opplæringen", re.I)).fill("Grunnkompetanse.")
    office.locator("select[name$='subject']").first.select_option(label="MAT1019 Matematikk 1P")
    office.locator("input[name$='extent']").first.fill("2 timer i uka")
    office.get_by_label("Sakkyndig vurdering fra PPT").check()
    visit(office, "walk-01-application-form")
    click_and_wait(office, "Lagre", APPLICATION_DETAIL, exact=True)
    application = Application.objects.get(student=minor)
    office.goto(f"{live_server.url}/soknader/{application.pk}/behandle/")
    visit(office)
    click_and_wait(office, "Publiser for godkjenning", f"/soknader/{application.pk}/behandle/")
    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_APPROVAL
    assert application.subjects.count() == 1 and application.attachments.count() == 1

    # 2. The guardian approves it on a phone.
    phone = new_page(browser, PHONE)
    log_in(phone, live_server, guardian.username)
    visit(phone, "walk-02-start-guardian-phone")
    click_link(phone, "Les og godkjenn", f"/soknader/{application.pk}/godkjenning/")
    visit(phone, "walk-02-approval-phone")
    click_and_wait(phone, "Jeg godkjenner at skolen sender denne søknaden",
                   f"/soknader/{application.pk}/godkjenning/")
    visit(phone, "walk-02-approved-phone")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.approved_by == guardian

    # 3. The admin puts it in a school batch, downloads the PDF and marks the batch sent.
    office.goto(f"{live_server.url}/skoler/{school_a.pk}/samlesoknader/")
    visit(office)
    office.get_by_label("Navn", exact=True).fill("Vestland høst")
    office.get_by_label("Mottaker (fylkeskommune eller kommune)").select_option(label="Vestland fylkeskommune")
    click_and_wait(office, "Opprett samlesøknad", BATCH_DETAIL)
    click_and_wait(office, "Legg til", BATCH_DETAIL)
    visit(office, "walk-03-batch")
    with office.expect_download() as download:
        office.get_by_role("link", name="Last ned PDF").click()
    assert minor.full_name in pdf_text(download)
    click_and_wait(office, "Marker samlesøknaden som sendt", BATCH_DETAIL)
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_PROCESSING

    # 4–5. The decision arrives and is registered: special education is granted.
    office.goto(f"{live_server.url}/soknader/{application.pk}/behandle/")
    office.get_by_label("Innvilget").check()
    office.get_by_label("Vedtaksdato").fill(date.today().isoformat())
    office.get_by_label("Saksnummer").fill("2026/123")
    click_and_wait(office, "Registrer vedtak", f"/soknader/{application.pk}/behandle/", exact=True)
    visit(office)
    assert Decision.objects.get(application=application).outcome == "granted"

    # 6. The admin writes part 1 and publishes the IOP to the teachers.
    office.goto(live_server.url)
    click_link(office, f"Ingen IOP – {minor.full_name}", f"/elever/{minor.pk}/iop/")
    visit(office)
    click_and_wait(office, "Opprett IOP del 1", PLAN_DETAIL)
    plan = Plan.objects.get(student=minor)
    visit(office)
    click_link(office, "Rediger del 1", f"/iop/{plan.pk}/del1/")
    visit(office)
    office.get_by_label("Rammefaktorer").fill("Liten gruppe i matematikk, PC med opplesing.")
    click_and_wait(office, "Lagre", f"/iop/{plan.pk}/", exact=True)
    click_and_wait(office, re.compile("Publisert faglærere"), f"/iop/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.stage == Plan.Stage.TEACHERS and plan.framework_factors.startswith("Liten gruppe")
    assert list(plan.subjects.values_list("subject__code", flat=True)) == [maths.code]
    visit(office, "walk-06-iop-admin")

    # 7. The maths teacher writes a competence goal and marks the goals done.
    classroom = new_page(browser)
    log_in(classroom, live_server, teacher.username)
    visit(classroom, "walk-07-start-teacher")
    click_link(classroom, f"Åpne IOP-en – {minor.full_name}", f"/iop/{plan.pk}/")
    visit(classroom)
    subject_page = f"/iop/fag/{plan.subjects.get().pk}/"
    click_link(classroom, re.compile("Rediger mål og vurderinger i"), subject_page)
    classroom.get_by_role("textbox", name="Kompetansemål").fill("Regne med prosent i hverdagen.")
    classroom.get_by_role("textbox", name="Læringsmål").fill("Regne ut rabatt på en vare.")
    click_and_wait(classroom, "Legg til mål", subject_page)
    click_and_wait(classroom, "Marker målene som ferdige", subject_page)
    visit(classroom, "walk-07-part2-teacher")
    assert plan.subjects.get().goals_done

    # 8. The admin publishes to student and guardians; the guardian reads the plan on the phone.
    office.reload()
    click_and_wait(office, re.compile("Publisert elev og foreldre"), f"/iop/{plan.pk}/")
    phone.goto(live_server.url)
    click_link(phone, f"Åpne IOP-en – {minor.full_name}", f"/iop/{plan.pk}/")
    assert phone.get_by_text("Regne med prosent i hverdagen.").is_visible()
    visit(phone, "walk-08-iop-guardian-phone")

    # 9. The teacher writes the half-year assessment.
    click_link(classroom, "Rediger vurdering 1. halvår", f"{subject_page}vurdering/halvar/")
    visit(classroom)
    classroom.get_by_label("Vurdering av elevens utvikling").fill("Har god framgang med prosent.")
    classroom.get_by_label("Vurdering av elevens videre utviklingsmuligheter").fill("Øve på brøk.")
    classroom.get_by_label("Ferdig").check()
    click_and_wait(classroom, "Lagre", subject_page, exact=True)
    assert plan.subjects.get().half_year_done

    # 10. The admin publishes the assessment, writes the annual report and the annex, and previews it.
    office.reload()
    click_and_wait(office, re.compile("Publisert vurdering 1. halvår"), f"/iop/{plan.pk}/")
    click_link(office, "Rediger årsrapport", f"/iop/{plan.pk}/arsrapport/")
    visit(office)
    office.get_by_label("Oversikt over opplæringen som er gitt i hvert fag").fill("Matematikk i liten gruppe, 2 timer i uka.")
    office.get_by_label("Behov for videre IOP").fill("Ja, i matematikk.")
    click_and_wait(office, "Lagre", f"/iop/{plan.pk}/", exact=True)
    click_link(office, "Rediger vedlegget", f"/iop/{plan.pk}/vedlegg/")
    visit(office)
    office.get_by_label("Omfang", exact=True).fill("76")
    office.get_by_label("Fag/emne").fill("Matematikk 1P")
    office.get_by_label("År", exact=True).fill(f"{plan.school_year.start_year + 1}")  # the year the training ended
    office.get_by_label("Vurdering", exact=True).fill("Nådde målene om prosent.")
    click_and_wait(office, "Legg til rad", f"/iop/{plan.pk}/vedlegg/")
    visit(office, "walk-10-annex")
    with office.expect_download() as download:
        office.get_by_role("link", name="Forhåndsvis vedlegget (PDF)").click()
    annex = pdf_text(download)
    assert minor.full_name in annex and "Nådde målene om prosent." in annex
    office.goto(f"{live_server.url}/iop/{plan.pk}/")
    click_and_wait(office, re.compile("Publisert årsrapport"), f"/iop/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.stage == Plan.Stage.ANNUAL_REPORT
    assert plan.report_continued_need == "Ja, i matematikk." and plan.annex_rows.count() == 1

    phone.reload()
    assert phone.get_by_text("Ja, i matematikk.").is_visible()
    visit(phone)


def test_the_wrong_doors_stay_shut(browser, live_server, teacher, other_guardian, minor, axe_check):
    """A teacher opening an IOP still in draft, a guardian of another child on a copied link, a
    teacher asking for a document not made visible: each gets the not-found page (404), which
    does not even reveal that the IOP or the document exists, and a way back to the start page."""
    draft = PlanFactory(student=minor, stage=Plan.Stage.DRAFT)
    hidden = DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT", visible_to_teachers=False)

    classroom = new_page(browser)
    log_in(classroom, live_server, teacher.username)
    response = classroom.goto(f"{live_server.url}/iop/{draft.pk}/")
    assert response.status == 404
    assert classroom.get_by_role("link", name="Gå til startsiden").is_visible()
    axe_check(classroom)
    response = classroom.goto(f"{live_server.url}/dokumenter/{hidden.pk}/last-ned/")
    assert response.status == 404
    axe_check(classroom)

    other_home = new_page(browser, PHONE)
    log_in(other_home, live_server, other_guardian.username)
    draft.stage = Plan.Stage.STUDENT_AND_GUARDIANS
    draft.save()
    response = other_home.goto(f"{live_server.url}/iop/{draft.pk}/")
    assert response.status == 404
    assert minor.full_name not in other_home.content()
    axe_check(other_home)
