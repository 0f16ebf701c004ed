"""The free-text guidance in a real browser (seed 003 «Fritextfält»): a listed word in an IOP log entry brings a
polite warning naming it, which goes when the word does; saving is never blocked. axe with the warning shown."""

import pytest
from django.core.cache import cache

from accounts.models import GuidanceWord, SchoolYear
from iop.models import LogEntry, Plan
from tests.iop.factories import PlanFactory

from .helpers import follow, log_in, wait_until_true

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def words(db):
    """The default words this test types (a transactional test before this one may have emptied the table)."""
    for word in ("lat", "dum", "håpløs"):
        GuidanceWord.objects.get_or_create(owner_name="", language="nb", word=word)
    cache.clear()


def test_a_listed_word_brings_a_gentle_warning_that_never_blocks(page, live_server, teacher, minor, words,
                                                                  axe_check, screenshot):
    plan = PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True),
                       stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/iop/{plan.pk}/")
    text = page.locator("textarea[name=text][data-guidance-check]")
    warning = page.locator("[data-guidance-warning][role=status]")
    assert warning.count() == 1 and warning.get_attribute("aria-live") == "polite"
    assert warning.inner_text() == ""

    text.fill("Eleven var lat og Dum i timen, helt HÅPLØS.")
    warning.get_by_text("«lat», «dum», «håpløs»").wait_for()  # whole words, any case, with æøå
    screenshot(page, "guidance-warning")
    axe_check(page)

    text.fill("Eleven latet som hun ikke hørte, og snakket om dumpingen.")  # parts of words are not matched
    wait_until_true(page, "!document.querySelector('[data-guidance-warning]').textContent")
    assert warning.inner_text() == ""

    text.fill("Eleven var lat i timen.")
    warning.get_by_text("«lat»").wait_for()
    follow(page, page.get_by_role("button", name="Legg til i loggen"), f"/iop/{plan.pk}/")
    assert LogEntry.objects.get(plan=plan).text == "Eleven var lat i timen."  # saved, never blocked
