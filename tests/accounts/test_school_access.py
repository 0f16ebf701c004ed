"""The Tilgang page: a school's principal hands out and takes back the school roles (IOP admin, IKO team)."""

from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import access, services
from accounts.models import StaffMembership
from audit.models import AccessEvent

from ..conftest import make_staff
from ..factories import StaffFactory

pytestmark = pytest.mark.django_db


class SchoolRole(NamedTuple):
    grant: str  # the action slugs
    revoke: str
    permission: str
    holds: Callable
    schools: Callable
    log_type: str
    granted_text: str  # in the success message (nb)
    self_grants: str  # the page's context key
    self_grant_heading: str


IOP_ADMIN = SchoolRole("grant", "revoke", "administer_iop", access.is_iop_admin, access.admin_schools,
                       "iop_admin_role", "er nå IOP-ansvarlig", "self_grants",
                       "Rektorer som har gjort seg selv til IOP-ansvarlig")
IKO_TEAM = SchoolRole("grant_iko", "revoke_iko", "follow_up_iko", access.is_iko_team, access.iko_team_schools,
                      "iko_team_role", "er nå med i IKO-teamet", "iko_self_grants",
                      "Rektorer som har lagt seg selv til i IKO-teamet")
ROLES = pytest.mark.parametrize("role", [IOP_ADMIN, IKO_TEAM], ids=["iop_admin", "iko_team"])


def access_url(school):
    return reverse("accounts:school_access", args=[school.pk])


def change_url(school, user, action):
    return reverse("accounts:school_access_change", args=[school.pk, user.pk, action])


def test_principal_sees_staff_with_their_roles(client, principal, admin, teacher, school_a):
    assign_perm("follow_up_iko", teacher, school_a)
    client.force_login(principal)
    response = client.get(access_url(school_a))
    assert response.status_code == 200
    rows = {row["user"].username: (row["is_admin"], row["is_iko_team"]) for row in response.context["rows"]}
    assert rows == {"rita": (False, False), "alice": (True, False), "bob": (False, True)}
    page = response.content.decode()
    assert "Gjør til IOP-ansvarlig" in page
    assert "Legg til i IKO-teamet" in page and "Fjern fra IKO-teamet" in page
    assert change_url(school_a, teacher, "revoke_iko") in page
    assert change_url(school_a, admin, "grant_iko") in page
    assert "står i fare for å falle fra" in page  # what the IKO team does


@ROLES
def test_grant_asks_for_confirmation_then_grants(client, principal, teacher, school_a, role):
    client.force_login(principal)
    confirm = client.get(change_url(school_a, teacher, role.grant))
    assert confirm.status_code == 200
    assert not role.holds(teacher, school_a)  # GET changes nothing

    response = client.post(change_url(school_a, teacher, role.grant), follow=True)
    assert response.redirect_chain[-1][0] == access_url(school_a)
    assert role.holds(teacher, school_a)
    assert role.granted_text in response.content.decode()


def test_the_confirm_page_says_which_role(client, principal, teacher, admin, school_a):
    assign_perm("follow_up_iko", admin, school_a)
    client.force_login(principal)
    grant = client.get(change_url(school_a, teacher, "grant_iko")).content.decode()
    assert "til i IKO-teamet ved" in grant and "IOP-ansvarlig ved" not in grant
    revoke = client.get(change_url(school_a, admin, "revoke_iko")).content.decode()
    assert "fra IKO-teamet ved" in revoke and "IOP-ansvarlig ved" not in revoke
    assert "IOP-ansvarlig ved" in client.get(change_url(school_a, teacher, "grant")).content.decode()


def test_the_roles_are_separate(client, principal, teacher, admin, school_a):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant_iko"))
    assert access.is_iko_team(teacher, school_a) and not access.is_iop_admin(teacher, school_a)
    client.post(change_url(school_a, admin, "grant_iko"))
    client.post(change_url(school_a, admin, "revoke_iko"))
    assert access.is_iop_admin(admin, school_a) and not access.is_iko_team(admin, school_a)


