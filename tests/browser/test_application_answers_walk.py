"""Issue 17 in a real browser: the IOP admin uploads a new attachment from the application form (item 2); the
guardian, on a phone, sees the attachments with what is shared and what is not (16) and asks a question
instead of approving (15); the admin reads the question, the guardian then approves, and the school batch PDF
carries continuous page numbers and the attachment stamps (11). axe on every page."""

import io
import re

import pytest
from pypdf import PdfReader

from applications.models import Application, ApplicationComment
from documents.models import Document
from tests.applications.factories import AuthorityFactory
from tests.factories import DocumentFactory, blank_pdf

from .helpers import PHONE, follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)
APPLICATION_EDIT = re.compile(r"/soknader/\d+/behandle/endre/")
APPLICATION_DETAIL = re.compile(r"/soknader/\d+/behandle/$")
BATCH_DETAIL = re.compile(r"/samlesoknader/\d+/")
QUESTION = "Hvem i PPT skrev vurderingen?"


def new_page(browser, viewport=None):
    return browser.new_context(locale="nb-NO", viewport=viewport or {"width": 1280, "height": 900}).new_page()


def test_upload_answer_approve_and_the_stamped_batch(browser, live_server, admin, guardian, minor, school_a,
                                                     axe_check, tmp_path):
    AuthorityFactory(name="Vestland fylkeskommune")
    DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT")
    upload = tmp_path / "logoped.pdf"
    upload.write_bytes(blank_pdf(2))

    # Item 2: the admin attaches the expert assessment and uploads a new report from the application form.
    office = new_page(browser)
    log_in(office, live_server, admin.username)
    office.goto(f"{live_server.url}/skoler/{school_a.pk}/soknader/ny/")
    follow(office, office.get_by_role("button", name="Legg til").first, APPLICATION_EDIT)
    office.get_by_label(re.compile("sammendrag av sakkyndig vurdering", re.I)).fill("Støtte i matematikk.")
    office.get_by_label(re.compile("elevens mål med opplæringen", re.I)).fill("Grunnkompetanse.")
    office.locator("select[name$='subject']").first.select_option(index=1)
    office.locator("input[name$='extent']").first.fill("2 timer i uka")
    office.get_by_label("Sakkyndig vurdering fra PPT").check()
    office.locator("input[name='upload-file']").set_input_files(str(upload))
    office.locator("input[name='upload-title']").fill("Logopedrapport")
    axe_check(office)
    follow(office, office.get_by_role("button", name="Lagre", exact=True), APPLICATION_DETAIL)
    application = Application.objects.get(student=minor)
    assert set(application.attachments.values_list("document__title", flat=True)) == {
        "Sakkyndig vurdering fra PPT", "Logopedrapport"}
    assert Document.objects.filter(student=minor, title="Logopedrapport").exists()
    follow(office, office.get_by_role("button", name="Publiser for godkjenning"), APPLICATION_DETAIL)

    # Items 16 and 15: the guardian sees the attachments, neither shared, and asks a question instead.
    phone = new_page(browser, PHONE)
    log_in(phone, live_server, guardian.username)
    follow(phone, phone.get_by_role("link", name="Les og godkjenn"), f"/soknader/{application.pk}/godkjenning/")
    for title in ("Sakkyndig vurdering fra PPT", "Logopedrapport"):
        phone.get_by_text(title, exact=False).first.wait_for()
    phone.locator("#attachments-not-shared").wait_for()
    axe_check(phone)
    phone.get_by_label("Jeg har et spørsmål").check()
    phone.get_by_label("Kommentaren din til skolen").fill(QUESTION)
    follow(phone, phone.get_by_role("button", name="Send til skolen"), f"/soknader/{application.pk}/godkjenning/")
    phone.get_by_text(QUESTION).first.wait_for()
    axe_check(phone)
    assert ApplicationComment.objects.get(application=application).by == guardian
    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_APPROVAL

    # The admin reads the question; the guardian, answered, approves the same content.
    office.goto(f"{live_server.url}/soknader/{application.pk}/behandle/")
    office.get_by_text(QUESTION).first.wait_for()
    axe_check(office)
    follow(phone, phone.get_by_role("button", name="Jeg godkjenner at skolen sender denne søknaden"),
           f"/soknader/{application.pk}/godkjenning/")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # Item 11: the batch PDF numbers its pages across the parts and stamps each attachment page.
    office.goto(f"{live_server.url}/skoler/{school_a.pk}/samlesoknader/")
    office.get_by_label("Navn", exact=True).fill("Vestland høst")
    office.get_by_label("Mottaker (fylkeskommune eller kommune)").select_option(label="Vestland fylkeskommune")
    follow(office, office.get_by_role("button", name="Opprett samlesøknad"), BATCH_DETAIL)
    follow(office, office.get_by_role("button", name="Legg til"), BATCH_DETAIL)
    axe_check(office)
    with office.expect_download() as download:
        office.get_by_role("link", name="Last ned PDF").click()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages]
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} av {total}" in text
    stamped = [text for text in pages if f"{minor.full_name} – Vedlegg" in text]
    assert len(stamped) == 1 + 2  # the expert assessment's page, then the report's two
