"""An IOP admin imports the school's roster in a real browser; the imported teacher and guardian then see their own."""

import re

import pytest

from tests.roster.helpers import BASE, NORDVIK_ORG_NUMBER, one_school, zipped

from .helpers import follow, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def test_iop_admin_imports_then_the_school_sees_its_own(browser, page, live_server, admin, school_a, tmp_path,
                                                          import_day, axe_check, screenshot):
    school_a.org_number = NORDVIK_ORG_NUMBER
    school_a.save()
    log_in(page, live_server, admin.username)
    follow(page, page.get_by_role("link", name="Import fra skoleadministrativt system"), "/import/")
    axe_check(page)
    page.get_by_label("Eksportfil (zip)").set_input_files(files=[{
        "name": "nordvik.zip", "mimeType": "application/zip", "buffer": zipped(one_school(BASE, tmp_path / "n"))}])
    follow(page, page.get_by_role("button", name="Kontroller filen"), re.compile(r"/import/\d+/$"))
    page.get_by_test_id("import-status").get_by_text("Kontrollert, klar til å tas i bruk").wait_for()
    assert page.get_by_test_id("import-counts").get_by_text("Elever").is_visible()
    screenshot(page, "roster-import-preview")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Bruk importen"), re.compile(r"/import/\d+/$"))
    page.get_by_test_id("import-status").get_by_text("Tatt i bruk").wait_for()
    axe_check(page)

    teacher_page = browser.new_context(locale="nb-NO").new_page()
    log_in(teacher_page, live_server, with_password(feide_id="kari.lunde@nordvik.vlfk.no").username)
    teacher_page.get_by_role("heading", name="Elever jeg underviser").wait_for()
    assert teacher_page.get_by_role("link", name="Ingrid Haugland").is_visible()
    assert teacher_page.get_by_role("link", name="Nora Fosse").count() == 0  # 1STB: not hers

    guardian_page = browser.new_context(locale="nb-NO").new_page()
    log_in(guardian_page, live_server, with_password(username="g.khaugland").username)
    guardian_page.get_by_text("Ingrid Haugland").first.wait_for()
    assert guardian_page.get_by_text("Eirik Vik").count() == 0

