"""The idle timeout (accounts/idle.py): a login with no request for too long ends, with an event saying why."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import idle
from audit.models import AccessEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

KEEPALIVE = reverse("accounts:session_keepalive")


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SESSION_IDLE_MINUTES = 2
    settings.SESSION_IDLE_MINUTES_OTHERS = 5


def last_seen(client) -> int:
    return client.session[idle.LAST_SEEN]


def set_back(client, seconds: int) -> int:
    """Pretend the last request was `seconds` earlier; return the stored time."""
    session = client.session
    session[idle.LAST_SEEN] -= seconds
    session.save()
    return session[idle.LAST_SEEN]


def idle_logouts(user):
    return AccessEvent.objects.filter(user=user, action=AccessEvent.Action.LOGOUT, detail="idle timeout")


def logged_in(client, user):
    client.force_login(user)
    assert client.get(reverse("start")).status_code == 200  # the first request starts the clock
    return client


def test_a_staff_login_idle_beyond_the_limit_ends(client, teacher):
    logged_in(client, teacher)
    set_back(client, 2 * 60 + 1)
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    event = idle_logouts(teacher).get()
    assert event.object_type == "user" and event.object_id == str(teacher.pk)
    # One logout event, the one that says why: not a second, plain one from the logout signal.
    assert AccessEvent.objects.filter(user=teacher, action=AccessEvent.Action.LOGOUT).count() == 1


def test_a_request_within_the_limit_keeps_the_login(client, teacher):
    logged_in(client, teacher)
    set_back(client, 2 * 60 - 5)
    assert client.get(reverse("start")).status_code == 200
    assert "_auth_user_id" in client.session
    assert not idle_logouts(teacher).exists()


def test_an_idle_post_leads_to_the_login_page_and_back_to_the_form(client, teacher):
    """The draft flow: accounts.middleware.ExpiredLoginPostMiddleware sees the POST as anonymous."""
    logged_in(client, teacher)
    set_back(client, 3 * 60)
    form_page = reverse("accounts:password_change")
    response = client.post(KEEPALIVE, HTTP_REFERER=f"http://testserver{form_page}")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={form_page}"
    assert idle_logouts(teacher).count() == 1


def test_the_time_is_written_at_most_once_a_minute(client, teacher):
    logged_in(client, teacher)
    first = set_back(client, 30)
    client.get(reverse("start"))
    assert last_seen(client) == first  # 30 seconds: not rewritten
    set_back(client, 31)
    client.get(reverse("start"))
    assert last_seen(client) > first  # more than a minute: rewritten


def test_a_request_within_the_minute_costs_no_query(client, teacher, settings):
    """Neither a session write nor the staff question: both happen once (a minute, a login)."""
    def count(some_client):
        with CaptureQueriesContext(connection) as captured:
            assert some_client.get(reverse("start")).status_code == 200
        return len(captured)

    logged_in(client, teacher)
    with_idle = count(client)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "accounts.idle.IdleTimeoutMiddleware"]
    without = Client()  # a new client loads the middleware again
    without.cookies = client.cookies
    assert with_idle == count(without)


def test_the_keepalive_refreshes_the_time(client, teacher):
    logged_in(client, teacher)
    old = set_back(client, 100)
    response = client.post(KEEPALIVE)
    assert response.status_code == 200
    assert response.json() == {"remaining": 2 * 60}
    assert last_seen(client) >= old + 100
    assert "no-store" in response["Cache-Control"]


def test_the_keepalive_is_post_only(client, teacher):
    logged_in(client, teacher)
    old = set_back(client, 100)
    assert client.get(KEEPALIVE).status_code == 405
    assert last_seen(client) == old


def test_the_keepalive_needs_a_csrf_token(teacher):
    client = logged_in(Client(enforce_csrf_checks=True), teacher)
    assert client.post(KEEPALIVE).status_code == 403


def test_students_and_guardians_get_the_other_limit(client, guardian):
    logged_in(client, guardian)
    set_back(client, 4 * 60)  # beyond the staff limit, within theirs
    assert client.get(reverse("start")).status_code == 200
    set_back(client, 5 * 60 + 1)
    assert client.get(reverse("start")).status_code == 302
    assert idle_logouts(guardian).count() == 1


def test_health_checks_do_not_count_as_activity(client, teacher):
    logged_in(client, teacher)
    old = set_back(client, 90)
    assert client.get(reverse("health")).status_code == 200
    assert last_seen(client) == old


def test_the_page_is_told_the_time_left_and_the_keepalive(client, teacher):
    logged_in(client, teacher)
    set_back(client, 30)
    html = client.get(reverse("start")).content.decode()
    assert html.count("js/idle.js") == 1
    assert 'data-idle-seconds="120"' in html
    # 90 s left when the request began; a slow machine may take a second or two to answer.
    remaining = int(re.search(r'data-idle-remaining="(\d+)"', html).group(1))
    assert 85 <= remaining <= 90
    assert 'data-warning-seconds="120"' in html and f'data-keepalive-url="{KEEPALIVE}"' in html
    assert 'role="alertdialog"' in html


def test_no_idle_script_without_a_login(client):
    html = client.get(reverse("login")).content.decode()
    assert "js/idle.js" not in html and "idle-dialog" not in html


def test_writing_the_time_does_not_move_the_end_of_the_login(client, teacher):
    """SESSION_COOKIE_AGE stays an absolute limit: the idle time is written beside it, not through a save."""
    logged_in(client, teacher)
    key = client.session.session_key
    ends = Session.objects.get(session_key=key).expire_date
    old = set_back(client, 61)
    Session.objects.filter(session_key=key).update(expire_date=ends)  # as at login, whatever set_back did
    response = client.get(reverse("start"))
    assert last_seen(client) > old
    assert Session.objects.get(session_key=key).expire_date == ends
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.post(KEEPALIVE).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == ends


def test_a_login_starts_the_clock(client, teacher):
    client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert isinstance(client.session[idle.LAST_SEEN], int) and client.session[idle.STAFF] is True

