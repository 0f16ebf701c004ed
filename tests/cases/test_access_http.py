"""The person-case table of docs/architecture.md §4 over HTTP: every page of one case for every member of the
cast (Bob handles it, Dora is co-handler, Kari the case creator created it and is not named), the changes
that take access away at once, the student card, and the logging of reads and refusals."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import StaffMembership
from audit.models import AccessEvent
from audit.selectors import events_for_student
from cases import access, services
from cases.models import Case, CaseStudent, CoHandler, EventVersion

from ..admin.verified import force_login_verified
from .factories import add_event, add_event_with_attachment, case_type

pytestmark = pytest.mark.django_db

HANDLER, CO_HANDLER, CREATOR = "teacher", "other_teacher", "case_creator"
OUTSIDERS = ["principal", "admin", "coteacher", "other_admin", "guardian", "minor_student", "adult_student",
             "other_guardian", "stranger", "superuser"]


def login(client, user):
    if user.is_superuser:
        force_login_verified(client, user)  # a superuser's login owes the second factor
    else:
        client.force_login(user)


@pytest.fixture
def objects(case, teacher):
    event = add_event_with_attachment(case, teacher)
    return {"case": case, "event": event, "attachment": event.attachments.get()}


# page -> (URL from the objects, which need it asks)
PAGES = {
    "case": lambda o: reverse("cases:case", args=[o["case"].pk]),
    "event_create": lambda o: reverse("cases:event_create", args=[o["case"].pk]),
    "event_correct": lambda o: reverse("cases:event_correct", args=[o["event"].pk]),
    "attachment": lambda o: reverse("cases:attachment", args=[o["attachment"].pk]),
    "handlers": lambda o: reverse("cases:handlers", args=[o["case"].pk]),
    "case_close": lambda o: reverse("cases:case_close", args=[o["case"].pk]),
    "case_pdf": lambda o: reverse("cases:case_pdf", args=[o["case"].pk]),
}
READ_PAGES, HANDLE_PAGES = ["case", "event_create", "event_correct", "attachment"], ["case_close", "case_pdf"]

EXPECTED = {
    HANDLER: dict.fromkeys(PAGES, 200),
    CO_HANDLER: {**dict.fromkeys(READ_PAGES, 200), "handlers": 403, **dict.fromkeys(HANDLE_PAGES, 403)},
    CREATOR: {**dict.fromkeys(READ_PAGES, 403), "handlers": 200, **dict.fromkeys(HANDLE_PAGES, 403)},
    **{name: dict.fromkeys(PAGES, 404) for name in OUTSIDERS},
}


@pytest.mark.parametrize("name", EXPECTED)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_a_case_for_every_role(client, case_cast, objects, name, page):
    login(client, case_cast[name])
    response = client.get(PAGES[page](objects))
    assert response.status_code == EXPECTED[name][page], (name, page)


@pytest.mark.parametrize("name", OUTSIDERS + [CREATOR, CO_HANDLER])
def test_who_may_not_close_changes_nothing_by_post(client, case_cast, case, name):
    login(client, case_cast[name])
    response = client.post(reverse("cases:case_close", args=[case.pk]), {"note": "Lukket"})
    assert response.status_code == (403 if name in (CREATOR, CO_HANDLER) else 404)
    case.refresh_from_db()
    assert case.is_open


@pytest.mark.parametrize("name", OUTSIDERS + [CREATOR])
def test_who_may_not_read_adds_no_event(client, case_cast, case, name):
    login(client, case_cast[name])
    response = client.post(reverse("cases:event_create", args=[case.pk]), event_data())
    assert response.status_code == (403 if name == CREATOR else 404)
    assert not case.events.exists()


def event_data(**changes):
    return {"category": "conversation", "kind": "note", "occurred_on": timezone.localdate().isoformat(),
            "title": "Samtale", "text": "Eleven fortalte om helga.", **changes}


@pytest.mark.parametrize("name", [HANDLER, CO_HANDLER])
def test_the_handlers_add_and_correct_events(client, case_cast, case, name):
    login(client, case_cast[name])
    response = client.post(reverse("cases:event_create", args=[case.pk]), event_data())
    assert response.status_code == 302
    event = case.events.get()
    response = client.post(reverse("cases:event_correct", args=[event.pk]),
                           {**event_data(text="Rettet tekst"), "based_on": 1})
    assert response.status_code == 302
    assert list(event.versions.order_by("number").values_list("number", "text")) == [
        (1, "Eleven fortalte om helga."), (2, "Rettet tekst")]


def test_the_handler_closes_the_case(client, case, teacher):
    login(client, teacher)
    response = client.post(reverse("cases:case_close", args=[case.pk]), {"note": "Ferdig"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_by == teacher


def test_closing_without_a_note_is_not_done(client, case, teacher):
    login(client, teacher)
    assert client.post(reverse("cases:case_close", args=[case.pk]), {"note": ""}).status_code == 400
    case.refresh_from_db()
    assert case.is_open


def test_no_event_is_added_to_a_closed_case_over_http(client, case, teacher):
    services.case_close(case=case, by=teacher, note="Ferdig")
    login(client, teacher)
    response = client.post(reverse("cases:event_create", args=[case.pk]), event_data())
    assert response.status_code in (302, 400)  # a refusal is shown, never a 500
    assert not case.events.exists()


def test_a_stale_correction_over_http_keeps_both_texts(client, case, teacher, other_teacher):
    event = add_event(case, teacher)
    services.event_correct(event=event, by=other_teacher, based_on=1, category="conversation", kind="note",
                           occurred_on=timezone.localdate(), title="Samtale med eleven", text="Doras retting")
    login(client, teacher)
    response = client.post(reverse("cases:event_correct", args=[event.pk]),
                           {**event_data(text="Bobs retting"), "based_on": 1})
    assert response.status_code in (400, 409)  # the stale text is shown beside the saved one
    assert list(EventVersion.objects.filter(event=event).values_list("text", flat=True)) == [
        "Eleven fortalte om helga.", "Doras retting"]


@pytest.mark.parametrize("url_name", ["cases:student_register", "cases:hand_over"])
def test_get_on_a_post_only_view_is_405(client, case, teacher, minor, url_name):
    login(client, teacher)
    args = [minor.pk] if url_name == "cases:student_register" else [case.pk]
    assert client.get(reverse(url_name, args=args)).status_code == 405


def test_the_case_pages_send_anonymous_users_to_login(client, objects):
    for page, url in PAGES.items():
        response = client.get(url(objects))
        assert response.status_code == 302 and reverse("login") in response.url, page


# --- Access taken away at once ---------------------------------------------------------------------------


def test_a_co_handler_removed_midway_gets_404_on_the_next_request(client, case, other_teacher):
    login(client, other_teacher)
    url = reverse("cases:case", args=[case.pk])
    assert client.get(url).status_code == 200
    services.co_handler_remove(case=case, user=other_teacher)
    assert client.get(url).status_code == 404
    assert case not in access.cases_handled_by(other_teacher)


def test_the_handler_removes_a_co_handler_over_http(client, case, teacher, other_teacher):
    login(client, teacher)
    response = client.post(reverse("cases:co_handler_remove", args=[case.pk, other_teacher.pk]))
    assert response.status_code == 302
    assert not CoHandler.objects.filter(case=case).exists()
    client.force_login(other_teacher)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_a_co_handler_cannot_remove_anyone(client, case, other_teacher, teacher, coteacher):
    services.co_handler_add(case=case, user=coteacher, by=teacher)
    login(client, other_teacher)
    response = client.post(reverse("cases:co_handler_remove", args=[case.pk, coteacher.pk]))
    assert response.status_code == 403
    assert CoHandler.objects.filter(case=case, user=coteacher).exists()


@pytest.mark.parametrize("name", [HANDLER, CO_HANDLER])
def test_a_handler_who_leaves_the_staff_gets_404_at_once(client, case_cast, case, school_a, name):
    user = case_cast[name]
    login(client, user)
    url = reverse("cases:case", args=[case.pk])
    assert client.get(url).status_code == 200
    ids = list(StaffMembership.objects.filter(user=user, school=school_a).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert client.get(url).status_code == 404


def test_the_case_creator_loses_the_list_when_the_role_is_revoked(client, case, case_creator, school_a):
    login(client, case_creator)
    handlers = reverse("cases:handlers", args=[case.pk])
    school_list = reverse("cases:school_cases", args=[school_a.pk])
    assert client.get(handlers).status_code == 200
    assert client.get(school_list).status_code == 200
    account_services.case_creator_revoke(school=school_a, user=case_creator)
    assert client.get(handlers).status_code == 404
    assert client.get(school_list).status_code == 403  # still staff of the school


def test_the_case_creator_loses_everything_when_leaving_the_staff(client, case, case_creator, school_a):
    login(client, case_creator)
    ids = list(StaffMembership.objects.filter(user=case_creator).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert client.get(reverse("cases:handlers", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:school_cases", args=[school_a.pk])).status_code == 404


@pytest.mark.parametrize("by", [HANDLER, CREATOR])
def test_hand_over_over_http(client, case_cast, case, teacher, coteacher, by):
    login(client, case_cast[by])
    response = client.post(reverse("cases:hand_over", args=[case.pk]), {"handover-user": coteacher.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handler == coteacher
    client.force_login(coteacher)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    client.force_login(teacher)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_a_co_handler_handed_the_case_is_no_longer_a_co_handler(client, case, teacher, other_teacher):
    login(client, teacher)
    client.post(reverse("cases:hand_over", args=[case.pk]), {"handover-user": other_teacher.pk})
    case.refresh_from_db()
    assert case.handler == other_teacher
    assert not CoHandler.objects.filter(case=case, user=other_teacher).exists()
    client.force_login(other_teacher)
    assert client.get(reverse("cases:case_pdf", args=[case.pk])).status_code == 200  # now the handler


def test_a_co_handler_cannot_hand_over(client, case, other_teacher, coteacher):
    login(client, other_teacher)
    assert client.post(reverse("cases:hand_over", args=[case.pk]), {"handover-user": coteacher.pk}).status_code == 403
    case.refresh_from_db()
    assert case.handler.username == "bob"


# --- Every read logged, and never in the student's log --------------------------------------------------


def test_a_read_of_the_case_is_logged_and_shown_in_its_history(client, case, teacher, minor):
    login(client, teacher)
    url = reverse("cases:case", args=[case.pk])
    client.get(url)
    event = AccessEvent.objects.get(object_type="person_case", action="viewed")
    assert (event.user, event.object_id, event.student_id, event.detail) == (teacher, str(case.pk), minor.pk, url)
    page = client.get(url)
    assert event in page.context["history"]
    assert not events_for_student(minor.pk).filter(object_type__startswith="person_case").exists()


def test_the_pdf_download_is_logged(client, case, teacher):
    login(client, teacher)
    assert client.get(reverse("cases:case_pdf", args=[case.pk])).status_code == 200
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="downloaded",
                                      user=teacher).exists()


def test_an_attachment_download_is_logged_against_the_case(client, objects, other_teacher):
    login(client, other_teacher)
    assert client.get(reverse("cases:attachment", args=[objects["attachment"].pk])).status_code == 200
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(objects["case"].pk),
                                      action="downloaded", user=other_teacher).exists()


@pytest.mark.parametrize("name", ["principal", CREATOR])
def test_a_refusal_is_logged_but_not_in_the_students_log(client, case_cast, case, minor, name):
    login(client, case_cast[name])
    client.get(reverse("cases:case", args=[case.pk]))
    denied = AccessEvent.objects.get(action="denied", user=case_cast[name])
    assert (denied.object_type, denied.object_id, denied.student_id) == ("person_case", str(case.pk), minor.pk)
    assert denied not in events_for_student(minor.pk)


def test_the_refusal_shows_in_the_case_history_for_the_handler(client, case, principal, teacher):
    client.force_login(principal)
    client.get(reverse("cases:case", args=[case.pk]))
    client.force_login(teacher)
    history = client.get(reverse("cases:case", args=[case.pk])).context["history"]
    assert any(event.action == "denied" and event.user == principal for event in history)


def test_the_co_handler_does_not_see_the_access_history(client, case, other_teacher):
    login(client, other_teacher)
    assert client.get(reverse("cases:case", args=[case.pk])).context["history"] is None


# --- The student card -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, status", [("teacher", 302), ("case_creator", 302), ("coteacher", 403),
                                          ("other_teacher", 403), ("principal", 403), ("admin", 403),
                                          ("stranger", 404), ("guardian", 404), ("other_admin", 404),
                                          ("superuser", 404)])
def test_who_registers_the_student(client, case_cast, minor, name, status):
    login(client, case_cast[name])
    response = client.post(reverse("cases:student_register", args=[minor.pk]))
    assert response.status_code == status
    assert CaseStudent.objects.filter(student=minor).exists() == (status == 302)


def case_form(minor, handler, **changes):
    return {"case_type": case_type(minor.school).pk, "category": "care", "description": "Bekymring",
            "handler": handler.pk, **changes}


def test_the_case_creator_registers_and_creates(client, case_creator, minor, teacher, other_teacher):
    login(client, case_creator)
    assert client.post(reverse("cases:student_register", args=[minor.pk])).status_code == 302
    response = client.post(reverse("cases:case_create", args=[minor.pk]),
                           {**case_form(minor, teacher), "co_handlers": [other_teacher.pk]})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.card.student, case.handler, case.created_by) == (minor, teacher, case_creator)
    assert list(case.co_handlers.all()) == [other_teacher]
    # Not named: the creator is sent to the card, and cannot open the case.
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 403


@pytest.mark.parametrize("name, status", [("teacher", 403), ("coteacher", 403), ("principal", 403),
                                          ("admin", 403), ("stranger", 404), ("other_admin", 404),
                                          ("guardian", 404), ("superuser", 404)])
def test_only_the_case_creator_creates(client, case_cast, minor, teacher, name, status):
    services.card_register(student=minor, by=teacher)
    login(client, case_cast[name])
    assert client.get(reverse("cases:case_create", args=[minor.pk])).status_code == status
    assert client.post(reverse("cases:case_create", args=[minor.pk]),
                       case_form(minor, teacher)).status_code == status
    assert not Case.objects.exists()


def test_a_handler_from_outside_the_school_is_not_accepted(client, case_creator, minor, other_admin):
    services.card_register(student=minor, by=case_creator)
    login(client, case_creator)
    response = client.post(reverse("cases:case_create", args=[minor.pk]), case_form(minor, other_admin))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_case_type_of_another_school_is_not_accepted(client, case_creator, minor, teacher, school_b):
    services.card_register(student=minor, by=case_creator)
    login(client, case_creator)
    response = client.post(reverse("cases:case_create", args=[minor.pk]),
                           case_form(minor, teacher, case_type=case_type(school_b).pk))
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("name, status", [("teacher", 200), ("case_creator", 200), ("coteacher", 403),
                                          ("principal", 403), ("stranger", 404), ("guardian", 404),
                                          ("other_admin", 404), ("superuser", 404)])
def test_the_student_card(client, case_cast, minor, name, status):
    login(client, case_cast[name])
    assert client.get(reverse("cases:student", args=[minor.pk])).status_code == status


@pytest.mark.parametrize("name, status", [("case_creator", 200), ("teacher", 403), ("principal", 403),
                                          ("admin", 403), ("other_admin", 404), ("stranger", 404),
                                          ("superuser", 404)])
def test_the_schools_list_of_cases(client, case_cast, case, school_a, name, status):
    login(client, case_cast[name])
    assert client.get(reverse("cases:school_cases", args=[school_a.pk])).status_code == status


@pytest.mark.parametrize("by", [HANDLER, CREATOR])
def test_naming_a_co_handler_over_http_opens_the_case_to_them(client, case_cast, case, coteacher, by):
    client.force_login(coteacher)
    url = reverse("cases:case", args=[case.pk])
    assert client.get(url).status_code == 404
    login(client, case_cast[by])
    assert client.post(reverse("cases:handlers", args=[case.pk]), {"user": coteacher.pk}).status_code == 302
    client.force_login(coteacher)
    assert client.get(url).status_code == 200


def test_a_co_handler_cannot_name_another(client, case, other_teacher, coteacher):
    login(client, other_teacher)
    assert client.post(reverse("cases:handlers", args=[case.pk]), {"user": coteacher.pk}).status_code == 403
    assert not CoHandler.objects.filter(case=case, user=coteacher).exists()


# --- The lists show what the list filters allow, nothing more ----------------------------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_the_start_page_lists_only_the_cases_handled(client, case_cast, case, name):
    user = case_cast[name]
    login(client, user)
    response = client.get(reverse("cases:home"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["handled"]] == ([case.pk] if name in (HANDLER, CO_HANDLER) else [])
    schools = [entry["school"].pk for entry in response.context["schools"]]
    assert schools == ([case.school_id] if name == CREATOR else [])


def test_the_student_card_lists_only_the_users_own_cases(client, case, minor, teacher, other_teacher, coteacher,
                                                         case_creator):
    from .factories import make_case

    second = make_case(minor, coteacher, by=case_creator, description="Fravær")
    expected = [(teacher, [case]), (other_teacher, [case]), (coteacher, [second]), (case_creator, [second, case])]
    for user, cases in expected:
        login(client, user)
        response = client.get(reverse("cases:student", args=[minor.pk]))
        assert response.status_code == 200, user.username
        assert [row.pk for row in response.context["cases"]] == [c.pk for c in cases], user.username


def test_the_schools_list_shows_every_case_of_the_school_to_the_case_creator(client, case, minor, coteacher,
                                                                              case_creator, school_a):
    from .factories import make_case

    second = make_case(minor, coteacher, by=case_creator, description="Fravær")
    services.case_close(case=second, by=coteacher, note="Ferdig")
    login(client, case_creator)
    url = reverse("cases:school_cases", args=[school_a.pk])
    assert [row.pk for row in client.get(url, {"status": ""}).context["page"]] == [second.pk, case.pk]
    assert [row.pk for row in client.get(url, {"status": "closed"}).context["page"]] == [second.pk]
    assert [row.pk for row in client.get(url, {"status": "open"}).context["page"]] == [case.pk]


# --- The school's case types: its case creators ------------------------------------------------------------


@pytest.mark.parametrize("name, status", [("case_creator", 200), ("principal", 403), ("teacher", 403),
                                          ("admin", 403), ("other_admin", 404), ("stranger", 404),
                                          ("superuser", 404)])
def test_the_case_types_page(client, case_cast, school_a, name, status):
    login(client, case_cast[name])
    assert client.get(reverse("cases:case_types", args=[school_a.pk])).status_code == status
    response = client.post(reverse("cases:case_types", args=[school_a.pk]), {"name": "Mobbing"})
    assert response.status_code == (302 if status == 200 else status)
    from cases.models import CaseType

    assert CaseType.objects.filter(school=school_a, name="Mobbing").exists() == (status == 200)


@pytest.mark.parametrize("name, status", [("case_creator", 302), ("principal", 403), ("teacher", 403),
                                          ("other_admin", 404), ("superuser", 404)])
def test_retiring_a_case_type(client, case_cast, school_a, name, status):
    kind = case_type(school_a)
    login(client, case_cast[name])
    url = reverse("cases:case_type_toggle", args=[kind.pk, "retire"])
    assert client.post(url).status_code == status
    kind.refresh_from_db()
    assert kind.active == (status != 302)


def test_a_case_type_toggle_is_post_only(client, case_creator, school_a):
    login(client, case_creator)
    assert client.get(reverse("cases:case_type_toggle", args=[case_type(school_a).pk, "retire"])).status_code == 405


@pytest.mark.parametrize("name, status", [("case_creator", 200), ("teacher", 200), ("coteacher", 404),
                                          ("principal", 404), ("admin", 404), ("stranger", 404),
                                          ("superuser", 404)])
def test_finding_a_student_is_for_case_creators_and_contact_teachers(client, case_cast, minor, name, status):
    login(client, case_cast[name])
    response = client.get(reverse("cases:students"), {"q": "Emma"})
    assert response.status_code == status
    if status == 200:
        assert [s.pk for s in response.context["students"].page.object_list] == [minor.pk]