@ROLES
def test_grant_posted_twice_is_harmless(client, principal, teacher, school_a, role):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, role.grant))
    response = client.post(change_url(school_a, teacher, role.grant))
    assert response.status_code == 302
    assert role.holds(teacher, school_a)


@ROLES
def test_revoke(client, principal, teacher, school_a, role):
    assign_perm(role.permission, teacher, school_a)
    client.force_login(principal)
    assert client.get(change_url(school_a, teacher, role.revoke)).status_code == 200
    assert client.post(change_url(school_a, teacher, role.revoke)).status_code == 302
    assert not role.holds(teacher, school_a)


@ROLES
def test_principal_of_another_school_gets_404(client, school_a, school_b, teacher, role):
    other_principal = make_staff("per", school_b, StaffMembership.Role.PRINCIPAL)
    client.force_login(other_principal)
    assert client.get(access_url(school_a)).status_code == 404
    assert client.post(change_url(school_a, teacher, role.grant)).status_code == 404
    assert not role.holds(teacher, school_a)


@ROLES
@pytest.mark.parametrize("name", ["teacher", "admin"])
def test_staff_who_are_not_principal_get_403(client, cast, school_a, name, role):
    client.force_login(cast[name])
    assert client.get(access_url(school_a)).status_code == 403
    assert client.post(change_url(school_a, cast["other_teacher"], role.grant)).status_code == 403
    assert not role.holds(cast["other_teacher"], school_a)


@pytest.mark.parametrize("name", ["guardian", "minor_student", "stranger", "other_admin"])
def test_outsiders_get_404(client, cast, school_a, name):
    client.force_login(cast[name])
    assert client.get(access_url(school_a)).status_code == 404


def test_anonymous_is_sent_to_login(client, school_a):
    response = client.get(access_url(school_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@ROLES
def test_cannot_grant_someone_from_another_school(client, principal, other_admin, school_a, role):
    client.force_login(principal)
    assert client.post(change_url(school_a, other_admin, role.grant)).status_code == 404
    assert not role.holds(other_admin, school_a)


@ROLES
def test_the_service_refuses_someone_not_on_the_staff(other_admin, school_a, role):
    grant = services.iop_admin_grant if role is IOP_ADMIN else services.iko_team_grant
    with pytest.raises(services.RoleChangeRefused):
        grant(school=school_a, user=other_admin)
    assert not role.holds(other_admin, school_a)
    assert not AccessEvent.objects.filter(object_type=role.log_type).exists()


@pytest.mark.parametrize("action", ["delete", "grant_IKO", "iko"])
def test_unknown_action_is_404(client, principal, teacher, school_a, action):
    client.force_login(principal)
    assert client.post(change_url(school_a, teacher, action)).status_code == 404


@ROLES
def test_person_with_two_roles_at_the_school_appears_once(client, principal, school_a, role):
    StaffFactory(user=principal, school=school_a, role=StaffMembership.Role.TEACHER)
    client.force_login(principal)
    response = client.get(access_url(school_a))
    assert [row["user"] for row in response.context["rows"]] == [principal]
    assert client.post(change_url(school_a, principal, role.grant), {"confirm": "on"}).status_code == 302
    assert role.holds(principal, school_a)


def test_put_is_not_allowed(client, principal, teacher, school_a):
    client.force_login(principal)
    assert client.put(change_url(school_a, teacher, "grant")).status_code == 405
    assert client.put(change_url(school_a, teacher, "grant_iko")).status_code == 405


@ROLES
def test_grant_and_revoke_are_in_the_access_log(client, principal, teacher, school_a, role):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, role.grant))
    client.post(change_url(school_a, teacher, role.revoke))
    events = AccessEvent.objects.filter(action__in=["granted", "revoked"]).order_by("at", "pk")
    assert [(e.action, e.object_type, e.user, e.school_id, e.object_id) for e in events] == [
        ("granted", role.log_type, principal, school_a.pk, str(teacher.pk)),
        ("revoked", role.log_type, principal, school_a.pk, str(teacher.pk)),
    ]


