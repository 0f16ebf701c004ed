"""The IOP-admin role in the admin goes through the logged services; staff permissions open nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.access import is_iop_admin
from accounts.models import SchoolUserObjectPermission

from ..factories import UserFactory
from .builders import STUDENT_DATA
from .conftest import events
from .verified import force_login_verified

pytestmark = pytest.mark.django_db

ADD = "admin:accounts_schooluserobjectpermission_add"


def role_permission():
    return Permission.objects.get(content_type__app_label="accounts", codename="administer_iop")


def test_granting_the_role_in_the_admin_writes_granted(client, sysadmin, teacher, school_a):
    response = client.post(reverse(ADD), {"user": teacher.pk, "content_object": school_a.pk,
                                          "permission": role_permission().pk})
    assert response.status_code == 302
    assert is_iop_admin(teacher, school_a)
    [event] = events(action="granted")
    assert (event.object_type, event.object_id, event.school_id, event.user) == (
        "iop_admin_role", str(teacher.pk), school_a.pk, sysadmin)


def test_the_role_is_refused_to_someone_outside_the_school(client, sysadmin, other_admin, school_a):
    response = client.post(reverse(ADD), {"user": other_admin.pk, "content_object": school_a.pk,
                                          "permission": role_permission().pk}, follow=True)
    assert response.status_code == 200
    assert "IOP-admin" in response.content.decode()
    assert not SchoolUserObjectPermission.objects.filter(content_object=school_a).exists()
    assert events(action="granted") == []


def test_only_the_role_can_be_granted(client, sysadmin, teacher, school_a):
    other = Permission.objects.get(content_type__app_label="accounts", codename="delete_school")
    response = client.post(reverse(ADD), {"user": teacher.pk, "content_object": school_a.pk, "permission": other.pk})
    assert response.status_code == 200 and "permission" in response.context["adminform"].form.errors


def test_revoking_the_role_in_the_admin_writes_revoked(client, sysadmin, admin, school_a):
    grant = SchoolUserObjectPermission.objects.get(user=admin)
    page = reverse("admin:accounts_schooluserobjectpermission_delete", args=[grant.pk])
    assert client.post(page, {"post": "yes"}).status_code == 302
    assert not is_iop_admin(admin, school_a)
    [event] = events(action="revoked")
    assert (event.object_type, event.school_id) == ("iop_admin_role", school_a.pk)


@pytest.mark.parametrize("name", STUDENT_DATA)
def test_staff_with_model_permissions_see_no_student_data(client, minor, name):
    obj = STUDENT_DATA[name](minor)
    app_label, model_name = name.split(".")
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label=app_label))
    force_login_verified(client, staff)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])).status_code == 403
