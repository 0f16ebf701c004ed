"""The access log in the Django admin: readable by superusers, changeable by nobody."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.log import record
from audit.models import AccessEvent

from ..admin.verified import force_login_verified
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    force_login_verified(client, user)
    return user


@pytest.fixture
def event(teacher, minor):
    return record(None, action="viewed", object_type="document", object_id=3, student=minor, user=teacher,
                  detail="Kartlegging")


def snapshot(event):
    return AccessEvent.objects.filter(pk=event.pk).values().get()


def test_superuser_sees_the_list_search_and_filters(client, root, event, school_a):
    url = reverse("admin:audit_accessevent_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "Kartlegging" not in response.content.decode()  # detail is searchable, not listed
    assert event.user.get_full_name() in response.content.decode()
    for query in ({"q": "Kartlegging"}, {"action": "viewed"}, {"school__id__exact": school_a.pk},
                  {"at__year": event.at.year, "object_type": "document"}):
        response = client.get(url, query)
        assert response.status_code == 200 and response.context["cl"].result_count == 1, query


def test_superuser_sees_an_event(client, root, event):
    response = client.get(reverse("admin:audit_accessevent_change", args=[event.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_an_event_about_a_deleted_student_still_shows(client, root, event, minor):
    minor.delete()
    assert client.get(reverse("admin:audit_accessevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_accessevent_change", args=[event.pk])).status_code == 200


def test_posting_a_change_is_refused(client, root, event):
    before = snapshot(event)
    url = reverse("admin:audit_accessevent_change", args=[event.pk])
    response = client.post(url, {"action": "deleted", "object_type": "x", "detail": "rewritten"})
    assert response.status_code == 403
    assert snapshot(event) == before


def test_delete_view_is_refused(client, root, event):
    url = reverse("admin:audit_accessevent_delete", args=[event.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_no_bulk_delete_action(client, root, event):
    url = reverse("admin:audit_accessevent_changelist")
    assert "delete_selected" not in client.get(url).content.decode()
    client.post(url, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_no_add_view(client, root):
    assert client.get(reverse("admin:audit_accessevent_add")).status_code == 403
    client.post(reverse("admin:audit_accessevent_add"), {"action": "viewed", "object_type": "x"})
    assert not AccessEvent.objects.exclude(action="login").exists()


def test_staff_with_model_permissions_cannot_read_the_log(client, event):
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="audit"))
    force_login_verified(client, staff)  # past the second factor: the permissions still do not open the log
    assert client.get(reverse("admin:audit_accessevent_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_accessevent_change", args=[event.pk])).status_code == 403