@ROLES
def test_a_principal_granting_themselves_must_tick_a_confirmation(client, principal, school_a, role):
    client.force_login(principal)
    url = change_url(school_a, principal, role.grant)
    assert "confirm" in client.get(url).context["form"].fields
    refused = client.post(url)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not role.holds(principal, school_a)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert role.holds(principal, school_a)


def test_the_self_grant_box_names_the_iko_team(client, principal, school_a):
    client.force_login(principal)
    label = client.get(change_url(school_a, principal, "grant_iko")).context["form"].fields["confirm"].label
    assert "IKO-teamet" in str(label)


@ROLES
def test_revoking_from_oneself_needs_no_tick(client, principal, school_a, role):
    assign_perm(role.permission, principal, school_a)
    client.force_login(principal)
    assert client.get(change_url(school_a, principal, role.revoke)).context["form"] is None
    assert client.post(change_url(school_a, principal, role.revoke)).status_code == 302
    assert not role.holds(principal, school_a)


@ROLES
def test_the_other_principals_see_who_granted_themselves_the_role(client, principal, school_a, role):
    second = make_staff("per", school_a, StaffMembership.Role.PRINCIPAL)
    client.force_login(principal)
    client.post(change_url(school_a, principal, role.grant), {"confirm": "on"})
    client.force_login(second)
    page = client.get(access_url(school_a))
    assert [event.user for event in page.context[role.self_grants]] == [principal]
    other_list = ({"self_grants", "iko_self_grants"} - {role.self_grants}).pop()
    assert page.context[other_list] == []
    assert role.self_grant_heading in page.content.decode()


@ROLES
def test_granting_someone_else_needs_no_tick(client, principal, teacher, school_a, role):
    client.force_login(principal)
    assert client.get(change_url(school_a, teacher, role.grant)).context["form"] is None
    assert client.post(change_url(school_a, teacher, role.grant)).status_code == 302
    page = client.get(access_url(school_a))
    assert page.context["self_grants"] == [] and page.context["iko_self_grants"] == []


@ROLES
def test_the_role_ends_when_the_staff_membership_ends(client, principal, teacher, school_a, role):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, role.grant))
    assert role.holds(teacher, school_a) and list(role.schools(teacher)) == [school_a]

    membership = StaffMembership.objects.get(user=teacher, school=school_a)
    services.staff_memberships_end(membership_ids=[membership.pk])
    assert not role.holds(teacher, school_a)
    assert list(role.schools(teacher)) == []
    # Nor may the principal hand it out again to someone who has left.
    assert client.post(change_url(school_a, teacher, role.grant)).status_code == 404

    # Back on the staff, the old grant would count again: revoking it takes it away for good.
    revoke = services.iop_admin_revoke if role is IOP_ADMIN else services.iko_team_revoke
    revoke(school=school_a, user=teacher)
    StaffFactory(user=teacher, school=school_a)
    assert not role.holds(teacher, school_a)


def test_the_role_holders_of_a_school(admin, teacher, school_a, school_b):
    assign_perm("follow_up_iko", teacher, school_a)
    assign_perm("follow_up_iko", admin, school_b)  # not staff there: listed, but it does not count
    assert access.iop_admin_ids(school_a) == {admin.pk}
    assert access.iko_team_ids(school_a) == {teacher.pk}
    assert access.iko_team_ids(school_b) == {admin.pk}
    assert access.school_role_ids(school_a) == {"administer_iop": {admin.pk}, "follow_up_iko": {teacher.pk},
                                                "create_cases": set()}
    assert not access.is_iko_team(admin, school_b)
    assert list(access.iko_team_schools(admin)) == []
