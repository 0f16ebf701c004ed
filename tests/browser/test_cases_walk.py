"""A person case in a real browser (seed 004): the case creator registers the student and opens the case,
the contact teacher (its handler) names a miljøarbeider as co-handler, she writes an observation, the
handler takes her off the case (she now gets 404) and closes it. axe on every page."""

import re

import pytest

from accounts.services import case_creator_grant
from tests.conftest import make_staff

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)
CASE_PAGE = re.compile(r"/personsaker/sak/\d+/")


def new_page(browser):
    return browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900}).new_page()


def test_a_person_case_from_opening_to_closing(browser, page, live_server, school_a, minor, teacher, axe_check,
                                               screenshot):
    creator = make_staff("kari", school_a)
    creator.first_name, creator.last_name = "Kari", "Leder"
    creator.save()
    case_creator_grant(school=school_a, user=creator)
    assistant = make_staff("tone", school_a)
    assistant.first_name, assistant.last_name = "Tone", "Fagarbeider"
    assistant.save()
    minor.contact_teacher = teacher
    minor.save()
    card = f"/personsaker/elev/{minor.pk}/"

    # 1. The case creator finds Emma, registers her in the case system and opens a case for her contact teacher.
    log_in(page, live_server, creator.username)
    follow(page, page.get_by_role("link", name="Personsaker", exact=False).first, "/personsaker/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Finn en elev"), "/personsaker/elever/")
    page.get_by_label("Søk på navn eller klasse").fill("Emma")
    follow(page, page.get_by_role("button", name="Søk"), "/personsaker/elever/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Emma Hansen"), card)
    axe_check(page)
    follow(page, page.get_by_role("button", name="Registrer eleven i personsaker"), card)
    follow(page, page.get_by_role("link", name="Ny personsak"), f"{card}ny-sak/")
    page.get_by_label("Sakstype").select_option(label="Observasjon over tid")
    page.get_by_label("Kategori").select_option(label="Skolemiljø og trivsel")
    page.get_by_label("Kort beskrivelse").fill("Emma virker utenfor i friminuttene.")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Opprett saken"), card)
    axe_check(page)
    screenshot(page, "cases-student")

    # 2. The contact teacher, named handler by default, opens the case and names the miljøarbeider co-handler.
    handler = new_page(browser)
    log_in(handler, live_server, teacher.username)
    follow(handler, handler.get_by_role("link", name=re.compile("Personsaker: 1")), "/personsaker/")
    follow(handler, handler.get_by_test_id("handled-cases").get_by_role("link", name=re.compile(r"Sak \d+")),
           CASE_PAGE)
    case_url = handler.url
    axe_check(handler)
    follow(handler, handler.get_by_role("link", name="Saksbehandlere"), re.compile(r"/personsaker/sak/\d+/saksbehandlere/"))
    handler.get_by_label("Legg til en medsaksbehandler").select_option(label="Tone Fagarbeider (tone)")
    follow(handler, handler.get_by_role("button", name="Legg til som medsaksbehandler"),
           re.compile(r"/personsaker/sak/\d+/saksbehandlere/"))
    handler.get_by_role("cell", name="Tone Fagarbeider (tone)").wait_for()
    axe_check(handler)

    # 3. The miljøarbeider observes a break and writes it down in the case.
    observer = new_page(browser)
    log_in(observer, live_server, assistant.username)
    observer.goto(case_url)
    axe_check(observer)
    follow(observer, observer.get_by_role("link", name="Ny hendelse"), re.compile(r"/personsaker/sak/\d+/hendelse/ny/"))
    observer.get_by_label("Kategori").select_option(label="Observasjon")
    observer.get_by_label("Tittel").fill("Observasjon i langfri")
    observer.get_by_label("Tekst").fill("Emma sto alene ved inngangen hele friminuttet.")
    axe_check(observer)
    follow(observer, observer.get_by_role("button", name="Lagre hendelsen"), CASE_PAGE)
    observer.get_by_text("Emma sto alene ved inngangen hele friminuttet.").wait_for()

    # 4. Her part is done: the handler takes her off the case, and the case is closed to her at once.
    follow(handler, handler.get_by_role("link", name=re.compile("Fjern")), re.compile(r".*/fjern/"))
    axe_check(handler)
    follow(handler, handler.get_by_role("button", name=re.compile("^Fjern")),
           re.compile(r"/personsaker/sak/\d+/saksbehandlere/"))
    assert observer.goto(case_url).status == 404

    # 5. The handler reads the observation and closes the case with a note.
    handler.goto(case_url)
    handler.get_by_text("Emma sto alene ved inngangen hele friminuttet.").wait_for()
    follow(handler, handler.get_by_role("link", name=re.compile("^Rett")), re.compile(r"/personsaker/hendelse/\d+/rett/"))
    handler.get_by_label("Tekst").fill("Emma sto alene ved inngangen hele langfriminuttet.")
    axe_check(handler)
    follow(handler, handler.get_by_role("button", name="Lagre rettingen"), CASE_PAGE)
    handler.get_by_text("Emma sto alene ved inngangen hele langfriminuttet.").wait_for()
    handler.get_by_text("Tidligere versjoner").click()
    handler.get_by_text("Emma sto alene ved inngangen hele friminuttet.").wait_for()
    follow(handler, handler.get_by_role("link", name="Avslutt saken"), re.compile(r".*/avslutt/"))
    handler.get_by_label("Avslutningsnotat").fill("Emma har fått en fast gruppe i friminuttene. Saken avsluttes.")
    axe_check(handler)
    follow(handler, handler.get_by_role("button", name=re.compile("Avslutt saken")), CASE_PAGE)
    handler.get_by_text("Emma har fått en fast gruppe i friminuttene. Saken avsluttes.").wait_for()
    axe_check(handler)
    screenshot(handler, "cases-closed")

    # The case creator still sees the case in the school's list, but not what is in it.
    follow(page, page.get_by_role("link", name="Personsaker").first, "/personsaker/")
    follow(page, page.get_by_role("link", name="Skolens saker").first, f"/personsaker/skole/{school_a.pk}/")
    page.get_by_role("link", name="Avsluttet").click()
    page.wait_for_url(re.compile(r".*status=closed"))
    page.get_by_role("cell", name="Emma Hansen").wait_for()
    axe_check(page)
    follow(page, page.get_by_role("link", name="Sakstyper").first, f"/personsaker/skole/{school_a.pk}/sakstyper/")
    axe_check(page)
    assert page.goto(case_url).status == 403
