"""An IOP admin logs in through a real browser and sees an accessible start page."""

import pytest

from tests.factories import StudentFactory

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_iop_admin_logs_in_and_sees_the_students(page, live_server, admin, minor, school_a, axe_check, screenshot):
    StudentFactory(school=school_a, first_name="Nora", last_name="Lie", group="2STB")
    page.goto(f"{live_server.url}/logg-inn/")
    axe_check(page)

    log_in(page, live_server, admin.username)
    page.get_by_role("heading", name=f"Elever ved {school_a.name}").wait_for()
    assert page.get_by_role("cell", name="Emma Hansen", exact=True).is_visible()
    screenshot(page, "start-iop-admin")
    axe_check(page)

    page.get_by_label("Navn").fill("nora")
    follow(page, page.get_by_role("button", name="Filtrer"), "/")
    assert "nora" in page.url
    assert page.get_by_role("cell", name="Nora Lie", exact=True).is_visible()
    assert page.get_by_role("cell", name="Emma Hansen", exact=True).count() == 0


def test_skip_link_is_the_first_stop_for_the_keyboard(page, live_server, admin, minor):
    log_in(page, live_server, admin.username)
    page.get_by_role("heading", level=1).wait_for()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"


def test_the_language_chosen_in_the_switcher_is_kept_at_the_next_login(browser, page, live_server, guardian,
                                                                      axe_check):
    log_in(page, live_server, guardian.username)
    page.get_by_label("Språk").select_option("nn")
    follow(page, page.get_by_role("button", name="Bytt språk"), "/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Velkomen, {guardian.first_name}"
    axe_check(page)

    other_device = browser.new_context(locale="nb-NO").new_page()  # a bokmål device
    log_in(other_device, live_server, guardian.username)
    assert other_device.locator("html").get_attribute("lang") == "nn"
    assert other_device.get_by_role("heading", level=1).inner_text() == f"Velkomen, {guardian.first_name}"
