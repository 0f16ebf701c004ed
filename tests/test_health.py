"""The health endpoint answers anyone, cheaply, and only to GET."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login_or_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_refuses_other_methods(client, teacher):
    client.force_login(teacher)
    assert client.post(reverse("health")).status_code == 405
