"""The Django admin: every model is there and its list, search and filters work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from .admin.verified import force_login_verified
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_accounts_model_is_registered():
    missing = [m.__name__ for m in apps.get_app_config("accounts").get_models() if m not in admin.site._registry]
    assert missing == []


def test_changelists_search_and_filter_for_a_superuser(client, cast, minor, school_a):
    force_login_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "accounts":
            continue
        url = reverse(f"admin:accounts_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "Emma"}).status_code == 200, url
    assert client.get(reverse("admin:accounts_student_change", args=[minor.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[cast["admin"].pk])).status_code == 200
    assert client.get(reverse("admin:accounts_school_change", args=[school_a.pk])).status_code == 200


def test_admin_is_closed_to_app_users(client, admin):
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
