"""The case-creator role (person cases, seed 004) on the Tilgang page: the school's principal hands it out
and takes it back, like the IOP-admin and IKO-team roles (tests/accounts/test_school_access.py)."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import access, services
from accounts.models import StaffMembership
from audit.models import AccessEvent

from ..conftest import make_staff
from ..factories import StaffFactory

pytestmark = pytest.mark.django_db

PERMISSION, LOG_TYPE = "create_cases", "case_creator_role"


def access_url(school):
    return reverse("accounts:school_access", args=[school.pk])


def change_url(school, user, action):
    return reverse("accounts:school_access_change", args=[school.pk, user.pk, action])


def test_the_principal_grants_the_role(client, principal, teacher, school_a):
    client.force_login(principal)
    assert client.get(change_url(school_a, teacher, "grant_cases")).status_code == 200
    assert not access.is_case_creator(teacher, school_a)  # GET changes nothing
    response = client.post(change_url(school_a, teacher, "grant_cases"))
    assert response.status_code == 302 and response.url == access_url(school_a)
    assert access.is_case_creator(teacher, school_a)
    assert list(access.case_creator_schools(teacher)) == [school_a]
    assert client.post(change_url(school_a, teacher, "grant_cases")).status_code == 302  # again: harmless
    assert access.is_case_creator(teacher, school_a)


def test_the_principal_revokes_the_role(client, principal, teacher, school_a):
    assign_perm(PERMISSION, teacher, school_a)
    client.force_login(principal)
    assert client.get(change_url(school_a, teacher, "revoke_cases")).status_code == 200
    assert client.post(change_url(school_a, teacher, "revoke_cases")).status_code == 302
    assert not access.is_case_creator(teacher, school_a)


def test_the_page_lists_the_case_creators(client, principal, teacher, admin, school_a):
    assign_perm(PERMISSION, teacher, school_a)
    client.force_login(principal)
    response = client.get(access_url(school_a))
    rows = {row["user"].username: row["is_case_creator"] for row in response.context["rows"]}
    assert rows["bob"] is True and rows["alice"] is False
    page = response.content.decode()
    assert change_url(school_a, teacher, "revoke_cases") in page
    assert change_url(school_a, admin, "grant_cases") in page


def test_the_roles_are_separate(client, principal, admin, teacher, school_a):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant_cases"))
    assert access.is_case_creator(teacher, school_a)
    assert not access.is_iop_admin(teacher, school_a) and not access.is_iko_team(teacher, school_a)
    client.post(change_url(school_a, admin, "grant_cases"))
    client.post(change_url(school_a, admin, "revoke_cases"))
    assert access.is_iop_admin(admin, school_a) and not access.is_case_creator(admin, school_a)


@pytest.mark.parametrize("name", ["teacher", "admin", "other_teacher"])
def test_staff_who_are_not_principal_get_403(client, cast, school_a, name):
    client.force_login(cast[name])
    target = cast["coteacher"]
    assert client.post(change_url(school_a, target, "grant_cases")).status_code == 403
    assert not access.is_case_creator(target, school_a)
    assign_perm(PERMISSION, target, school_a)
    assert client.post(change_url(school_a, target, "revoke_cases")).status_code == 403
    assert access.is_case_creator(target, school_a)


@pytest.mark.parametrize("name", ["guardian", "minor_student", "stranger", "other_admin"])
def test_outsiders_get_404(client, cast, school_a, name):
    client.force_login(cast[name])
    assert client.post(change_url(school_a, cast["teacher"], "grant_cases")).status_code == 404
    assert not access.is_case_creator(cast["teacher"], school_a)


def test_a_principal_of_another_school_gets_404(client, school_a, school_b, teacher):
    client.force_login(make_staff("per", school_b, StaffMembership.Role.PRINCIPAL))
    assert client.post(change_url(school_a, teacher, "grant_cases")).status_code == 404
    assert not access.is_case_creator(teacher, school_a)


def test_a_case_creator_cannot_hand_out_the_role(client, teacher, coteacher, school_a):
    assign_perm(PERMISSION, teacher, school_a)
    client.force_login(teacher)
    assert client.post(change_url(school_a, coteacher, "grant_cases")).status_code == 403
    assert not access.is_case_creator(coteacher, school_a)


def test_cannot_grant_someone_from_another_school(client, principal, other_admin, school_a):
    client.force_login(principal)
    assert client.post(change_url(school_a, other_admin, "grant_cases")).status_code == 404
    assert not access.is_case_creator(other_admin, school_a)


def test_the_service_refuses_someone_not_on_the_staff(other_admin, school_a):
    with pytest.raises(services.RoleChangeRefused):
        services.case_creator_grant(school=school_a, user=other_admin)
    assert not access.is_case_creator(other_admin, school_a)
    assert not AccessEvent.objects.filter(object_type=LOG_TYPE).exists()


def test_grant_and_revoke_are_in_the_access_log(client, principal, teacher, school_a):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant_cases"))
    client.post(change_url(school_a, teacher, "revoke_cases"))
    events = AccessEvent.objects.filter(object_type=LOG_TYPE).order_by("at", "pk")
    assert [(e.action, e.user, e.school_id, e.object_id) for e in events] == [
        ("granted", principal, school_a.pk, str(teacher.pk)), ("revoked", principal, school_a.pk, str(teacher.pk))]


def test_a_principal_granting_themselves_must_tick_a_confirmation(client, principal, school_a):
    client.force_login(principal)
    url = change_url(school_a, principal, "grant_cases")
    refused = client.post(url)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not access.is_case_creator(principal, school_a)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert access.is_case_creator(principal, school_a)
    client.force_login(make_staff("per", school_a, StaffMembership.Role.PRINCIPAL))
    page = client.get(access_url(school_a))
    assert [event.user for event in page.context["case_self_grants"]] == [principal]


def test_the_role_ends_when_the_staff_membership_ends(client, principal, teacher, school_a):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant_cases"))
    membership = StaffMembership.objects.get(user=teacher, school=school_a)
    services.staff_memberships_end(membership_ids=[membership.pk])
    assert not access.is_case_creator(teacher, school_a)
    assert list(access.case_creator_schools(teacher)) == []
    assert client.post(change_url(school_a, teacher, "grant_cases")).status_code == 404
    services.case_creator_revoke(school=school_a, user=teacher)
    StaffFactory(user=teacher, school=school_a)
    assert not access.is_case_creator(teacher, school_a)
