"""Retention in a real browser: Emma left six years ago; the nightly check has put her IKO records on the
county's destruction list. The records officer holds one back, approves the rest (a confirmation first),
then hands her IOP over to the archive and downloads the package; the IOP admin finds the IOP read-only.
axe on every page."""

import re
import zipfile

import pytest

from applications.models import Authority
from followup.models import Plan as IkoPlan
from followup.models import Signal
from records.services import officer_grant, retention_run
from tests.factories import DocumentFactory, UserFactory, years_ago
from tests.followup.factories import iko_objects
from tests.iop.factories import PlanFactory

from .helpers import follow, log_in

pytestmark = pytest.mark.django_db(transaction=True)
LIST_PAGE = re.compile(r"/arkiv/bevaring/kassasjon/\d+/$")


def test_a_destruction_list_approved_and_a_hand_over(page, live_server, school_a, minor, admin, axe_check,
                                                     screenshot):
    authority = Authority.objects.create(name=school_a.owner_name, kind="county")
    officer = UserFactory(username="otto", first_name="Otto", last_name="Arkiv")
    officer_grant(authority=authority, user=officer)
    minor.left_on = years_ago(6)
    minor.save(update_fields=["left_on"])
    iko = iko_objects(minor, admin)
    plan = PlanFactory(student=minor)
    DocumentFactory(student=minor, title="Sakkyndig vurdering")
    retention_run(authority=authority)  # the nightly check

    # 1. The start page tells the officer; the list shows what is due.
    log_in(page, live_server, officer.username)
    follow(page, page.get_by_role("link", name=re.compile("venter på godkjenningen din før kassasjon")),
           "/arkiv/bevaring/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Gå gjennom kassasjonslisten"), LIST_PAGE)
    axe_check(page)

    # 2. The signal is held back (a complaint), the plan destroyed after the confirmation.
    row = page.locator("tr", has_text="IKO-signal")
    row.locator("summary").click()
    row.get_by_label("Hvorfor holdes dokumentet tilbake?").fill("Klagesak hos Statsforvalteren")
    follow(page, row.get_by_role("button", name="Hold tilbake"), LIST_PAGE)
    page.get_by_label(re.compile("Jeg har gått gjennom listen")).check()
    follow(page, page.get_by_role("button", name="Godkjenn og slett 1 dokument"), LIST_PAGE)
    page.get_by_text("Listen er godkjent", exact=False).first.wait_for()
    axe_check(page)
    screenshot(page, "retention-tombstones")
    assert Signal.objects.filter(pk=iko["iko_signal"].pk).exists()
    assert not IkoPlan.objects.filter(pk=iko["iko_plan"].pk).exists()

    # 3. Emma is due for hand-over: the officer makes the package and downloads it.
    page.goto(f"{live_server.url}/arkiv/bevaring/")
    follow(page, page.get_by_role("link", name=re.compile("Emma Hansen")), f"/arkiv/bevaring/avlevering/elev/{minor.pk}/")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Lag pakken og avlever"), "/arkiv/bevaring/")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Last ned pakken")).first.click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert {"dokumenter/pakke.pdf", "metadata.json", "arkivstruktur.xml"} == set(archive.namelist())

    # 4. The IOP admin finds the IOP read-only.
    admin_page = page.context.browser.new_context(locale="nb-NO").new_page()
    log_in(admin_page, live_server, admin.username)
    admin_page.goto(f"{live_server.url}/iop/{plan.pk}/")
    admin_page.get_by_text("avlevert til arkivet", exact=False).first.wait_for()
    axe_check(admin_page)
