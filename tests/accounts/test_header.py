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


def test_a_revoked_grant_leaves_the_header_at_the_next_page(client, admin, school_a,
                                                            django_capture_on_commit_callbacks):
    from accounts.services import iop_admin_revoke

    client.force_login(admin)
    assert "IOP-ansvarlig" in header(client)
    with django_capture_on_commit_callbacks(execute=True):
        iop_admin_revoke(school=school_a, user=admin)
    assert "IOP-ansvarlig" not in header(client) and "Lærer" in header(client)


def test_an_ended_guardianship_leaves_the_header_at_the_next_page(client, guardian,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(guardian)
    assert "Foresatt" in header(client)
    with django_capture_on_commit_callbacks(execute=True):
        guardian.guardianships.all().delete()
    assert "Foresatt" not in header(client)


def test_a_roster_import_makes_every_header_be_read_again(client, stranger, school_a):
    """Imports write staff and guardians in bulk, with no signal per row."""
    from accounts.header import forget_every_header
    from accounts.models import StaffMembership

    client.force_login(stranger)
    assert "Lærer" not in header(client)
    StaffMembership.objects.bulk_create([StaffMembership(user=stranger, school=school_a, role=StaffMembership.Role.TEACHER)])
    assert "Lærer" not in header(client)  # still the cached label
    forget_every_header()
    assert "Lærer" in header(client)
