"""An IOP admin uploads a document in a real browser; a teacher sees only what is visible."""

import pytest

from tests.factories import DocumentFactory, blank_pdf

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_uploads_and_teacher_sees_only_visible(browser, page, live_server, admin, teacher, minor,
                                                      axe_check, screenshot):
    DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT")
    documents = f"/elever/{minor.pk}/dokumenter/"
    log_in(page, live_server, admin.username)
    follow(page, page.get_by_role("link", name="Emma Hansen", exact=True), documents)
    page.get_by_role("heading", name="IOP-dokumenter – Emma Hansen").wait_for()
    axe_check(page)

    follow(page, page.get_by_role("link", name="Last opp dokument"), f"{documents}ny/")
    page.get_by_role("heading", name="Last opp et dokument for Emma Hansen").wait_for()
    axe_check(page)
    page.get_by_label("PDF-fil").set_input_files(
        files=[{"name": "kartlegging.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(2)}]
    )
    page.get_by_label("Tittel").fill("Kartlegging lesing")
    page.get_by_label("Synlig for faglærere").check()
    follow(page, page.get_by_role("button", name="Last opp", exact=True), documents)
    page.get_by_text("Dokumentet «Kartlegging lesing» er lastet opp.").wait_for()
    screenshot(page, "documents-iop-admin")
    axe_check(page)

    teacher_page = browser.new_context(locale="nb-NO").new_page()
    log_in(teacher_page, live_server, teacher.username)
    follow(teacher_page, teacher_page.get_by_role("link", name="Emma Hansen", exact=True), documents)
    teacher_page.get_by_role("heading", name="IOP-dokumenter – Emma Hansen").wait_for()
    assert teacher_page.get_by_role("cell", name="Kartlegging lesing", exact=True).is_visible()
    assert teacher_page.get_by_text("Sakkyndig vurdering fra PPT").count() == 0
    axe_check(teacher_page)


def test_a_non_pdf_gets_a_message_tied_to_the_field(page, live_server, admin, minor, axe_check):
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/elever/{minor.pk}/dokumenter/ny/")
    page.get_by_label("PDF-fil").set_input_files(
        files=[{"name": "bilde.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\nnot a pdf"}]
    )
    page.get_by_label("Tittel").fill("Behold tittelen")
    follow(page, page.get_by_role("button", name="Last opp", exact=True), f"/elever/{minor.pk}/dokumenter/ny/")
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Tittel").input_value() == "Behold tittelen"
    described_by = page.get_by_label("PDF-fil").get_attribute("aria-describedby")
    assert "id_file_error" in described_by
    assert "ikke en PDF" in page.locator("#id_file_error").inner_text()
    axe_check(page)
