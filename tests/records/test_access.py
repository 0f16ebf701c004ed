"""The records table of docs/architecture.md §4 at unit level: records/access.py for every member of the cast
(plus Otto, the records officer of school A's authority, Oskar, the officer of school B's, and a superuser) on
Emma's request, which Bob registered and Frida asked for; the list filters agreeing with the object checks;
and the changes that take access away (leaving the staff, the student turning 18)."""

import pytest
from django.http import Http404

from accounts import services as account_services
from accounts.models import StaffMembership
from audit.exceptions import AccessForbidden, AccessHidden
from audit.models import AccessEvent
from records import access
from records.models import AccessRequest, RecordsOfficer

from ..factories import StudentFactory, request_as, years_ago
from .factories import make_officer, release_directly

pytestmark = pytest.mark.django_db

EVERYONE = ["officer", "other_officer", "teacher", "coteacher", "other_teacher", "admin", "principal",
            "other_admin", "guardian", "minor_student", "adult_student", "other_guardian", "stranger", "superuser"]
SCHOOL_A_STAFF = ["teacher", "coteacher", "other_teacher", "admin", "principal"]


def outcome(helper, user, pk, method="get"):
    """200 if the helper lets the user in, else the status its refusal answers with."""
    try:
        helper(request_as(user, method), pk)
    except AccessForbidden:
        return 403
    except (AccessHidden, Http404):
        return 404
    return 200


def expected(allowed=(), forbidden=()):
    return {name: 200 if name in allowed else 403 if name in forbidden else 404 for name in EVERYONE}


# --- The request itself (collect, review, release): the officer only; staff of the student's school 403 ------

REQUEST = expected(allowed=["officer"], forbidden=SCHOOL_A_STAFF)


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_officer_of_the_students_authority_opens_a_request(records_cast, a_request, name):
    assert outcome(access.get_request_for_officer, records_cast[name], a_request.pk) == REQUEST[name]


@pytest.mark.parametrize("name", EVERYONE)
def test_a_request_for_the_other_authority_only_its_officer(records_cast, b_request, name):
    # Olga (IOP admin at school B) registered it: she gets 403, Otto (school A's officer) 404.
    wanted = expected(allowed=["other_officer"], forbidden=["other_admin"])
    assert outcome(access.get_request_for_officer, records_cast[name], b_request.pk) == wanted[name]


ITEM = expected(allowed=["officer"], forbidden=SCHOOL_A_STAFF)


@pytest.mark.parametrize("name", EVERYONE)
def test_an_item_of_the_checklist_for_every_role(records_cast, a_request, name):
    """get_item_for_officer: all staff of the student's school 403, like get_request_for_officer."""
    from .factories import add_item

    item = add_item(a_request, key=f"access_log:{a_request.student_id}", kind="access_log", title="Logg")
    assert outcome(access.get_item_for_officer, records_cast[name], item.pk) == ITEM[name]


def test_the_officers_opening_is_logged(officer, a_request):
    access.get_request_for_officer(request_as(officer), a_request.pk)
    assert AccessEvent.objects.filter(user=officer, action="viewed", object_type="access_request",
                                      object_id=str(a_request.pk), student=a_request.student).exists()


def test_a_missing_request_is_404_for_the_officer(officer, a_request):
    assert outcome(access.get_request_for_officer, officer, a_request.pk + 1000) == 404


def test_an_inactive_officer_has_nothing(officer, a_request):
    officer.is_active = False
    officer.save()
    assert outcome(access.get_request_for_officer, officer, a_request.pk) == 404
    assert not access.requests_visible_to(officer).exists()
    assert not access.is_records_officer(officer, a_request.authority)


def test_the_grant_taken_back_ends_access_at_once(officer, a_request):
    assert outcome(access.get_request_for_officer, officer, a_request.pk) == 200
    RecordsOfficer.objects.filter(user=officer).delete()
    assert outcome(access.get_request_for_officer, officer, a_request.pk) == 404
    assert outcome(access.get_receipt_for, officer, a_request.pk) == 404


# --- The receipt: the registrar (while on the staff) and the officer; other staff 403 ------------------------

RECEIPT = expected(allowed=["officer", "teacher"], forbidden=["coteacher", "other_teacher", "admin", "principal"])


@pytest.mark.parametrize("name", EVERYONE)
def test_the_receipt_for_every_role(records_cast, a_request, name):
    assert outcome(access.get_receipt_for, records_cast[name], a_request.pk) == RECEIPT[name]


