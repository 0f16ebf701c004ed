"""On a phone (390×844) no page scrolls sideways: tables become stacked lists, forms fit (issue 17, item 21).

The IOP admin, a teacher and a guardian each walk their main pages with real objects; axe runs on a few at
that width. The stacked tables are static/js/table-labels.js (each cell gets its column's header as
data-label) and the phone rules in static/css/app.css.
"""

import pytest

from accounts.services import iko_team_grant
from iop.models import Plan
from tests.applications.factories import ApplicationFactory, ApplicationSubjectFactory
from tests.crawl import records_objects
from tests.factories import DocumentFactory, SubjectFactory
from tests.followup.factories import iko_objects
from tests.iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory

from .helpers import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

LONG = ("Eleven skal kunne utforske og beskrive strukturer og mønstre i lek, kunst, kultur og natur og "
        "bruke spesialundervisningsressursene i klasserommet sammen med medelevene sine.")


@pytest.fixture
def world(minor, admin, teacher, guardian, school_a):
    """An IOP with a goal, a log entry and an annex row; a document, an application, IKO and records objects."""
    plan = PlanFactory(student=minor, stage=Plan.Stage.ANNUAL_REPORT, goal_kind=Plan.GoalKind.VOCATIONAL,
                       goal_text="Fagbrev som kokk, med lærekontrakt etter to år i skole.")
    maths = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    GoalFactory(plan_subject=maths, competence_goal=LONG, learning_goal=LONG, content=LONG)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="IOP1000", name="Individuell opplæringsplan, 1. år"))
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="NOR1267", name="Norsk hovedmål, skriftlig, yrkesfag"))
    LogEntryFactory(plan=plan, created_by=admin, text=LONG)
    AnnexRowFactory(plan=plan, assessment=LONG)
    DocumentFactory(student=minor)
    application = ApplicationFactory(student=minor)
    ApplicationSubjectFactory(application=application, subject=SubjectFactory(code="MAT1019"))
    iko_team_grant(school=school_a, user=admin)
    iko_objects(minor, teacher)
    records_objects(minor, officer=admin)
    return {"plan": plan, "subject": maths, "application": application, "student": minor, "school": school_a}


def phone_page(browser):
    """A new phone-sized tab; like the `page` fixture it collects what the Content-Security-Policy refused."""
    page = browser.new_context(locale="nb-NO", viewport=PHONE).new_page()
    page.refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.refused.append(message.text))
    return page


