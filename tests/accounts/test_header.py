"""The page header names the user's roles and schools, in the user's language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def header(client) -> str:
    html = client.get(reverse("start")).content.decode()
    return html[html.index("<header"):html.index("</header>")]


def test_the_header_names_roles_and_school(client, admin, school_a):
    client.force_login(admin)
    assert "IOP-ansvarlig, Lærer" in header(client) and school_a.name in header(client)


def test_the_next_user_in_the_same_browser_gets_their_own_header(client, admin, guardian, minor):
    client.force_login(admin)
    assert "IOP-ansvarlig" in header(client)
    client.force_login(guardian)
    assert "Foresatt" in header(client) and "IOP-ansvarlig" not in header(client)


def test_the_roles_follow_the_language(client, admin):
    client.force_login(admin)
    header(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "IOP admin, Teacher" in header(client)


def test_browsing_does_not_extend_the_session(client, admin):
    """The session ends 10 hours after login however busy the day: pages do not rewrite it."""
    client.force_login(admin)
    for _ in range(2):
        response = client.get(reverse("start"))
        assert "sessionid" not in response.cookies
