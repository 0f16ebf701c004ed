"""The person-case table of docs/architecture.md §4 at unit level: cases/access.py for every member of the cast
on one case (Bob handles it, Dora is co-handler, Kari the case creator created it), and the list filters
agreeing with the object check."""

import pytest

from accounts import services as account_services
from accounts.models import StaffMembership
from audit.exceptions import AccessForbidden, AccessHidden
from cases import access, services
from cases.access import Need

from ..conftest import make_staff
from ..factories import request_as

pytestmark = pytest.mark.django_db

# name -> (read, handlers, handle, listed)
RIGHTS = {
    "teacher": (True, True, True, True),  # the handler
    "other_teacher": (True, False, False, True),  # the co-handler
    "case_creator": (False, True, False, True),  # created it, not named
    "principal": (False, False, False, False),
    "admin": (False, False, False, False),
    "coteacher": (False, False, False, False),  # teaches Emma
    "other_admin": (False, False, False, False),
    "guardian": (False, False, False, False),
    "minor_student": (False, False, False, False),
    "adult_student": (False, False, False, False),
    "other_guardian": (False, False, False, False),
    "stranger": (False, False, False, False),
    "superuser": (False, False, False, False),
}

# name -> what get_case_for answers for READ, HANDLERS, HANDLE: None (allowed), 403 or 404
OUTCOMES = {
    "teacher": (None, None, None),
    "other_teacher": (None, 403, 403),
    "case_creator": (403, None, 403),
    **{name: (404, 404, 404) for name in RIGHTS if name not in ("teacher", "other_teacher", "case_creator")},
}


@pytest.mark.parametrize("name", RIGHTS)
def test_rights_of_every_role(case_cast, case, name):
    user = case_cast[name]
    read, handlers, handle, listed = RIGHTS[name]
    rights = access.rights_for(user, case)
    assert (rights.read, rights.handlers, rights.handle) == (read, handlers, handle)
    assert (case in access.cases_handled_by(user)) == read
    assert (case in access.cases_listed_for(user)) == listed


@pytest.mark.parametrize("name", RIGHTS)
def test_get_case_for_every_role_and_need(case_cast, case, name):
    user = case_cast[name]
    for need, expected in zip([Need.READ, Need.HANDLERS, Need.HANDLE], OUTCOMES[name], strict=True):
        request = request_as(user)
        if expected is None:
            found, _rights = access.get_case_for(request, case.pk, need)
            assert found == case
        else:
            with pytest.raises(AccessForbidden if expected == 403 else AccessHidden):
                access.get_case_for(request, case.pk, need)


def test_the_lists_agree_with_the_object_check_for_every_role(case_cast, case, minor, adult, teacher, case_creator):
    # A second case (about Erik, handled by Charlie alone) so that the lists have something to leave out.
    other = services.case_create(student=services.card_register(student=adult, by=case_creator).student,
                                 case_type=services.case_types_of(adult.school)[1], category="health",
                                 description="Helse", handler=case_cast["coteacher"], by=case_creator)
    for one in (case, other):
        for name, user in case_cast.items():
            rights = access.rights_for(user, one)
            assert (one in access.cases_handled_by(user)) == rights.read, (name, one.pk)
            listed = rights.read or rights.creator
            assert (one in access.cases_listed_for(user)) == listed, (name, one.pk)


def test_anonymous_and_inactive_users_have_nothing(case, teacher):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert access.rights_for(anonymous, case) == access.Rights()
    assert not access.cases_listed_for(anonymous).exists()
    teacher.is_active = False
    teacher.save()
    assert not access.rights_for(teacher, case).read
    assert not access.cases_handled_by(teacher).exists()


def test_a_removed_co_handler_loses_the_case_at_once(case, other_teacher):
    assert case in access.cases_handled_by(other_teacher)
    services.co_handler_remove(case=case, user=other_teacher)
    assert not access.rights_for(other_teacher, case).read
    assert case not in access.cases_handled_by(other_teacher)
    assert case not in access.cases_listed_for(other_teacher)
    with pytest.raises(AccessHidden):
        access.get_case_for(request_as(other_teacher), case.pk, Need.READ)


