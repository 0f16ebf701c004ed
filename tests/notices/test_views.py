"""The in-app notices: the start page's block, the list, opening and marking read, the e-mail choices.
A user only ever sees and touches their own notices."""

import pytest
from django.urls import reverse

from notices.models import Event, Notice
from notices.services import email_events_of, preference_set

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frida_notice(guardian):
    return NoticeFactory(user=guardian, url=reverse("start"))


@pytest.fixture
def bob_notice(teacher):
    return NoticeFactory(user=teacher, event=Event.PLAN_PUBLISHED_TO_TEACHERS)


def test_the_start_page_shows_the_latest_unread_notices(client, guardian, frida_notice, bob_notice):
    read = NoticeFactory(user=guardian, read_at="2026-01-01T00:00Z")
    client.force_login(guardian)
    response = client.get(reverse("start"))
    assert list(response.context["latest_notices"]) == [frida_notice]
    assert reverse("notices:open", args=[frida_notice.pk]) in response.content.decode()
    assert reverse("notices:open", args=[read.pk]) not in response.content.decode()


def test_the_start_page_has_no_notice_block_without_unread_notices(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("start"))
    assert 'data-testid="latest-notices"' not in response.content.decode()


def test_the_list_shows_ones_own_notices_only(client, guardian, frida_notice, bob_notice):
    client.force_login(guardian)
    response = client.get(reverse("notices:list"))
    assert response.status_code == 200
    assert list(response.context["paged"].page.object_list) == [frida_notice]
    assert "Emma" in response.content.decode()


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, guardian, frida_notice):
    client.force_login(guardian)
    response = client.post(reverse("notices:open", args=[frida_notice.pk]))
    assert response.status_code == 302 and response.url == frida_notice.url
    frida_notice.refresh_from_db()
    assert frida_notice.read_at is not None


def test_a_notice_pointing_elsewhere_is_not_followed(client, guardian):
    notice = NoticeFactory(user=guardian, url="https://evil.example/")
    client.force_login(guardian)
    response = client.post(reverse("notices:open", args=[notice.pk]))
    assert response.url == reverse("notices:list")


def test_someone_elses_notice_is_a_404_and_stays_unread(client, guardian, bob_notice):
    client.force_login(guardian)
    assert client.post(reverse("notices:open", args=[bob_notice.pk])).status_code == 404
    assert client.post(reverse("notices:mark_read"), {"notice": bob_notice.pk}).status_code == 404
    assert client.post(reverse("notices:mark_read"), {"notice": "junk"}).status_code == 404
    bob_notice.refresh_from_db()
    assert bob_notice.read_at is None


def test_mark_one_read_then_back_to_the_page(client, guardian, frida_notice):
    other = NoticeFactory(user=guardian)
    client.force_login(guardian)
    response = client.post(reverse("notices:mark_read"), {"notice": frida_notice.pk, "next": reverse("start")})
    assert response.status_code == 302 and response.url == reverse("start")
    assert set(Notice.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {frida_notice.pk}
    assert Notice.objects.get(pk=other.pk).read_at is None


def test_mark_all_read_touches_only_ones_own(client, guardian, frida_notice, bob_notice):
    client.force_login(guardian)
    response = client.post(reverse("notices:mark_read"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("notices:list")
    assert Notice.objects.get(pk=frida_notice.pk).read_at is not None
    assert Notice.objects.get(pk=bob_notice.pk).read_at is None


@pytest.mark.parametrize("name", ["notices:mark_read", "notices:open"])
def test_the_changes_are_post_only(client, guardian, frida_notice, name):
    client.force_login(guardian)
    args = [frida_notice.pk] if name == "notices:open" else []
    assert client.get(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("name", ["notices:list", "notices:preferences"])
def test_the_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response.url


def test_preferences_choose_which_events_come_by_email(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("notices:preferences"))
    assert response.status_code == 200
    assert set(response.context["form"].initial["email_events"]) == set(Event.values)
    wanted = [Event.ASSESSMENT_DUE, Event.PLAN_PUBLISHED_TO_TEACHERS]
    response = client.post(reverse("notices:preferences"), {"email_events": wanted})
    assert response.status_code == 302
    assert set(email_events_of(teacher)) == set(wanted)
    response = client.post(reverse("notices:preferences"), {})  # every box unticked: no e-mail at all
    assert email_events_of(teacher) == []


def test_an_unknown_event_is_refused_with_a_message(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("notices:preferences"), {"email_events": ["nonsense"]})
    assert response.status_code == 200 and response.context["form"].errors
    assert set(email_events_of(teacher)) == set(Event.values)


def test_turning_an_event_off_stops_its_waiting_emails(teacher):
    waiting = NoticeFactory(user=teacher, event=Event.ASSESSMENT_DUE, email_state=Notice.EmailState.PENDING)
    preference_set(user=teacher, email_events=[])
    waiting.refresh_from_db()
    assert waiting.email_state == Notice.EmailState.NOT_WANTED
