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


def age_attempts(minutes):
    """Let time pass for django-axes: its failed attempts happened `minutes` earlier."""
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.db.models import F

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def cooloff_minutes(settings) -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def guess_from_many_addresses(client, username, failures):
    """`failures` wrong passwords, spread so that no address reaches the account+address limit."""
    for n in range(failures):
        login(client, username, "wrong", address=f"198.51.100.{n // 3 + 1}")


def test_one_account_guessed_from_four_addresses_gets_locked(client, teacher, settings):
    failures = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    assert failures // 3 + 1 == 4 and failures < 4 * settings.AXES_FAILURE_LIMIT
    guess_from_many_addresses(client, "bob", failures)
    assert login(client, "bob", PASSWORD, address="192.0.2.77").status_code == 429
    assert "_auth_user_id" not in client.session


def test_after_the_cooloff_the_right_user_logs_in_from_another_address(client, teacher, settings):
    guess_from_many_addresses(client, "bob", settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    age_attempts(cooloff_minutes(settings) + 1)
    assert login(client, "bob", PASSWORD, address="192.0.2.77").status_code == 302


def test_attempts_during_a_lock_do_not_extend_it(client, teacher, settings):
    """Whoever locks a teacher's account on purpose cannot keep it locked by trying on."""
    guess_from_many_addresses(client, "bob", settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    age_attempts(cooloff_minutes(settings) - 1)
    for n in range(3):
        assert login(client, "bob", "wrong", address=f"203.0.113.{n}").status_code == 429
    age_attempts(2)
    assert login(client, "bob", PASSWORD, address="192.0.2.77").status_code == 302


def test_one_address_spraying_thirty_accounts_gets_locked(client, teacher, coteacher, settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        login(client, f"user{n}", "Sommer2025", address="203.0.113.50")
    assert login(client, "bob", PASSWORD, address="203.0.113.50").status_code == 429
    assert login(client, "charlie", PASSWORD, address="192.0.2.1").status_code == 302  # elsewhere: unaffected


def test_the_sprayer_cannot_reset_the_address_count_by_logging_in(client, teacher, coteacher, settings):
    """A success forgets the account's failures, not the address's failures against other accounts."""
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"user{n}", "Sommer2025", address="203.0.113.50")
    assert login(client, "charlie", PASSWORD, address="203.0.113.50").status_code == 302  # the sprayer's own
    client.logout()
    login(client, "user99", "Sommer2025", address="203.0.113.50")
    assert login(client, "bob", PASSWORD, address="203.0.113.50").status_code == 429


def test_a_success_forgets_the_accounts_failures_from_that_address_only(client, teacher, settings):
    """The owner logging in gives nobody guessing from elsewhere a fresh start."""
    for n in range(4):
        login(client, "bob", "wrong", address=f"198.51.100.{n}")  # someone guessing
    for _ in range(4):
        login(client, "bob", "wrong", address="192.0.2.77")  # the owner mistyping, then right
    assert login(client, "bob", PASSWORD, address="192.0.2.77").status_code == 302
    client.logout()
    for n in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT - 4):  # the guesser's total reaches the account's limit
        login(client, "bob", "wrong", address=f"198.51.100.{10 + n}")
    assert login(client, "bob", PASSWORD, address="192.0.2.77").status_code == 429


def test_axes_keeps_a_username_only_if_it_names_an_account(client, teacher, settings):
    """A password typed into the username field is not stored by django-axes either; counting still works."""
    from axes.models import AccessAttempt

    login(client, "bob", "wrong")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "Sommer2025!", "wrong")
    stored = set(AccessAttempt.objects.values_list("username", flat=True))
    assert "bob" in stored and not any("Sommer" in name for name in stored)
    assert login(client, "Sommer2025!", "wrong").status_code == 429  # the unknown name is locked all the same


def test_axes_locks_the_forwarded_client_not_the_proxy(client, teacher, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]

    def via_proxy(client_address, password):
        return client.post(reverse("login"), {"username": "bob", "password": password}, REMOTE_ADDR="10.0.0.5",
                           HTTP_X_FORWARDED_FOR=client_address)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("198.51.100.7", "wrong")
    assert via_proxy("198.51.100.7", PASSWORD).status_code == 429
    assert via_proxy("198.51.100.8", PASSWORD).status_code == 302  # another client behind the same proxy
    client.logout()
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert via_proxy("198.51.100.7", PASSWORD).status_code == 429  # still locked


def test_a_forged_forwarded_for_does_not_dodge_the_lock(client, teacher, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "bob", "password": "wrong"}, REMOTE_ADDR="203.0.113.9",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 10.0.0.5")
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9",
                           HTTP_X_FORWARDED_FOR="198.51.100.99, 10.0.0.5")
    assert response.status_code == 429


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
