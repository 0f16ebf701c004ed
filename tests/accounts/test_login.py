"""Login with Argon2, throttling with django-axes, logout."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_login_page_is_in_norwegian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="nb"' in response.content.decode()


def test_login_leads_to_the_start_page(client, teacher):
    response = login(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("start")


def test_passwords_are_hashed_with_argon2(teacher):
    assert identify_hasher(teacher.password).algorithm == "argon2"


def test_wrong_password_shows_the_form_again(client, teacher):
    response = login(client, "bob", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account_and_address(client, teacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "bob", "wrong")
    response = login(client, "bob", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "15" in response.content.decode()  # minutes to wait
    assert "_auth_user_id" not in client.session


def test_lock_is_per_account_and_address(client, teacher, coteacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "bob", "wrong")
    assert login(client, "bob", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, "charlie", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, teacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "bob", "wrong")
    assert login(client, "bob", PASSWORD).status_code == 302
    client.logout()
    login(client, "bob", "wrong")
    assert login(client, "bob", PASSWORD).status_code == 302


def test_logout_needs_post_and_ends_the_session(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 302


def test_start_page_requires_login(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_form_posted_after_the_login_expired_leads_back_to_the_form(client, minor):
    from tests.iop.factories import PlanFactory, PlanSubjectFactory

    subject = PlanSubjectFactory(plan=PlanFactory(student=minor))
    form_page = f"http://testserver{reverse('iop:subject_detail', args=[subject.pk])}"
    response = client.post(reverse("iop:goal_add", args=[subject.pk]), {"competence_goal": "Prosent"},
                           HTTP_REFERER=form_page)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/iop/fag/{subject.pk}/"
    assert not subject.goals.exists()


def test_an_anonymous_post_from_another_site_leads_to_the_start_page_after_login(client, minor):
    response = client.post(reverse("iop:plan_create", args=[minor.pk]), HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_the_login_form_and_the_language_switch_still_work_logged_out(client, teacher):
    assert login(client, "bob", PASSWORD).url == reverse("start")
    client.logout()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/logg-inn/"})
    assert response.status_code == 302 and response.url == "/logg-inn/"
