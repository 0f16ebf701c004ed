"""The records table of docs/architecture.md §4 over HTTP (records/urls.py): the request's pages for every member
of the cast, registering, the released package, the dossier; the changes that take access away; the logging of
an officer's reads (a person case's record against the case)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import StaffMembership
from accounts.services import case_creator_grant
from audit.models import AccessEvent
from cases.selectors import access_history
from records import services
from records.models import AccessRequest, ReleasePackage, RequestItem

from ..admin.verified import force_login_verified
from ..cases.factories import make_case
from ..conftest import make_staff
from ..factories import DocumentFactory, request_as, years_ago
from .factories import make_request as register, release_directly

pytestmark = pytest.mark.django_db

STAFF = ["admin", "principal", "coteacher", "other_teacher"]  # school A's staff who did not register it
OUTSIDERS = ["other_officer", "other_admin", "guardian", "minor_student", "adult_student", "other_guardian",
             "stranger", "superuser"]
EVERYONE = ["officer", "teacher", *STAFF, *OUTSIDERS]


def login(client, user):
    if user.is_superuser:
        force_login_verified(client, user)  # a superuser's login owes the second factor
    else:
        client.force_login(user)


@pytest.fixture
def case_creator(school_a):
    user = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=user)
    return user


@pytest.fixture
def case(minor, teacher, case_creator):
    return make_case(minor, teacher, by=case_creator, description="Bekymring QQW777 for heimeforhold")


@pytest.fixture
def collected(a_request, officer, minor, case):
    """Emma's request with her records collected (a document, a person case, the access log)."""
    DocumentFactory(student=minor, title="Sakkyndig vurdering")
    services.request_collect(access_request=a_request, by=officer, request=request_as(officer, "post"))
    return a_request


PAGES = {
    "request": lambda r: reverse("records:request", args=[r.pk]),
    "item": lambda r: reverse("records:item", args=[r.items.first().pk]),
    "release": lambda r: reverse("records:release", args=[r.pk]),
    "receipt": lambda r: reverse("records:receipt", args=[r.pk]),
}

# get_request_for_officer and get_item_for_officer: 403 to all staff of the school;
# get_receipt_for: the registrar and the officer, 403 to other staff.
EXPECTED = {
    "officer": {"request": 200, "item": 200, "release": 200, "receipt": 200},
    "teacher": {"request": 403, "item": 403, "release": 403, "receipt": 200},
    **{name: {"request": 403, "item": 403, "release": 403, "receipt": 403} for name in STAFF},
    **{name: dict.fromkeys(PAGES, 404) for name in OUTSIDERS},
}


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_a_request_for_every_role(client, records_cast, collected, name, page):
    login(client, records_cast[name])
    response = client.get(PAGES[page](collected))
    assert response.status_code == EXPECTED[name][page], (name, page)


@pytest.mark.parametrize("page", PAGES)
def test_the_other_authoritys_request_is_404_to_the_officer(client, officer, b_request, page):
    services.request_collect(access_request=b_request, by=officer, request=request_as(officer, "post"))
    login(client, officer)
    assert client.get(PAGES[page](b_request)).status_code == 404


def test_the_pages_send_anonymous_users_to_login(client, collected):
    for page, url in PAGES.items():
        response = client.get(url(collected))
        assert response.status_code == 302 and reverse("login") in response.url, page


def test_a_refusal_is_logged(client, collected, guardian, teacher):
    login(client, guardian)
    client.get(reverse("records:request", args=[collected.pk]))
    login(client, teacher)
    client.get(reverse("records:request", args=[collected.pk]))
    denied = AccessEvent.objects.filter(action="denied", object_type="access_request", object_id=str(collected.pk))
    assert set(denied.values_list("user_id", flat=True)) == {guardian.pk, teacher.pk}


# --- Collect, review, release: the officer only ----------------------------------------------------------------

def test_the_officer_collects(client, officer, a_request, minor):
    DocumentFactory(student=minor)
    login(client, officer)
    assert client.get(reverse("records:collect", args=[a_request.pk])).status_code == 405
    response = client.post(reverse("records:collect", args=[a_request.pk]))
    assert response.status_code == 302
    a_request.refresh_from_db()
    assert a_request.items.exists() and a_request.status == AccessRequest.Status.IN_REVIEW


