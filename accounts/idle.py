"""The idle timeout: a login that has seen no request for a while ends, on top of the session's absolute limit.

SESSION_COOKIE_AGE ends every login after a working day; this ends one left open on a shared
school computer. The limit is settings.SESSION_IDLE_MINUTES for staff (anyone with a
StaffMembership: they see many children's records) and SESSION_IDLE_MINUTES_OTHERS for
students and guardians.

The session keeps the time of the last request (epoch seconds) and whether the user is staff
(asked once per login, so a page costs no extra query; a staff role given during a login
counts from the next login). The time is written at most once a minute, since a write costs a
query: the limit holds to within a minute. It is written beside the session's expiry
(`write`), so it never moves the 10-hour end of the login. Health checks, static files and GETs
of the keep-alive URL are not activity. static/js/idle.js warns in the page before the limit
and POSTs to the keep-alive view (accounts/views/session.py), which writes the time at once.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from audit.log import record
from audit.models import AccessEvent

from .models import StaffMembership

LAST_SEEN = "idle_last_seen"  # epoch seconds of the last request that counted as activity
STAFF = "idle_staff"  # whether the staff limit applies, decided at the first request of the login
WRITE_EVERY = 60  # seconds: the timestamp is rewritten at most this often
# Requests that are not activity: a load balancer's probe, a static file. (They still end an idle login.)
PASSIVE_PREFIXES = ("/helse/",)


@dataclass(frozen=True)
class Idle:
    """What the page is told (templates/includes/idle_script.html): the limit and the time left, in seconds."""

    limit: int
    remaining: int

    @property
    def warning(self) -> int:
        """How long before the limit the page warns (never more than the limit)."""
        return min(int(settings.SESSION_IDLE_WARNING_SECONDS), self.limit)

    @property
    def warning_minutes(self) -> int:
        return max(1, round(self.warning / 60))


def limit_seconds(staff: bool) -> int:
    minutes = settings.SESSION_IDLE_MINUTES if staff else settings.SESSION_IDLE_MINUTES_OTHERS
    return max(1, int(minutes)) * 60


def touch(request: HttpRequest, now: int | None = None) -> Idle:
    """Count this moment as activity (the keep-alive view): write the timestamp now."""
    now = int(time.time()) if now is None else now
    write(request.session, {LAST_SEEN: now})
    limit = limit_seconds(request.session.get(STAFF, True))
    request.idle = Idle(limit=limit, remaining=limit)
    return request.idle


def write(session, values: dict) -> None:
    """Put `values` in the session without moving the end of the login (SESSION_COOKIE_AGE).

    Saving a session the usual way sets its expiry to now + SESSION_COOKIE_AGE (and sends the
    cookie again), so a write every minute would keep a busy login for ever. In the database
    backend the row's data is updated alone, its expire_date left as it is. A session that this
    request changes anyway is saved the usual way (as before), as is one in another backend.
    """
    direct = (not session.modified and session.session_key is not None
              and type(session) is DatabaseSessionStore)
    session.update(values)
    if direct:
        session.model.objects.filter(session_key=session.session_key).update(
            session_data=session.encode(session._get_session()))
        session.modified = False


@lru_cache(maxsize=1)
def _keepalive_path() -> str:
    return reverse("accounts:session_keepalive")


def _passive(path: str) -> bool:
    """Not activity: the probes, static files, and the keep-alive URL (its POST view writes the time itself)."""
    return path.startswith(PASSIVE_PREFIXES) or path.startswith(settings.STATIC_URL) or path == _keepalive_path()


class IdleTimeoutMiddleware:
    """Log out a user whose last request is older than their idle limit; the request goes on as anonymous.

    Then login_required sends a GET to the login page with `next`, and a POST goes through
    accounts.middleware.ExpiredLoginPostMiddleware (place this before it, after
    AuthenticationMiddleware), so the drafts of long texts come back after logging in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.idle = None
        if request.user.is_authenticated:
            self.check(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.modified and LAST_SEEN not in session and request.user.is_authenticated:
            session.update(self.start(request, int(time.time())))  # logged in just now: saved with the login, no extra write
        return response

    @staticmethod
    def start(request: HttpRequest, now: int) -> dict:
        return {LAST_SEEN: now, STAFF: StaffMembership.objects.filter(user=request.user).exists()}

    def check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        last = session.get(LAST_SEEN)
        if not isinstance(last, int) or last > now or STAFF not in session:
            # The first request of a login not made here (force_login), or a clock that went back.
            write(session, self.start(request, now))
            last = now
        limit = limit_seconds(session[STAFF])
        if now - last > limit:
            self.log_out(request)
            return
        if now - last >= WRITE_EVERY and not _passive(request.path_info):
            write(session, {LAST_SEEN: now})
            last = now
        request.idle = Idle(limit=limit, remaining=max(0, limit - (now - last)))

    @staticmethod
    def log_out(request: HttpRequest) -> None:
        """What django.contrib.auth.logout does, but one access-log event that says why.

        logout() would send user_logged_out, and audit.receivers would write a second,
        plain `logout` event for the same logout.
        """
        user = request.user
        record(request, action=AccessEvent.Action.LOGOUT, object_type="user", object_id=user.pk, user=user,
               detail="idle timeout")
        request.session.flush()
        request.user = AnonymousUser()
