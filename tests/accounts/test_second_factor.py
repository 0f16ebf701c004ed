"""The second factor: password logins with a role on student data (and superusers) enrol and use TOTP."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import LOGIN_METHOD_KEY
from audit.models import AccessEvent

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:second_factor_verify")
SETUP = reverse("accounts:second_factor_setup")
CODES = reverse("accounts:second_factor_recovery_codes")


def code_of(device, *, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, drift=offset):0{device.digits}d}"


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response
    return response


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def fresh(device):
    """Forget the last code used and django-otp's wait after wrong ones (a new time step, in effect)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    device.refresh_from_db()
    return device


def enrol(client, next_url="/"):
    """Go through enrolment; return the recovery codes shown."""
    response = client.get(SETUP, {"next": next_url})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_of(device), "next": next_url})
    assert response.status_code == 302 and response.url.startswith(CODES)
    response = client.get(response.url)
    assert response.status_code == 200
    return response.context["codes"]


def test_a_teacher_logging_in_with_a_password_is_sent_to_enrolment(client, teacher):
    log_in(client, teacher.username)
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(SETUP)

    page = client.get(SETUP)
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert "<script" not in html.split("</main>")[0].split('<main')[1]  # no inline script on the page
    assert client.get(reverse("start")).status_code == 302  # still owed


def test_enrolment_shows_the_recovery_codes_once_then_opens_the_app(client, teacher):
    log_in(client, teacher.username)
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=teacher)
    assert device.confirmed
    assert sorted(StaticToken.objects.filter(device__user=teacher).values_list("token", flat=True)) == sorted(codes)
    assert client.get(CODES).status_code == 302  # shown once
    assert client.get(reverse("start")).status_code == 200
    assert AccessEvent.objects.filter(user=teacher, detail="second factor set up").exists()


def test_a_wrong_first_code_does_not_confirm(client, teacher):
    log_in(client, teacher.username)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    device = TOTPDevice.objects.get(user=teacher)
    if code_of(device) == "000000":  # one time in a million
        return
    assert response.status_code == 200 and response.context["form"].errors
    assert not TOTPDevice.objects.get(user=teacher).confirmed
    assert client.get(reverse("start")).status_code == 302


def test_the_next_login_asks_for_the_code(client, teacher):
    device = with_device(teacher)
    log_in(client, teacher.username)
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get(SETUP).status_code == 302  # no second device while the first is not verified
    response = client.post(VERIFY, {"code": code_of(device), "next": reverse("start")})
    assert response.status_code == 302 and response.url == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    assert client.get(SETUP).status_code == 200  # the status page


def test_a_code_is_not_taken_twice(client, teacher):
    device = with_device(teacher)
    log_in(client, teacher.username)
    code = code_of(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("logout"))
    log_in(client, teacher.username)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200 and response.context["form"].errors


def test_a_wrong_code_is_refused_and_logged(client, teacher):
    device = with_device(teacher)
    log_in(client, teacher.username)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("start")).status_code == 302
    event = AccessEvent.objects.get(action=AccessEvent.Action.LOGIN_FAILED)
    assert event.user == teacher


def test_too_many_wrong_codes_lock_the_login(client, teacher, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait aside: axes counts every wrong code
    device = with_device(teacher)
    log_in(client, teacher.username)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    responses = [client.post(VERIFY, {"code": wrong}) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert "_auth_user_id" not in client.session  # the half-done login ended
    assert AccessEvent.objects.filter(action=AccessEvent.Action.LOGIN_FAILED, user=teacher).count() \
        >= settings.AXES_FAILURE_LIMIT
    # Still locked: the password no longer opens the account from here.
    response = client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 429


def test_django_otp_makes_a_guesser_wait_between_wrong_codes(client, teacher):
    device = with_device(teacher)
    log_in(client, teacher.username)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": code_of(device)})  # right, but too soon
    assert response.status_code == 200 and response.context["form"].errors
    fresh(device)
    assert client.post(VERIFY, {"code": code_of(device)}).status_code == 302


def test_a_recovery_code_works_once(client, teacher):
    log_in(client, teacher.username)
    codes = enrol(client)
    client.post(reverse("logout"))

    log_in(client, teacher.username)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": reverse("start")})
    assert response.status_code == 302 and response.url == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    assert StaticToken.objects.filter(device__user=teacher).count() == 9
    client.post(reverse("logout"))

    log_in(client, teacher.username)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("start")).status_code == 302


def test_a_superuser_without_a_second_factor_cannot_open_the_admin(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)  # whatever the login path
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(SETUP)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302

    codes = enrol(client, next_url=reverse("admin:index"))
    assert len(codes) == 10
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_with_a_device_is_asked_for_the_code_at_the_admin(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    device = with_device(root)
    client.force_login(root)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = client.post(VERIFY, {"code": code_of(device), "next": reverse("admin:index")})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_page_leads_to_the_second_factor(client):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD,
                                                     "next": reverse("admin:index")})
    assert response.status_code == 302
    assert client.session[LOGIN_METHOD_KEY] == "local"
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(SETUP)


def test_the_admin_checks_verification_itself(rf):
    """Even without the middleware, the admin's has_permission asks for a verified device."""
    from django.contrib import admin

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    request = rf.get("/admin/")
    request.user = root
    root.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    root.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_feide_session_is_not_asked(client, teacher):
    client.force_login(teacher)
    session = client.session
    session[LOGIN_METHOD_KEY] = "feide"
    session.save()
    assert client.get(reverse("start")).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("who", ["admin", "principal", "guardian", "adult_student", "minor_student"])
def test_every_role_on_student_data_must_enrol(client, cast, who):
    log_in(client, cast[who].username)
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(SETUP)


def test_a_user_without_a_role_on_student_data_is_not_made_to_enrol(client, stranger):
    log_in(client, stranger.username)
    assert client.get(reverse("start")).status_code == 200


def test_open_pages_without_the_second_factor(client, teacher):
    log_in(client, teacher.username)
    assert client.get(reverse("health")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_next_must_stay_on_the_site(client, teacher):
    device = with_device(teacher)
    log_in(client, teacher.username)
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("start")


def test_force_login_sessions_are_not_asked(client, teacher):
    """Tests log in with force_login (no login method): the app's pages stay open to them."""
    client.force_login(teacher)
    assert client.get(reverse("start")).status_code == 200


def test_a_feide_session_still_gives_the_second_factor_at_the_admin(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    session = client.session
    session[LOGIN_METHOD_KEY] = "feide"
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(SETUP)