def test_a_teacher_who_leaves_the_staff_loses_the_receipt(teacher, a_request, school_a):
    assert a_request in access.requests_registered_by(teacher)
    ids = list(StaffMembership.objects.filter(user=teacher, school=school_a).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert outcome(access.get_receipt_for, teacher, a_request.pk) == 404
    assert outcome(access.get_request_for_officer, teacher, a_request.pk) == 404
    assert a_request not in access.requests_registered_by(teacher)
    assert not access.may_register_for(teacher, a_request.student)


# --- Registering: staff of the student's school, and the officer of its authority ---------------------------------------------------------------

REGISTER = {name: name in SCHOOL_A_STAFF + ["officer"] for name in EVERYONE}


@pytest.mark.parametrize("name", EVERYONE)
def test_who_may_register_a_request(records_cast, minor, name):
    user = records_cast[name]
    assert access.may_register_for(user, minor) == REGISTER[name]
    assert outcome(access.get_student_for_registration, user, minor.pk) == (200 if REGISTER[name] else 404)
    assert (minor in access.students_for_registration(user)) == REGISTER[name]


def test_staff_of_school_b_register_for_school_b_only(other_admin, b_student, minor):
    assert access.may_register_for(other_admin, b_student)
    assert not access.may_register_for(other_admin, minor)
    assert list(access.students_for_registration(other_admin)) == [b_student]


def test_the_records_officer_may_register_a_request_too(officer, minor):
    """docs/architecture.md §4 (records table, «Register an access request»: records officer yes) and issue 16
    («Registers requests, reviews, releases»)."""
    assert access.may_register_for(officer, minor)


# --- The released package: the officer and the requester in the app while the relation lasts ----------------

@pytest.mark.parametrize("name", EVERYONE)
def test_no_package_before_release(records_cast, a_request, name):
    wanted = expected(forbidden=["officer"])
    assert outcome(access.get_package_for, records_cast[name], a_request.pk) == wanted[name]


@pytest.mark.parametrize("name", EVERYONE)
def test_the_released_package_for_every_role(records_cast, a_request, officer, name):
    release_directly(a_request, officer)
    wanted = expected(allowed=["officer", "guardian"])
    assert outcome(access.get_package_for, records_cast[name], a_request.pk) == wanted[name]


def test_the_download_is_logged(a_request, officer, guardian):
    release_directly(a_request, officer)
    access.get_package_for(request_as(guardian), a_request.pk)
    assert AccessEvent.objects.filter(user=guardian, action="downloaded", object_type="access_request",
                                      object_id=str(a_request.pk)).exists()


def test_the_guardian_loses_the_package_when_the_student_turns_18(a_request, officer, guardian, minor):
    release_directly(a_request, officer)
    assert outcome(access.get_package_for, guardian, a_request.pk) == 200
    minor.birth_date = years_ago(18, days=1)
    minor.save()
    assert outcome(access.get_package_for, guardian, a_request.pk) == 404
    assert a_request not in access.packages_for_requester(guardian)
    assert outcome(access.get_package_for, officer, a_request.pk) == 200


def test_the_adult_student_gets_his_own_package(make_request, adult, teacher, adult_student, officer, guardian,
                                                minor_student):
    own = make_request(adult, teacher, requester_kind=AccessRequest.Requester.STUDENT, requester_name="Erik",
                       requester_user=adult_student)
    assert outcome(access.get_package_for, adult_student, own.pk) == 404  # not answered yet
    release_directly(own, officer)
    assert outcome(access.get_package_for, adult_student, own.pk) == 200
    assert list(access.packages_for_requester(adult_student)) == [own]
    for user in (guardian, minor_student, teacher):
        assert outcome(access.get_package_for, user, own.pk) == 404


def test_a_minor_student_who_asks_gets_the_answer_through_the_guardian(make_request, minor, teacher,
                                                                       minor_student, officer):
    """docs/architecture.md §4, records table: the requester in the app is «the student 18+, a guardian of a
    minor»; records.forms.RequestForm sets requester_user to the student's own login for a minor too."""
    own = make_request(minor, teacher, requester_kind=AccessRequest.Requester.STUDENT, requester_user=minor_student)
    release_directly(own, officer)
    assert outcome(access.get_package_for, minor_student, own.pk) == 404


def test_a_requester_user_who_is_not_the_family_gets_nothing(make_request, minor, teacher, other_guardian,
                                                             officer):
    """A requester user with no relation to the student (a mistaken choice at registration) reads nothing."""
    wrong = make_request(minor, teacher, requester_user=other_guardian)
    release_directly(wrong, officer)
    assert outcome(access.get_package_for, other_guardian, wrong.pk) == 404
    assert not access.packages_for_requester(other_guardian).exists()


# --- The dossier: the officer; an adult student their own ---------------------------------------------------

DOSSIER_MINOR = expected(allowed=["officer"], forbidden=SCHOOL_A_STAFF + ["minor_student"])
DOSSIER_ADULT = expected(allowed=["officer", "adult_student"], forbidden=SCHOOL_A_STAFF)


@pytest.mark.parametrize("name", EVERYONE)
def test_the_dossier_of_a_minor(records_cast, minor, name):
    assert outcome(access.get_student_for_dossier, records_cast[name], minor.pk) == DOSSIER_MINOR[name]


@pytest.mark.parametrize("name", EVERYONE)
def test_the_dossier_of_an_adult(records_cast, adult, name):
    assert outcome(access.get_student_for_dossier, records_cast[name], adult.pk) == DOSSIER_ADULT[name]


@pytest.mark.parametrize("name", EVERYONE)
def test_the_dossier_of_a_student_at_the_other_authority(records_cast, b_student, name):
    wanted = expected(allowed=["other_officer"], forbidden=["other_admin"])
    assert outcome(access.get_student_for_dossier, records_cast[name], b_student.pk) == wanted[name]


def test_the_dossier_download_is_logged(officer, minor):
    access.get_student_for_dossier(request_as(officer), minor.pk)
    assert AccessEvent.objects.filter(user=officer, action="downloaded", object_type="dossier",
                                      object_id=str(minor.pk), student=minor).exists()


def test_no_officer_for_a_school_whose_owner_has_no_authority(records_cast, officer):
    elsewhere = StudentFactory(school__owner_name="Agder fylkeskommune")
    assert access.authority_of(elsewhere) is None
    for name, user in records_cast.items():
        assert outcome(access.get_student_for_dossier, user, elsewhere.pk) == 404, name


# --- The lists agree with the object checks -------------------------------------------------------------------

def test_the_lists_agree_with_the_object_checks_for_every_role(records_cast, a_request, b_request, make_request,
                                                               adult, teacher, adult_student, officer):
    released = make_request(adult, teacher, requester_kind=AccessRequest.Requester.STUDENT,
                            requester_user=adult_student)
    release_directly(released, officer)
    for one in (a_request, b_request, released):
        for name, user in records_cast.items():
            opens = outcome(access.get_request_for_officer, user, one.pk) == 200
            assert (one in access.requests_visible_to(user)) == opens, (name, one.pk)
            receipt = outcome(access.get_receipt_for, user, one.pk) == 200
            listed = one in access.requests_registered_by(user) or one in access.requests_visible_to(user)
            assert listed == receipt, (name, one.pk)
            package = outcome(access.get_package_for, user, one.pk) == 200
            offered = (one in access.packages_for_requester(user)
                       or (one.status == AccessRequest.Status.RELEASED and one in access.requests_visible_to(user)))
            assert offered == package, (name, one.pk)


def test_nobody_sees_another_authoritys_requests(records_cast, a_request, b_request, officer, other_officer):
    assert list(access.requests_visible_to(officer)) == [a_request]
    assert list(access.requests_visible_to(other_officer)) == [b_request]
    for name, user in records_cast.items():
        if name not in ("officer", "other_officer"):
            assert not access.requests_visible_to(user).exists(), name


def test_an_officer_of_both_authorities_sees_both(a_request, b_request, authority_a, authority_b):
    both = make_officer("bente", authority_a)
    RecordsOfficer.objects.create(authority=authority_b, user=both)
    assert set(access.requests_visible_to(both)) == {a_request, b_request}
    assert set(access.officer_authorities(both)) == {authority_a, authority_b}


def test_the_request_belongs_to_the_authority_that_owns_the_school(a_request, b_request, authority_a, authority_b,
                                                                   school_a, school_b):
    assert a_request.authority == authority_a and b_request.authority == authority_b
    assert list(access.schools_of(authority_a)) == [school_a]
    assert list(access.schools_of(authority_b)) == [school_b]


def test_anonymous_users_have_nothing(a_request):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not access.requests_visible_to(anonymous).exists()
    assert not access.requests_registered_by(anonymous).exists()
    assert not access.packages_for_requester(anonymous).exists()
    assert not access.students_for_registration(anonymous).exists()
    assert not access.may_register_for(anonymous, a_request.student)
    for helper in (access.get_request_for_officer, access.get_receipt_for, access.get_package_for):
        assert outcome(helper, anonymous, a_request.pk) == 404


def test_a_records_officer_owes_the_second_factor(officer):
    """A records officer reads every record of the authority's students (a role on student data)."""
    from accounts.second_factor import needs_second_factor

    assert needs_second_factor(officer)
