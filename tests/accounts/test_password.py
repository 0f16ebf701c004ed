"""Password change (logged in) and reset (by e-mail) for local accounts: throttled and in the access log."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "blå fjord i morgonsol"
CHANGED = AccessEvent.Action.PASSWORD_CHANGED
RESET = AccessEvent.Action.PASSWORD_RESET


def change(client, old, new=NEW_PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
    )


def reloaded(user):
    return get_user_model().objects.get(pk=user.pk)


# --- Change -------------------------------------------------------------------------------------


def test_the_header_links_to_the_change_page(client, teacher):
    client.force_login(teacher)
    html = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in html
    assert "Bytt passord" in html


def test_the_change_page_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_change_is_saved_logged_and_keeps_this_session(client, teacher):
    client.force_login(teacher)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Gammelt passord" in page.content.decode()
    response = change(client, PASSWORD, address="192.0.2.5")
    assert response.status_code == 302 and response.url == reverse("accounts:password_change_done")
    assert reloaded(teacher).check_password(NEW_PASSWORD)
    event = AccessEvent.objects.get(action=CHANGED)
    assert (event.user, event.object_id, event.client_address) == (teacher, str(teacher.pk), "192.0.2.5")
    assert client.get(reverse("start")).status_code == 200  # still logged in here


def test_a_change_ends_the_users_other_sessions(client, teacher):
    elsewhere = Client()
    elsewhere.force_login(teacher)
    client.force_login(teacher)
    change(client, PASSWORD)
    assert elsewhere.get(reverse("start")).status_code == 302


def test_a_wrong_current_password_counts_as_a_failed_login(client, teacher):
    client.force_login(teacher)
    response = change(client, "not it")
    assert response.status_code == 200 and response.context["form"].errors
    event = AccessEvent.objects.get(action=AccessEvent.Action.LOGIN_FAILED)
    assert (event.user, event.detail) == (teacher, "bob")
    assert not AccessEvent.objects.filter(action=CHANGED).exists()


def test_guessing_the_current_password_is_locked_out_like_a_login(client, teacher, settings):
    """A borrowed session must not become a way to guess the password without django-axes' limits."""
    client.force_login(teacher)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert change(client, "not it").status_code == 200
    assert change(client, "not it").status_code == 429
    assert change(client, PASSWORD).status_code == 429  # even the right one, until the cool-off
    assert reloaded(teacher).check_password(PASSWORD)
    # ... and the login page counts the same failures
    other = Client()
    response = other.post(reverse("login"), {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


def test_a_mistyped_new_password_is_not_a_failed_login(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "x"})
    assert response.status_code == 200
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.LOGIN_FAILED).exists()


def test_an_account_without_a_local_password_has_no_change_page(client, teacher):
    teacher.set_unusable_password()
    teacher.save()
    client.force_login(teacher)
    assert client.get(reverse("accounts:password_change")).status_code == 404
    assert 'href="/passord/bytt/"' not in client.get(reverse("start")).content.decode()


# --- Reset --------------------------------------------------------------------------------------


@pytest.fixture
def bob_with_email(teacher):
    teacher.email = "bob@fjordbyen.example"
    teacher.save()
    return teacher


def request_reset(client, email, address="10.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_login_page_links_to_the_reset_page(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in html


def test_a_reset_request_sends_a_link_and_is_logged(client, bob_with_email, mailoutbox):
    page = client.get(reverse("accounts:password_reset"))
    assert page.status_code == 200 and "Nytt passord" in page.content.decode()
    response = request_reset(client, "BOB@fjordbyen.example", address="192.0.2.9")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert [mail.to for mail in mailoutbox] == [["bob@fjordbyen.example"]]
    assert "/passord/nytt/" in mailoutbox[0].body and "bob" in mailoutbox[0].body
    event = AccessEvent.objects.get(action=RESET)
    assert (event.user, event.object_id, event.client_address) == (bob_with_email, str(bob_with_email.pk), "192.0.2.9")


def test_an_unknown_address_looks_the_same_and_is_not_kept(client, bob_with_email, mailoutbox):
    response = request_reset(client, "mallory@evil.example")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []
    event = AccessEvent.objects.get(action=RESET)
    assert (event.user_id, event.object_id, event.detail) == (None, "", "")


def test_reset_requests_are_throttled_per_address(client, bob_with_email, settings, mailoutbox):
    settings.PASSWORD_RESET_PER_HOUR = 3
    for _ in range(3):
        assert request_reset(client, "bob@fjordbyen.example", address="203.0.113.1").status_code == 302
    refused = request_reset(client, "bob@fjordbyen.example", address="203.0.113.1")
    assert refused.status_code == 429
    assert len(mailoutbox) == 3
    assert request_reset(client, "bob@fjordbyen.example", address="203.0.113.2").status_code == 302


def test_the_reset_link_sets_a_new_password(client, bob_with_email, mailoutbox):
    request_reset(client, "bob@fjordbyen.example")
    link = re.search(r"https?://[^/\s]+(/passord/nytt/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link)
    assert form_page.status_code == 302  # the token moves from the URL to the session
    response = client.post(form_page.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                           REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    assert reloaded(bob_with_email).check_password(NEW_PASSWORD)
    event = AccessEvent.objects.get(action=CHANGED)
    assert (event.user, event.client_address, event.detail) == (bob_with_email, "192.0.2.3", "reset link")
    assert client.get(link).context["validlink"] is False  # used once
    login = Client().post(reverse("login"), {"username": "bob", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_forged_reset_link_is_refused(client, bob_with_email):
    response = client.get(reverse("accounts:password_reset_confirm", args=["Mg", "forged-token"]))
    assert response.status_code == 200 and response.context["validlink"] is False
