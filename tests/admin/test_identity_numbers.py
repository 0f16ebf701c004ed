"""A guardian or student known by national identity number is registered in the admin as a hash only."""

import pytest
from django.urls import reverse

from accounts.forms import valid_identity_number
from accounts.models import Guardianship
from accounts.oidc.pid import pid_hash

from .verified import force_login_verified

pytestmark = pytest.mark.django_db

NUMBER = "01010750160"  # a syntactically valid test number (the mod-11 check digits hold)


@pytest.fixture
def sysadmin(django_user_model):
    return django_user_model.objects.create_superuser("sysadmin", "sys@example.org", "x" * 20)


def test_the_check_digits_are_checked():
    assert valid_identity_number(NUMBER)
    assert not valid_identity_number("01010750161") and not valid_identity_number("0101075016")


def test_a_guardianship_for_a_parent_without_an_account(client, sysadmin, minor, settings):
    settings.PID_HASH_KEY = "k" * 40
    force_login_verified(client, sysadmin)
    response = client.post(reverse("admin:accounts_guardianship_add"),
                           {"guardian": "", "identity_number": NUMBER, "student": minor.pk})
    assert response.status_code == 302
    guardianship = Guardianship.objects.get(student=minor, guardian__isnull=True)
    assert guardianship.guardian_pid_hash == pid_hash(NUMBER)
    page = client.get(reverse("admin:accounts_guardianship_change", args=[guardianship.pk])).content.decode()
    assert NUMBER not in page and guardianship.guardian_pid_hash not in page


def test_a_wrong_number_or_none_at_all_is_refused(client, sysadmin, minor, settings):
    settings.PID_HASH_KEY = "k" * 40
    force_login_verified(client, sysadmin)
    url = reverse("admin:accounts_guardianship_add")
    assert client.post(url, {"guardian": "", "identity_number": "01010750161", "student": minor.pk}).status_code == 200
    assert client.post(url, {"guardian": "", "identity_number": "", "student": minor.pk}).status_code == 200
    assert not Guardianship.objects.filter(student=minor, guardian__isnull=True).exists()


def test_without_a_hash_key_a_number_is_refused_not_a_500(client, sysadmin, minor, settings):
    settings.PID_HASH_KEY = ""
    force_login_verified(client, sysadmin)
    response = client.post(reverse("admin:accounts_guardianship_add"),
                           {"guardian": "", "identity_number": NUMBER, "student": minor.pk})
    assert response.status_code == 200 and "PID_HASH_KEY" in response.content.decode()
    assert not Guardianship.objects.filter(student=minor, guardian__isnull=True).exists()

