"""Logins and failed logins through the real login page, with django-axes in place."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = AccessEvent.Action.LOGIN
FAILED = AccessEvent.Action.LOGIN_FAILED


def login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_login_is_recorded_with_the_address(client, teacher):
    assert login(client, "bob", PASSWORD, address="192.0.2.10").status_code == 302
    event = AccessEvent.objects.get(action=LOGIN)
    assert (event.user, event.username, event.client_address) == (teacher, "bob", "192.0.2.10")
    assert (event.object_type, event.object_id) == ("user", str(teacher.pk))


def test_a_wrong_password_is_recorded_against_the_account(client, teacher):
    assert login(client, "bob", "wrong").status_code == 200
    event = AccessEvent.objects.get(action=FAILED)
    assert (event.user, event.detail, event.client_address) == (teacher, "bob", "10.0.0.1")
    assert not AccessEvent.objects.filter(action=LOGIN).exists()


def test_an_unknown_username_is_recorded_as_tried(client, db):
    login(client, "mallory", "guess")
    event = AccessEvent.objects.get(action=FAILED)
    assert (event.user_id, event.username, event.detail) == (None, "", "mallory")


def test_a_locked_out_attempt_is_recorded_and_axes_still_locks(client, teacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "bob", "wrong")
    response = login(client, "bob", PASSWORD)
    assert response.status_code == 429  # axes' lockout is untouched
    assert "_auth_user_id" not in client.session
    assert AccessEvent.objects.filter(action=FAILED).count() == settings.AXES_FAILURE_LIMIT + 1
    assert AccessEvent.objects.filter(action=FAILED).first().detail == "bob (locked out)"
    assert not AccessEvent.objects.filter(action=LOGIN).exists()


def test_the_admin_login_is_recorded_too(client, db):
    from ..factories import UserFactory

    UserFactory(username="root", is_superuser=True, is_staff=True)
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert AccessEvent.objects.get(action=LOGIN).client_address == "10.9.9.9"
