"""Every admin page answers a system administrator (no 500), with data in every table."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.shortcuts import assign_perm

from ..factories import request_as
from .builders import STUDENT_DATA, batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(cast, minor, school_a):
    for make in STUDENT_DATA.values():
        make(minor)
    batch(school_a)
    group = Group.objects.create(name="Rådgivere")
    assign_perm("accounts.administer_iop", group, school_a)


def test_every_list_change_and_add_page_answers(client, sysadmin, everything):
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = client.get(reverse(f"{name}_changelist"))
        assert response.status_code == 200, name
        if model_admin.search_fields:
            assert client.get(reverse(f"{name}_changelist"), {"q": "Emma"}).status_code == 200, name
        for obj in model._default_manager.all()[:3]:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, (name, obj.pk)
            assert client.get(reverse(f"{name}_history", args=[obj.pk])).status_code == 200, (name, obj.pk)
        add = client.get(reverse(f"{name}_add")).status_code
        assert add == (200 if model_admin.has_add_permission(request_as(sysadmin)) else 403), name