@pytest.mark.parametrize("name", ["teacher", "other_teacher"])
def test_a_handler_who_leaves_the_staff_loses_the_case_at_once(case_cast, case, school_a, name):
    user = case_cast[name]
    ids = list(StaffMembership.objects.filter(user=user, school=school_a).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert not access.rights_for(user, case).read
    assert case not in access.cases_handled_by(user)
    assert case not in access.cases_listed_for(user)
    with pytest.raises(AccessHidden):
        access.get_case_for(request_as(user), case.pk, Need.READ)


def test_staff_of_another_school_do_not_keep_a_case_of_their_old_school(case, teacher, school_a, school_b):
    StaffMembership.objects.filter(user=teacher, school=school_a).delete()
    StaffMembership.objects.create(user=teacher, school=school_b)
    assert not access.rights_for(teacher, case).read
    assert case not in access.cases_handled_by(teacher)


def test_the_case_creator_grant_stops_counting_when_the_staff_membership_ends(case, case_creator, school_a):
    assert case in access.cases_listed_for(case_creator)
    ids = list(StaffMembership.objects.filter(user=case_creator).values_list("pk", flat=True))
    account_services.staff_memberships_end(membership_ids=ids)
    assert not access.rights_for(case_creator, case).handlers
    assert case not in access.cases_listed_for(case_creator)
    with pytest.raises(AccessHidden):
        access.get_case_for(request_as(case_creator), case.pk, Need.HANDLERS)


def test_revoking_the_case_creator_role_ends_the_list(case, case_creator, school_a):
    account_services.case_creator_revoke(school=school_a, user=case_creator)
    assert case not in access.cases_listed_for(case_creator)
    assert not access.rights_for(case_creator, case).creator
    with pytest.raises(AccessHidden):  # staff, but no longer an insider of the case
        access.get_case_for(request_as(case_creator), case.pk, Need.HANDLERS)


def test_a_case_creator_of_another_school_sees_nothing(case, school_b):
    creator_b = make_staff("berit", school_b)
    account_services.case_creator_grant(school=school_b, user=creator_b)
    assert case not in access.cases_listed_for(creator_b)
    with pytest.raises(AccessHidden):
        access.get_case_for(request_as(creator_b), case.pk, Need.HANDLERS)


def test_a_case_creator_who_is_named_reads_the_case(case, case_creator, teacher):
    services.co_handler_add(case=case, user=case_creator, by=teacher)
    assert access.rights_for(case_creator, case).read
    assert case in access.cases_handled_by(case_creator)


def test_hand_over_moves_the_access(case, teacher, other_teacher, coteacher):
    services.case_hand_over(case=case, to=coteacher)
    case.refresh_from_db()
    assert access.rights_for(coteacher, case).handle
    assert case in access.cases_handled_by(coteacher)
    assert not access.rights_for(teacher, case).read  # the old handler was not a co-handler
    assert case not in access.cases_handled_by(teacher)
    with pytest.raises(AccessHidden):
        access.get_case_for(request_as(teacher), case.pk, Need.READ)


def test_an_old_handler_who_is_co_handler_keeps_reading(case, teacher, other_teacher, case_creator):
    services.case_hand_over(case=case, to=other_teacher)
    services.co_handler_add(case=case, user=teacher, by=other_teacher)
    case.refresh_from_db()
    rights = access.rights_for(teacher, case)
    assert rights.read and not rights.handle


def test_a_co_handler_who_becomes_handler_is_no_longer_a_co_handler(case, other_teacher):
    services.case_hand_over(case=case, to=other_teacher)
    case.refresh_from_db()
    assert case.handler == other_teacher
    assert not case.co_handler_rows.filter(user=other_teacher).exists()
    assert access.rights_for(other_teacher, case).handle
    assert list(access.cases_handled_by(other_teacher)) == [case]  # once, not twice


def test_reads_through_the_access_helper_are_logged_against_the_case(case, teacher, minor):
    from audit.models import AccessEvent

    access.get_case_for(request_as(teacher, path="/personsaker/sak/1/"), case.pk, Need.READ)
    event = AccessEvent.objects.get(object_type="person_case", action="viewed")
    assert (event.user, event.object_id, event.student_id) == (teacher, str(case.pk), minor.pk)


# --- The student card --------------------------------------------------------------------------------

REGISTER = {"teacher": True, "case_creator": True, "coteacher": False, "other_teacher": False,
            "principal": False, "admin": False, "other_admin": False, "guardian": False, "stranger": False,
            "superuser": False, "minor_student": False}


@pytest.mark.parametrize("name, allowed", REGISTER.items())
def test_who_may_register_the_student(case_cast, minor, name, allowed):
    user = case_cast[name]
    assert access.may_register(user, minor) == allowed
    assert (minor in access.students_for_registration(user)) == allowed


CREATOR = {"case_creator": None, "teacher": 403, "coteacher": 403, "principal": 403, "admin": 403,
           "other_admin": 404, "guardian": 404, "stranger": 404, "superuser": 404}


@pytest.mark.parametrize("name, expected", CREATOR.items())
def test_only_the_case_creator_gets_the_student_for_a_new_case(case_cast, minor, name, expected):
    request = request_as(case_cast[name])
    if expected is None:
        assert access.get_student_for_creator(request, minor.pk) == minor
    else:
        with pytest.raises(AccessForbidden if expected == 403 else AccessHidden):
            access.get_student_for_creator(request, minor.pk)


def test_the_contact_teacher_right_ends_when_the_student_has_left(case_cast, minor, teacher):
    from django.utils import timezone

    minor.left_on = timezone.localdate()
    minor.save()
    assert not access.may_register(teacher, minor)
    assert minor not in access.students_for_registration(teacher)


def _agree(case_cast, cases):
    for one in cases:
        one.refresh_from_db()
        for name, user in case_cast.items():
            user.refresh_from_db()
            rights = access.rights_for(user, one)
            assert (one in access.cases_handled_by(user)) == rights.read, (name, one.pk)
            assert (one in access.cases_listed_for(user)) == (rights.read or rights.creator), (name, one.pk)
            assert rights.handle <= rights.read and rights.handle <= rights.handlers, (name, one.pk)


# Each change that moves access, applied in turn; after each, the lists and the object check still agree.
CHANGES = [
    ("hand over to Charlie", lambda c, case, school: services.case_hand_over(case=case, to=c["coteacher"])),
    ("name Bob co-handler", lambda c, case, school: services.co_handler_add(case=case, user=c["teacher"],
                                                                             by=c["coteacher"])),
    ("remove Dora", lambda c, case, school: services.co_handler_remove(case=case, user=c["other_teacher"])),
    ("Bob leaves the staff", lambda c, case, school: StaffMembership.objects.filter(
        user=c["teacher"], school=school).delete()),
    ("revoke Kari", lambda c, case, school: account_services.case_creator_revoke(school=school,
                                                                                 user=c["case_creator"])),
    ("make Rita case creator", lambda c, case, school: account_services.case_creator_grant(
        school=school, user=c["principal"])),
    ("close", lambda c, case, school: services.case_close(case=case, by=c["coteacher"], note="Ferdig")),
    ("Charlie deactivated", lambda c, case, school: type(c["coteacher"]).objects.filter(
        pk=c["coteacher"].pk).update(is_active=False)),
]


def test_the_lists_agree_with_the_object_check_through_every_change(case_cast, case, school_a):
    _agree(case_cast, [case])
    for label, change in CHANGES:
        change(case_cast, case, school_a)
        try:
            _agree(case_cast, [case])
        except AssertionError as error:
            raise AssertionError(f"after {label}: {error}") from error
