"""The IKO year in a real browser (seed 002): an import brings results, the rules flag a student, the contact
teacher assesses and talks with him, the IKO team maps and makes a plan, his guardian reads it on a phone,
and the plan ends in a referral to special education. axe on every page."""

import re

import pytest

from accounts.models import School
from accounts.services import iko_team_grant
from applications.models import Application
from roster.services import import_path
from tests.roster.helpers import BASE, NORDVIK_ORG_NUMBER

from .helpers import follow, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
STUDENT_PAGE = re.compile(r"/iko/elever/\d+/")
PLAN_PAGE = re.compile(r"/iko/planer/\d+/")


def new_page(browser, viewport=None):
    return browser.new_context(locale="nb-NO", viewport=viewport or {"width": 1280, "height": 900}).new_page()


def test_the_iko_year_of_one_student(browser, page, live_server, import_day, axe_check, screenshot):
    import_path(BASE)  # the school's export, with grades, absence and admissions
    nordvik = School.objects.get(org_number=NORDVIK_ORG_NUMBER)
    team = with_password(username="hallvard.nygard@nordvik.vlfk.no")
    iko_team_grant(school=nordvik, user=team)
    contact = with_password(username="arne.saelensminde@nordvik.vlfk.no")
    guardian = with_password(username="g.brekke")

    # 1. The IKO team runs the rules: Ola Brekke's absence is over 10 %.
    log_in(page, live_server, team.username)
    follow(page, page.get_by_role("link", name="IKO-oppfølging ved Nordvik vidaregåande skule"),
           f"/iko/skoler/{nordvik.pk}/")
    follow(page, page.get_by_role("button", name="Kjør identifiseringsreglene nå"), f"/iko/skoler/{nordvik.pk}/")
    page.get_by_test_id("new-signals").get_by_role("link", name="Ola Brekke").first.wait_for()
    screenshot(page, "iko-overview")
    axe_check(page)

    # 2. His contact teacher takes the signal into mapping and writes down the start-up talk.
    teacher = new_page(browser)
    log_in(teacher, live_server, contact.username)
    follow(teacher, teacher.get_by_role("link", name="IKO-oppfølging ved Nordvik vidaregåande skule"),
           f"/iko/skoler/{nordvik.pk}/")
    follow(teacher, teacher.get_by_test_id("new-signals").get_by_role("link", name="Ola Brekke").first, STUDENT_PAGE)
    signal = teacher.get_by_test_id("signal").filter(has_text="Fravær").first
    signal.get_by_label("Ta inn i kartlegging").check()
    follow(teacher, signal.get_by_role("button", name="Lagre vurderingen"), STUDENT_PAGE)
    axe_check(teacher)
    follow(teacher, teacher.get_by_role("link", name="Skriv ned en oppstartsamtale"), re.compile(r".*/startup/ny/"))
    teacher.get_by_label("Elevens eget syn").fill("Sover dårlig og gruer seg til skolen.")
    axe_check(teacher)
    follow(teacher, teacher.get_by_role("button", name="Lagre"), STUDENT_PAGE)
    teacher.get_by_text("Sover dårlig og gruer seg til skolen.").wait_for()

    # 3. The team maps and makes a plan; the guardians are informed before it starts; it is shared.
    page.goto(teacher.url)
    follow(page, page.get_by_role("link", name="Skriv ned en kartleggingssamtale"), re.compile(r".*/mapping/ny/"))
    page.get_by_label("Helse").check()
    page.get_by_label("Ønsker og behov").fill("En fast voksen å snakke med.")
    follow(page, page.get_by_role("button", name="Lagre"), STUDENT_PAGE)
    follow(page, page.get_by_role("button", name="Lag en oppfølgingsplan"), PLAN_PAGE)
    axe_check(page)
    follow(page, page.get_by_role("link", name="Legg til et tiltak"), re.compile(r".*/tiltak/ny/"))
    page.get_by_label("Utfordringen tiltaket svarer på").select_option(label="Fravær")
    page.get_by_label("Tilnærming").fill("Ukentlig samtale med kontaktlærer; rask kontakt med foresatte ved fravær.")
    page.get_by_label("Arne Sælensminde").check()
    page.get_by_label("Fra", exact=True).fill("2027-01-12")
    page.get_by_label("Til", exact=True).fill("2027-03-01")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Lagre"), PLAN_PAGE)
    page.get_by_label("Dato de foresatte ble informert").fill("2027-01-11")
    page.get_by_label("Hvordan de foresatte ble informert").fill("Telefon")
    follow(page, page.get_by_role("button", name="Lagre", exact=True), PLAN_PAGE)
    follow(page, page.get_by_role("button", name="Start planen"), PLAN_PAGE)
    follow(page, page.get_by_role("button", name="Del med eleven og de foresatte"), PLAN_PAGE)
    screenshot(page, "iko-plan")
    axe_check(page)

    # 4. His guardian reads the plan on a phone.
    phone = new_page(browser, PHONE)
    log_in(phone, live_server, guardian.username)
    follow(phone, phone.get_by_role("link", name="Oppfølgingsplan – Ola Brekke"), PLAN_PAGE)
    phone.get_by_text("Ukentlig samtale med kontaktlærer").wait_for()
    assert phone.get_by_role("link", name="Legg til et tiltak").count() == 0
    screenshot(phone, "iko-plan-guardian-phone")
    axe_check(phone)

    # 5. The plan is evaluated: the measures were not enough, he is referred to special education.
    page.get_by_label("Henvisning til spesialundervisning").check()
    page.get_by_label("Evaluering av planen").fill("Fraværet er redusert, men faglige vansker gjenstår.")
    follow(page, page.get_by_role("button", name="Lagre evalueringen"), PLAN_PAGE)
    page.get_by_test_id("plan-status").get_by_text("Henvisning til spesialundervisning").wait_for()
    axe_check(page)
    assert Application.objects.get().student.full_name == "Ola Brekke"