@pytest.mark.parametrize("name", ["teacher", *STAFF, *OUTSIDERS])
def test_who_may_not_collect_collects_nothing(client, records_cast, a_request, minor, name):
    DocumentFactory(student=minor)
    login(client, records_cast[name])
    response = client.post(reverse("records:collect", args=[a_request.pk]))
    assert response.status_code == (403 if name in ["teacher", *STAFF] else 404)
    a_request.refresh_from_db()
    assert not a_request.items.exists() and a_request.status == AccessRequest.Status.REGISTERED


def test_the_officer_reviews_an_item(client, officer, collected):
    item = collected.items.filter(whole_file=True).first()
    login(client, officer)
    response = client.post(reverse("records:item", args=[item.pk]),
                           {"decision": "withhold", "legal_basis": "fvl13", "reason": "Taushetsplikt"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.legal_basis, item.reviewed_by) == ("withhold", "fvl13", officer)


def test_withholding_without_a_basis_over_http_changes_nothing(client, officer, collected):
    item = collected.items.filter(whole_file=True).first()
    login(client, officer)
    response = client.post(reverse("records:item", args=[item.pk]), {"decision": "withhold", "legal_basis": ""})
    assert response.status_code in (302, 400)  # a refusal is shown, never a 500
    item.refresh_from_db()
    assert item.decision == RequestItem.Decision.PENDING


@pytest.mark.parametrize("name", ["teacher", *STAFF, *OUTSIDERS])
def test_who_may_not_review_changes_nothing(client, records_cast, collected, name):
    item = collected.items.first()
    login(client, records_cast[name])
    response = client.post(reverse("records:item", args=[item.pk]), {"decision": "release", "legal_basis": ""})
    assert response.status_code == (403 if name in ["teacher", *STAFF] else 404)
    item.refresh_from_db()
    assert item.decision == RequestItem.Decision.PENDING


def release_everything(access_request, officer):
    for item in access_request.items.all():
        services.item_review(item=item, by=officer, decision="release", legal_basis="", reason="", strikes=[],
                             request=request_as(officer, "post"))


@pytest.mark.parametrize("name", ["teacher", *STAFF, *OUTSIDERS])
def test_only_the_officer_releases(client, records_cast, collected, officer, name):
    release_everything(collected, officer)
    login(client, records_cast[name])
    response = client.post(reverse("records:release", args=[collected.pk]))
    assert response.status_code == (403 if name in ["teacher", *STAFF] else 404)
    collected.refresh_from_db()
    assert collected.status == AccessRequest.Status.IN_REVIEW and not ReleasePackage.objects.exists()


def test_the_officer_releases_and_the_guardian_downloads(client, collected, officer, guardian):
    release_everything(collected, officer)
    login(client, officer)
    assert client.post(reverse("records:release", args=[collected.pk])).status_code == 302
    collected.refresh_from_db()
    assert collected.status == AccessRequest.Status.RELEASED and collected.package
    login(client, guardian)
    response = client.get(reverse("records:package_pdf", args=[collected.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(reverse("records:package_json", args=[collected.pk]))
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert len(data["items"]) == collected.items.count()
    assert AccessEvent.objects.filter(user=guardian, action="downloaded", object_type="access_request",
                                      object_id=str(collected.pk)).count() == 2


def test_a_released_request_is_not_reviewed_again_over_http(client, collected, officer):
    release_everything(collected, officer)
    services.request_release(access_request=collected, by=officer, request=request_as(officer, "post"))
    item = collected.items.first()
    login(client, officer)
    response = client.post(reverse("records:item", args=[item.pk]), {"decision": "withhold", "legal_basis": "fvl13"})
    assert response.status_code in (302, 400)
    item.refresh_from_db()
    assert item.decision == RequestItem.Decision.RELEASE


# --- Opening a record is logged like any read of it --------------------------------------------------------------

def test_the_officers_opening_of_a_person_case_is_logged_against_the_case(client, collected, officer, case):
    item = collected.items.get(key=f"person_case:{case.pk}")
    login(client, officer)
    assert client.get(reverse("records:item", args=[item.pk])).status_code == 200
    event = AccessEvent.objects.filter(user=officer, object_type="person_case", object_id=str(case.pk)).get()
    assert event.action == "viewed" and event.student_id == collected.student_id
    assert event in list(access_history(case))


def test_the_officers_opening_of_the_request_is_logged(client, collected, officer):
    login(client, officer)
    client.get(reverse("records:request", args=[collected.pk]))
    assert AccessEvent.objects.filter(user=officer, action="viewed", object_type="access_request",
                                      object_id=str(collected.pk)).exists()


# --- The registrar: the receipt, until they leave the staff ---------------------------------------------------

def test_a_teacher_who_leaves_the_staff_loses_the_receipt(client, a_request, teacher, school_a):
    login(client, teacher)
    url = reverse("records:receipt", args=[a_request.pk])
    assert client.get(url).status_code == 200
    ids = list(StaffMembership.objects.filter(user=teacher, school=school_a).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert client.get(url).status_code == 404


# --- Registering -----------------------------------------------------------------------------------------------

REGISTERS = ["teacher", *STAFF]


@pytest.mark.parametrize("name", EVERYONE)
def test_who_may_open_the_register_page(client, records_cast, minor, name):
    login(client, records_cast[name])
    response = client.get(reverse("records:register", args=[minor.pk]))
    assert response.status_code == (200 if name in REGISTERS + ["officer"] else 404)


@pytest.mark.parametrize("name", EVERYONE)
def test_who_may_open_the_student_search(client, records_cast, minor, name):
    login(client, records_cast[name])
    response = client.get(reverse("records:register_student"))
    assert response.status_code == (200 if name in REGISTERS + ["officer"] else 404)


def form_data(guardian, **changes):
    return {"requester_kind": "guardian", "requester_name": "", "guardian": guardian.pk, "relation": "",
            "asked_for": "Alt dere har om Emma.", "received_on": timezone.localdate().isoformat(), **changes}


@pytest.mark.parametrize("name", REGISTERS)
def test_staff_register_a_request(client, records_cast, minor, guardian, authority_a, name):
    user = records_cast[name]
    login(client, user)
    response = client.post(reverse("records:register", args=[minor.pk]), form_data(guardian))
    created = AccessRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("records:receipt", args=[created.pk])
    assert (created.student, created.registered_by, created.requester_user, created.authority) == (
        minor, user, guardian, authority_a)
    assert created.deadline_on == timezone.localdate() + timezone.timedelta(days=30)
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("records:request", args=[created.pk])).status_code == 403


@pytest.mark.parametrize("name", OUTSIDERS)
def test_who_may_not_register_registers_nothing(client, records_cast, minor, guardian, name):
    login(client, records_cast[name])
    response = client.post(reverse("records:register", args=[minor.pk]), form_data(guardian))
    assert response.status_code == 404
    assert not AccessRequest.objects.exists()


def test_the_officer_registers_a_request_and_opens_it(client, officer, minor, guardian):
    login(client, officer)
    response = client.post(reverse("records:register", args=[minor.pk]), form_data(guardian))
    created = AccessRequest.objects.get()
    assert response.status_code == 302 and created.registered_by == officer
    assert client.get(reverse("records:request", args=[created.pk])).status_code == 200


def test_the_other_authoritys_officer_does_not_register(client, other_officer, minor, guardian):
    login(client, other_officer)
    assert client.post(reverse("records:register", args=[minor.pk]), form_data(guardian)).status_code == 404
    assert not AccessRequest.objects.exists()


def test_registering_for_a_school_without_authority_stores_nothing(client, teacher, minor, guardian, school_a):
    login(client, teacher)  # no authority fixture: school A's owner is not set up
    response = client.post(reverse("records:register", args=[minor.pk]), form_data(guardian))
    assert response.status_code in (302, 400)
    assert not AccessRequest.objects.exists()


# --- The released package -----------------------------------------------------------------------------------------

PACKAGE_PAGES = ["records:package_pdf", "records:package_json"]


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("page", PACKAGE_PAGES)
def test_no_package_before_release(client, records_cast, a_request, name, page):
    login(client, records_cast[name])
    assert client.get(reverse(page, args=[a_request.pk])).status_code == (403 if name == "officer" else 404)


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("page", PACKAGE_PAGES)
def test_the_released_package_for_every_role(client, records_cast, a_request, officer, name, page):
    release_directly(a_request, officer)
    login(client, records_cast[name])
    response = client.get(reverse(page, args=[a_request.pk]))
    assert response.status_code == (200 if name in ("officer", "guardian") else 404), name


@pytest.mark.parametrize("page", PACKAGE_PAGES)
def test_the_guardian_loses_the_package_when_the_student_turns_18(client, a_request, officer, guardian, minor,
                                                                   page):
    release_directly(a_request, officer)
    login(client, guardian)
    url = reverse(page, args=[a_request.pk])
    assert client.get(url).status_code == 200
    minor.birth_date = years_ago(18, days=1)
    minor.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", PACKAGE_PAGES)
def test_the_adult_student_gets_his_own_package(client, adult, teacher, adult_student, officer, guardian,
                                                authority_a, authority_b, page):
    own = register(adult, teacher, requester_kind="student", requester_name="Erik", requester_user=adult_student)
    release_directly(own, officer)
    login(client, adult_student)
    assert client.get(reverse(page, args=[own.pk])).status_code == 200
    login(client, guardian)
    assert client.get(reverse(page, args=[own.pk])).status_code == 404


# --- The dossier ----------------------------------------------------------------------------------------------

DOSSIER_MINOR = {"officer": 200, **dict.fromkeys(["teacher", *STAFF, "minor_student"], 403)}
DOSSIER_ADULT = {"officer": 200, "adult_student": 200, **dict.fromkeys(["teacher", *STAFF], 403)}


@pytest.mark.parametrize("name", EVERYONE)
def test_the_dossier_page_of_a_minor(client, records_cast, minor, name):
    login(client, records_cast[name])
    response = client.get(reverse("records:dossier", args=[minor.pk]))
    assert response.status_code == DOSSIER_MINOR.get(name, 404)


@pytest.mark.parametrize("name", EVERYONE)
def test_the_dossier_page_of_an_adult(client, records_cast, adult, name):
    login(client, records_cast[name])
    response = client.get(reverse("records:dossier", args=[adult.pk]))
    assert response.status_code == DOSSIER_ADULT.get(name, 404)


@pytest.mark.parametrize("name", ["officer", "minor_student", "guardian", "teacher", "admin", "other_officer",
                                  "stranger"])
@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_the_dossier_download_of_a_minor(client, records_cast, minor, name, fmt):
    login(client, records_cast[name])
    response = client.get(reverse("records:dossier_download", args=[minor.pk, fmt]))
    assert response.status_code == DOSSIER_MINOR.get(name, 404)
    if response.status_code == 200:
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF") if fmt == "pdf" else json.loads(content)["items"]
        assert AccessEvent.objects.filter(user=records_cast[name], action="downloaded", object_type="dossier",
                                          object_id=str(minor.pk)).exists()


@pytest.mark.parametrize("name", ["officer", "adult_student", "teacher", "admin", "guardian"])
@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_the_dossier_download_of_an_adult(client, records_cast, adult, name, fmt):
    login(client, records_cast[name])
    response = client.get(reverse("records:dossier_download", args=[adult.pk, fmt]))
    assert response.status_code == DOSSIER_ADULT.get(name, 404)


def test_an_unknown_dossier_format_is_404(client, officer, minor):
    login(client, officer)
    assert client.get(reverse("records:dossier_download", args=[minor.pk, "xml"])).status_code == 404


def test_the_adult_students_own_dossier_does_not_open_a_person_case(client, adult, adult_student, teacher,
                                                                     case_creator, officer):
    """docs/architecture.md §4, person cases: the student gets 404 on a case's content. The dossier the adult
    student downloads for their own data is not reviewed, so it must not carry what the student may not see."""
    make_case(adult, teacher, by=case_creator, description="Bekymring ZZT555 om Erik")
    login(client, officer)
    officers = b"".join(client.get(reverse("records:dossier_download", args=[adult.pk, "json"])).streaming_content)
    assert b"ZZT555" in officers  # the officer's own use: everything
    login(client, adult_student)
    response = client.get(reverse("records:dossier_download", args=[adult.pk, "json"]))
    assert response.status_code == 200
    assert b"ZZT555" not in b"".join(response.streaming_content)
