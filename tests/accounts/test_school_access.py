"""The Tilgang page: a school's principal hands out and takes back the IOP-admin role."""

import pytest
from django.urls import reverse

from accounts import access
from accounts.models import StaffMembership

from ..conftest import make_staff
from ..factories import StaffFactory

pytestmark = pytest.mark.django_db


def access_url(school):
    return reverse("accounts:school_access", args=[school.pk])


def change_url(school, user, action):
    return reverse("accounts:school_access_change", args=[school.pk, user.pk, action])


def test_principal_sees_staff_with_their_role(client, principal, admin, teacher, school_a):
    client.force_login(principal)
    response = client.get(access_url(school_a))
    assert response.status_code == 200
    rows = {row["user"].username: row["is_admin"] for row in response.context["rows"]}
    assert rows == {"rita": False, "alice": True, "bob": False}
    assert "Gjør til IOP-ansvarlig" in response.content.decode()


def test_grant_asks_for_confirmation_then_grants(client, principal, teacher, school_a):
    client.force_login(principal)
    confirm = client.get(change_url(school_a, teacher, "grant"))
    assert confirm.status_code == 200
    assert not access.is_iop_admin(teacher, school_a)  # GET changes nothing

    response = client.post(change_url(school_a, teacher, "grant"), follow=True)
    assert response.redirect_chain[-1][0] == access_url(school_a)
    assert access.is_iop_admin(teacher, school_a)
    assert "er nå IOP-ansvarlig" in response.content.decode()


def test_grant_posted_twice_is_harmless(client, principal, teacher, school_a):
    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant"))
    response = client.post(change_url(school_a, teacher, "grant"))
    assert response.status_code == 302
    assert access.is_iop_admin(teacher, school_a)


def test_revoke(client, principal, admin, school_a):
    client.force_login(principal)
    assert client.get(change_url(school_a, admin, "revoke")).status_code == 200
    assert client.post(change_url(school_a, admin, "revoke")).status_code == 302
    assert not access.is_iop_admin(admin, school_a)


def test_principal_of_another_school_gets_404(client, school_a, school_b, teacher):
    other_principal = make_staff("per", school_b, StaffMembership.Role.PRINCIPAL)
    client.force_login(other_principal)
    assert client.get(access_url(school_a)).status_code == 404
    assert client.post(change_url(school_a, teacher, "grant")).status_code == 404
    assert not access.is_iop_admin(teacher, school_a)


@pytest.mark.parametrize("name", ["teacher", "admin"])
def test_staff_who_are_not_principal_get_403(client, cast, school_a, name):
    client.force_login(cast[name])
    assert client.get(access_url(school_a)).status_code == 403
    assert client.post(change_url(school_a, cast["other_teacher"], "grant")).status_code == 403
    assert not access.is_iop_admin(cast["other_teacher"], school_a)


@pytest.mark.parametrize("name", ["guardian", "minor_student", "stranger", "other_admin"])
def test_outsiders_get_404(client, cast, school_a, name):
    client.force_login(cast[name])
    assert client.get(access_url(school_a)).status_code == 404


def test_anonymous_is_sent_to_login(client, school_a):
    response = client.get(access_url(school_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_cannot_grant_someone_from_another_school(client, principal, other_admin, school_a):
    client.force_login(principal)
    assert client.post(change_url(school_a, other_admin, "grant")).status_code == 404
    assert not access.is_iop_admin(other_admin, school_a)


def test_unknown_action_is_404(client, principal, teacher, school_a):
    client.force_login(principal)
    assert client.post(change_url(school_a, teacher, "delete")).status_code == 404


def test_person_with_two_roles_at_the_school_appears_once(client, principal, school_a):
    StaffFactory(user=principal, school=school_a, role=StaffMembership.Role.TEACHER)
    client.force_login(principal)
    response = client.get(access_url(school_a))
    assert [row["user"] for row in response.context["rows"]] == [principal]
    assert client.post(change_url(school_a, principal, "grant"), {"confirm": "on"}).status_code == 302
    assert access.is_iop_admin(principal, school_a)


def test_put_is_not_allowed(client, principal, teacher, school_a):
    client.force_login(principal)
    assert client.put(change_url(school_a, teacher, "grant")).status_code == 405


def test_grant_and_revoke_are_in_the_access_log(client, principal, teacher, school_a):
    from audit.models import AccessEvent

    client.force_login(principal)
    client.post(change_url(school_a, teacher, "grant"))
    client.post(change_url(school_a, teacher, "revoke"))
    events = AccessEvent.objects.filter(object_type="iop_admin_role").order_by("at", "pk")
    assert [(e.action, e.user, e.school_id, e.object_id) for e in events] == [
        ("granted", principal, school_a.pk, str(teacher.pk)),
        ("revoked", principal, school_a.pk, str(teacher.pk)),
    ]


def test_a_principal_making_themselves_admin_must_tick_a_confirmation(client, principal, school_a):
    client.force_login(principal)
    url = change_url(school_a, principal, "grant")
    assert "confirm" in client.get(url).context["form"].fields
    refused = client.post(url)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not access.is_iop_admin(principal, school_a)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert access.is_iop_admin(principal, school_a)


def test_the_other_principals_see_who_made_themselves_admin(client, principal, school_a):
    second = make_staff("per", school_a, StaffMembership.Role.PRINCIPAL)
    client.force_login(principal)
    client.post(change_url(school_a, principal, "grant"), {"confirm": "on"})
    client.force_login(second)
    page = client.get(access_url(school_a))
    assert [event.user for event in page.context["self_grants"]] == [principal]
    assert "Rektorer som har gjort seg selv til IOP-ansvarlig" in page.content.decode()


def test_granting_someone_else_needs_no_tick(client, principal, teacher, school_a):
    client.force_login(principal)
    assert client.get(change_url(school_a, teacher, "grant")).context["form"] is None
    assert client.post(change_url(school_a, teacher, "grant")).status_code == 302
    client.force_login(principal)
    assert client.get(access_url(school_a)).context["self_grants"] == []
