"""Logins and failed logins through the real login page, with django-axes in place."""

import hashlib
import re

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


def test_an_unknown_username_is_recorded_only_as_a_fingerprint(client, db):
    """What was typed may be a password in the wrong field: the log keeps a keyed, truncated hash."""
    login(client, "Sommer2025!", "guess")
    login(client, "Sommer2025!", "guess again")
    login(client, "mallory", "guess")
    events = list(AccessEvent.objects.filter(action=FAILED).order_by("pk"))
    assert [(event.user_id, event.username, event.object_id) for event in events] == [(None, "", "")] * 3
    first, again, other = (event.detail for event in events)
    assert "Sommer" not in first and "mallory" not in other
    assert re.fullmatch(r"unknown user [0-9a-f]{12}", first)
    assert first == again != other  # the same unknown name tried twice shows as such
    assert hashlib.sha256(b"Sommer2025!").hexdigest()[:12] not in first  # keyed: a guess cannot be checked


def test_a_locked_out_unknown_username_is_not_kept_either(client, db, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        login(client, "Sommer2025!", "guess")
    latest = AccessEvent.objects.filter(action=FAILED).first()
    assert latest.detail.startswith("unknown user ") and latest.detail.endswith(" (locked out)")
    assert not AccessEvent.objects.filter(detail__contains="Sommer").exists()


def test_a_logout_is_recorded(client, teacher):
    login(client, "bob", PASSWORD, address="192.0.2.10")
    assert client.post(reverse("logout"), REMOTE_ADDR="192.0.2.11").status_code == 302
    event = AccessEvent.objects.get(action=AccessEvent.Action.LOGOUT)
    assert (event.user, event.username, event.client_address) == (teacher, "bob", "192.0.2.11")
    assert (event.object_type, event.object_id) == ("user", str(teacher.pk))


def test_a_logout_without_a_login_records_nothing(client, db):
    assert client.post(reverse("logout")).status_code == 302
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.LOGOUT).exists()


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
