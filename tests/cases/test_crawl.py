"""Crawler-style: no page of the cases app answers 200 with a case to anyone but the case's handlers.

Every URL of the app, with the case's real objects, for every member of the cast, a case creator who is not
named, and a superuser. The case creator's pages (lists, types, the student card, new case, the handlers
page) are open to the creator, and none of them shows what is in the case.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.services import event_create
from documents.sanitize import sanitize_pdf

from ..crawl import URLS, kwarg_sets
from ..factories import blank_pdf

pytestmark = pytest.mark.django_db

CASE_URLS = [(name, dict(converters)) for name, converters in URLS if name.startswith("cases:")]
HANDLER_PAGES = {"cases:case", "cases:case_close", "cases:case_pdf", "cases:event_create", "cases:event_correct",
                 "cases:attachment", "cases:handlers"}
CREATOR_PAGES = {"cases:home", "cases:students", "cases:school_cases", "cases:case_types", "cases:student",
                 "cases:case_create", "cases:handlers", "cases:co_handler_remove"}
SECRET = "Hemmelig notat om hjemmeforhold"


@pytest.fixture
def objects(case, case_creator, minor, school_a, coteacher):
    event = event_create(case=case, by=case.handler, category="observation", kind="note",
                         occurred_on=timezone.localdate(), title="Observasjon", text=SECRET,
                         pdfs=[("Vedlegg", sanitize_pdf(blank_pdf()))])
    return {"person_case": case, "case_type": case.case_type, "case_event": event,
            "case_attachment": event.attachments.get(), "minor": minor, "school_a": school_a,
            "teacher": case.co_handlers.get()}


def answers(client, user, objects) -> dict[str, int]:
    """Every cases URL with real objects → its status for `user` (the first combination that answers)."""
    client.force_login(user)
    found = {}
    for name, converters in CASE_URLS:
        for kwargs in kwarg_sets(name, converters, objects):
            if "x" in kwargs.values():
                continue
            response = client.get(reverse(name, kwargs=kwargs))
            body = b"".join(response) if response.streaming else response.content
            assert SECRET.encode() not in body or name in HANDLER_PAGES, f"{name} shows the event to {user}"
            found[name] = max(found.get(name, 0), response.status_code)
    return found


@pytest.mark.parametrize("who", ["admin", "coteacher", "principal", "other_admin", "minor_student",
                                 "adult_student", "guardian", "other_guardian", "stranger", "superuser"])
def test_nobody_else_gets_a_page_of_the_case(client, case_cast, objects, who):
    user = case_cast[who]
    statuses = answers(client, user, objects)
    opened = {name for name, status in statuses.items() if status == 200}
    assert opened <= {"cases:home"}, f"{who} opened {opened}"
    home = client.get(reverse("cases:home")).content.decode()
    assert objects["minor"].full_name not in home and SECRET not in home


def test_the_case_creator_gets_the_lists_but_not_the_case(client, case_cast, objects):
    statuses = answers(client, case_cast["case_creator"], objects)
    opened = {name for name, status in statuses.items() if status == 200}
    assert opened == CREATOR_PAGES
    assert statuses["cases:case"] == 403


def test_the_handler_gets_every_page(client, case_cast, objects):
    statuses = answers(client, case_cast["teacher"], objects)
    opened = {name for name, status in statuses.items() if status == 200}
    assert HANDLER_PAGES <= opened


def test_the_co_handler_gets_the_case_but_not_what_only_the_handler_does(client, case_cast, objects):
    statuses = answers(client, case_cast["other_teacher"], objects)
    assert {"cases:case", "cases:event_create", "cases:event_correct", "cases:attachment"} <= {
        name for name, status in statuses.items() if status == 200}
    assert statuses["cases:case_close"] == statuses["cases:case_pdf"] == statuses["cases:handlers"] == 403
