"""Steps 1–5 in a real browser: the admin prepares an application, the guardian approves it
on a phone, the admin batches it, sends it and registers the decision. axe runs on every page."""

import re
from datetime import date

import pytest

from applications.models import Application, Decision
from tests.applications.factories import AuthorityFactory
from tests.factories import DocumentFactory, SubjectFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_application_from_creation_to_decision(browser, page, live_server, admin, guardian, minor, school_a,
                                               axe_check, screenshot):
    AuthorityFactory(name="Vestland fylkeskommune")
    DocumentFactory(student=minor, title="Sakkyndig vurdering fra PPT")
    subject = SubjectFactory(code="MAT1019")
    subject.name = "Matematikk 1P"
    subject.save()

    log_in(page, live_server, admin.username)
    page.get_by_role("link", name="Søknader og vedtak").click()
    axe_check(page)
    page.get_by_role("link", name="Legg til elevsøknad").click()
    axe_check(page)
    page.get_by_role("button", name="Legg til").first.click()
    page.get_by_label(re.compile("sammendrag av sakkyndig vurdering", re.I)).fill("Eleven trenger støtte i matematikk.")
    page.get_by_label(re.compile("elevens mål med opplæringen", re.I)).fill("Grunnkompetanse.")
    page.locator("select[name$='subject']").first.select_option(label="MAT1019 Matematikk 1P")
    page.locator("input[name$='extent']").first.fill("2 timer i uka")
    page.get_by_label("Sakkyndig vurdering fra PPT").check()
    axe_check(page)
    page.get_by_role("button", name="Lagre", exact=True).click()
    application = Application.objects.get(student=minor)
    page.goto(f"{live_server.url}/soknader/{application.pk}/behandle/")
    axe_check(page)
    page.get_by_role("button", name="Publiser for godkjenning").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_APPROVAL
    assert application.subjects.count() == 1 and application.attachments.count() == 1

    phone = browser.new_context(locale="nb-NO", viewport=PHONE).new_page()
    log_in(phone, live_server, guardian.username)
    phone.get_by_role("link", name="Les og godkjenn").click()
    axe_check(phone)
    phone.get_by_role("button", name="Jeg godkjenner at skolen sender denne søknaden").click()
    phone.wait_for_load_state()
    screenshot(phone, "application-approved-phone")
    axe_check(phone)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.approved_by == guardian

    page.goto(f"{live_server.url}/skoler/{school_a.pk}/samlesoknader/")
    axe_check(page)
    page.get_by_label("Navn", exact=True).fill("Vestland høst")
    page.get_by_label("Mottaker (fylkeskommune eller kommune)").select_option(label="Vestland fylkeskommune")
    page.get_by_role("button", name="Opprett samlesøknad").click()
    page.get_by_role("button", name="Legg til").first.click()
    page.wait_for_load_state()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    page.get_by_role("button", name="Marker samlesøknaden som sendt").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_PROCESSING

    page.goto(f"{live_server.url}/soknader/{application.pk}/behandle/")
    page.get_by_label("Innvilget").check()
    page.get_by_label("Vedtaksdato").fill(date.today().isoformat())
    page.get_by_label("Saksnummer").fill("2026/123")
    page.get_by_role("button", name="Registrer vedtak", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    assert Decision.objects.get(application=application).outcome == "granted"


def test_nothing_overflows_a_phone_screen(browser, live_server, guardian, minor):
    from applications.models import Application as App

    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory(student=minor, status=App.Status.AWAITING_APPROVAL)
    phone = browser.new_context(locale="nb-NO", viewport=PHONE).new_page()
    log_in(phone, live_server, guardian.username)
    for path in ["/", f"/soknader/{application.pk}/godkjenning/"]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
