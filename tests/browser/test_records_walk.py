"""An access request in a real browser (seed 003, «Alltid sekretessbedömning»): a teacher registers the request
Emma's guardian made, the county's records officer collects Emma's records and reviews them one by one —
releases one, withholds one, strikes a passage in a third — and releases the answer; the guardian downloads it
in the app, and the struck passage is not in it. axe on every page."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from applications.models import Authority
from records.services import officer_grant
from tests.factories import DocumentFactory, UserFactory
from tests.iop.factories import PlanFactory

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "Moren sier at hun sover dårlig."
REQUEST_PAGE = re.compile(r"/arkiv/innsynskrav/\d+/")
ITEM_PAGE = re.compile(r"/arkiv/innsynskrav/punkt/\d+/")


def new_page(browser):
    return browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900}).new_page()


def decide(page, axe_check, decision, *, basis=None, strike=None):
    """Review the record on the page; return once the next page has loaded."""
    if strike:
        page.locator("summary", has_text="Sladd tekstbiter").first.click()
        page.locator("textarea[name^=strike-]").first.fill(strike)
    page.get_by_label(decision, exact=True).check()
    if basis:
        page.get_by_label("Hjemmel").select_option(label=basis)
    axe_check(page)
    follow(page, page.get_by_role("button", name="Lagre avgjørelsen"), re.compile(r"/arkiv/innsynskrav/.*"))


def test_an_access_request_from_registration_to_answer(browser, page, live_server, school_a, minor, teacher, guardian,
                                                       axe_check, screenshot):
    authority = Authority.objects.create(name=school_a.owner_name, kind="county")
    officer = UserFactory(username="otto", first_name="Otto", last_name="Arkiv")
    officer_grant(authority=authority, user=officer)
    PlanFactory(student=minor, mapping_academic=f"Emma leser sakte. {SECRET} Hun trives i klassen.")
    DocumentFactory(student=minor, title="Sakkyndig vurdering")

    # 1. Emma's mother asked her contact teacher; he registers the request (he never hands anything over himself).
    log_in(page, live_server, teacher.username)
    follow(page, page.get_by_role("link", name=re.compile("Registrer innsynskravet")), "/arkiv/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Registrer et innsynskrav"), "/arkiv/innsynskrav/ny/")
    page.locator("main input[name=q]").fill("Emma")
    follow(page, page.get_by_role("button", name="Søk"), "/arkiv/innsynskrav/ny/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Emma Hansen"), f"/arkiv/innsynskrav/ny/{minor.pk}/")
    page.get_by_label("En foresatt til eleven").check()
    page.get_by_label(re.compile("Den foresattes innlogging")).select_option(index=1)
    page.get_by_label("Hva ber de om innsyn i?").fill("Alt skolen har om Emma.")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Registrer kravet"), re.compile(r"/arkiv/innsynskrav/\d+/kvittering/"))
    axe_check(page)

    # 2. The county's records officer collects Emma's records and reviews each.
    office = new_page(browser)
    log_in(office, live_server, officer.username)
    follow(office, office.get_by_role("link", name=re.compile("åpent innsynskrav som skal besvares")), "/arkiv/")
    axe_check(office)
    follow(office, office.get_by_role("link", name=re.compile(r"Innsynskrav \d+")).first, REQUEST_PAGE)
    follow(office, office.get_by_role("button", name="Hent elevens opplysninger"), REQUEST_PAGE)
    axe_check(office)
    follow(office, office.locator("main table").get_by_role("link", name=re.compile("IOP")).first, ITEM_PAGE)
    office.get_by_text(SECRET, exact=False).first.wait_for()
    decide(office, axe_check, "Gi innsyn med sladding", strike=SECRET,
           basis="Taushetsplikt (forvaltningsloven § 13, offentleglova § 13)")
    office.wait_for_url(ITEM_PAGE)
    decide(office, axe_check, "Unnta", basis="Ikke omfattet av kravet")
    office.wait_for_url(ITEM_PAGE)
    decide(office, axe_check, "Gi innsyn")
    office.wait_for_url(REQUEST_PAGE)
    axe_check(office)
    follow(office, office.get_by_role("link", name="Frigi svaret"), re.compile(r".*/svar/"))
    axe_check(office)
    follow(office, office.get_by_role("button", name="Frigi svaret"), REQUEST_PAGE)
    screenshot(office, "records-answered")

    # 3. The guardian downloads the answer in the app: the struck passage is not in it.
    parent = new_page(browser)
    log_in(parent, live_server, guardian.username)
    follow(parent, parent.get_by_role("link", name="Svar på innsynskravene dine"), "/arkiv/")
    axe_check(parent)
    with parent.expect_download() as download:
        parent.get_by_role("link", name=re.compile("PDF")).first.click()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "Emma leser sakte." in text and "[unntatt]" in text
    assert "sover dårlig" not in text