# The outermost elements that reach past the window's right edge (for the failure message).
WIDEST = """Array.from(document.body.querySelectorAll('*'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
            + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""

# The table boxes (.table-scroll) whose content is wider than the box: on a phone the table is a stacked list.
SCROLLING_BOXES = """Array.from(document.querySelectorAll('.table-scroll'))
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => box.scrollWidth + 'px in ' + box.clientWidth + 'px')"""


def sideways(page, path):
    """What is wrong with the page's width, or None: the page is no wider than the window (1 px rounding), and no
    table scrolls sideways inside its box."""
    scroll_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > window_width + 1:
        return f"{path} is {scroll_width} px wide in a {window_width} px window, past its edge: {page.evaluate(WIDEST)}"
    boxes = page.evaluate(SCROLLING_BOXES)
    if boxes:
        return f"{path} has tables that scroll sideways in their box: {boxes}"
    return None


def assert_no_sideways_scroll(page, path):
    problem = sideways(page, path)
    assert problem is None, problem


def walk(page, live_server, paths, axe_check=None, axe_on=()):
    """Visit each path (each must load with one h1); fail at the end, naming every page that scrolls sideways."""
    too_wide = []
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, (path, response.status)
        assert page.locator("h1").count() == 1, path
        if problem := sideways(page, path):
            too_wide.append(problem)
        if path in axe_on:
            axe_check(page)
    assert not too_wide, too_wide
    assert not page.refused, page.refused


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, world, admin, teacher, guardian, axe_check,
                                             screenshot):
    plan, subject, student, school = world["plan"], world["subject"], world["student"], world["school"]
    application = world["application"]
    admin_paths = [
        "/",
        f"/iop/{plan.pk}/",
        f"/iop/fag/{subject.pk}/",
        f"/iop/{plan.pk}/vedlegg/",
        f"/iop/{plan.pk}/del1/",
        f"/elever/{student.pk}/dokumenter/",
        f"/skoler/{school.pk}/soknader/",
        f"/soknader/{application.pk}/behandle/",
        f"/elever/{student.pk}/tilgangslogg/",
        f"/iko/skoler/{school.pk}/",
        "/arkiv/",
    ]
    office = phone_page(browser)
    log_in(office, live_server, admin.username)
    walk(office, live_server, admin_paths, axe_check,
         axe_on={"/", f"/iop/{plan.pk}/vedlegg/", f"/elever/{student.pk}/tilgangslogg/", f"/iko/skoler/{school.pk}/"})
    office.goto(f"{live_server.url}/iop/{plan.pk}/vedlegg/")
    screenshot(office, "phone-annex-admin")

    classroom = phone_page(browser)
    log_in(classroom, live_server, teacher.username)
    walk(classroom, live_server, ["/", f"/iop/{plan.pk}/", f"/iop/fag/{subject.pk}/"], axe_check,
         axe_on={f"/iop/fag/{subject.pk}/"})
    screenshot(classroom, "phone-goals-teacher")

    home = phone_page(browser)
    log_in(home, live_server, guardian.username)
    walk(home, live_server, ["/", f"/iop/{plan.pk}/"], axe_check, axe_on={f"/iop/{plan.pk}/"})
    screenshot(home, "phone-plan-guardian")


def test_a_table_on_a_phone_is_a_stacked_list_labelled_by_its_headers(browser, live_server, world, admin):
    """static/js/table-labels.js labels each cell with its column; app.css stacks the rows on a phone only."""
    office = phone_page(browser)
    log_in(office, live_server, admin.username)
    office.goto(f"{live_server.url}/iop/{world['plan'].pk}/vedlegg/")
    annex = office.locator("table", has=office.locator("caption", has_text="Vedlegg til kompetansebevis"))
    cell = annex.locator("tbody td").first
    assert cell.get_attribute("data-label") == "Omfang"
    assert cell.evaluate("cell => getComputedStyle(cell).display") == "block"
    assert annex.locator("thead").evaluate("head => getComputedStyle(head).display") != "table-header-group"
    # The headers are still the table's headers for a screen reader, and the row header heads its block.
    assert office.get_by_role("columnheader", name="Omfang").count() == 1
    notation = office.locator("section[aria-labelledby=notation-heading] table")
    assert notation.get_by_role("rowheader").first.evaluate("th => getComputedStyle(th).display") == "block"
    # Printed, a table stays a table.
    office.emulate_media(media="print")
    assert cell.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
    assert not office.refused, office.refused


def test_the_annex_page_fits_a_desktop_screen(page, live_server, world, admin, screenshot):
    """At 1280 px the notation table shows its rule column whole, and the form's fields use the content width."""
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/iop/{world['plan'].pk}/vedlegg/")
    scroller = page.locator("section[aria-labelledby=notation-heading] .table-scroll")
    rule = page.get_by_role("columnheader", name="Regel")
    assert rule.is_visible()
    screenshot(page, "desktop-annex-admin")
    fits = scroller.evaluate("box => box.scrollWidth <= box.clientWidth + 1")
    assert fits, "the notation table scrolls sideways at 1280 px"
    assert_no_sideways_scroll(page, "annex")
    # A textarea spans the content width like the text fields (not its 40 columns, about 450 px).
    textarea = page.locator("main textarea").first.bounding_box()["width"]
    text_field = page.get_by_label("Fag/emne").bounding_box()["width"]
    assert textarea == pytest.approx(text_field, abs=1) and textarea > 900
