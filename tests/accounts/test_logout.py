"""Logging out, and drafts kept per user: no text about a child is left for the next user of a browser."""

import pytest
from django.urls import reverse

from iop.models import Plan
from tests.iop.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_logout_asks_the_browser_to_clear_the_site_storage(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session


def test_logout_clears_the_storage_even_without_a_session(client):
    """A tab whose login expired may still hold drafts; its Log out button must clear them too."""
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_the_logout_button_clears_the_drafts_before_submitting(client, teacher):
    client.force_login(teacher)
    html = client.get(reverse("start")).content.decode()
    assert f'action="{reverse("logout")}" data-drafts-clear' in html
    assert html.count("js/drafts.js") == 1  # the script the attribute needs, once


def test_the_drafts_script_is_told_whose_drafts_without_naming_the_user(client, teacher, coteacher):
    """The browser keeps drafts per user under a keyed hash of the user id, not the id itself."""
    def owner(user):
        client.force_login(user)
        html = client.get(reverse("start")).content.decode()
        return html.split('data-user="', 1)[1].split('"', 1)[0]

    teachers = owner(teacher)
    assert len(teachers) >= 16 and teachers != str(teacher.pk) and teacher.username not in teachers
    assert owner(teacher) == teachers  # the same after the next login: the draft is still theirs
    assert owner(coteacher) != teachers


def test_a_page_with_drafts_has_the_drafts_script_once(client, admin, minor):
    plan = PlanFactory(student=minor, stage=Plan.Stage.DRAFT)
    client.force_login(admin)
    html = client.get(f"/iop/{plan.pk}/del1/").content.decode()
    assert "data-draft-key=" in html
    assert html.count("js/drafts.js") == 1 and html.count("data-user=") == 1
