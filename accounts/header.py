"""The page header's roles and schools, cached per login session until someone's roles change."""

import hashlib
import secrets

from django.core.cache import cache

from .access import admin_schools, children_of, is_teacher_anywhere, principal_schools, student_self
from .models import StaffMembership

# The header is a label, not an access check (every view checks live), so it is cached for a
# few minutes per login session: its seven queries were a fifth of a light page's cost at county
# scale. It is kept in the cache, not the session: writing the session would extend its expiry.
# A change to someone's roles (accounts/receivers.py) or a roster import makes every node read
# it afresh at the next page, when the nodes share a cache (CACHE_URL); a per-process cache
# forgets only in the process that made the change, the others within HEADER_SECONDS.
HEADER_SECONDS = 300
EVERYONE_KEY = "iop-roles-changed"


def forget_header(user_id: int) -> None:
    """The user's roles have changed: each of their sessions reads its header afresh."""
    cache.set(_changed_key(user_id), secrets.token_hex(8), HEADER_SECONDS)


def forget_every_header() -> None:
    """Anyone's roles may have changed (a roster import writes in bulk)."""
    cache.set(EVERYONE_KEY, secrets.token_hex(8), HEADER_SECONDS)


def _changed_key(user_id: int) -> str:
    return f"iop-roles-changed:{user_id}"


def cached_header(request) -> dict:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return _header_for(request.user)
    key = f"iop-header:{hashlib.sha256(session_key.encode()).hexdigest()}:{request.user.pk}"
    found = cache.get_many([key, _changed_key(request.user.pk), EVERYONE_KEY])
    marks = (found.get(_changed_key(request.user.pk)), found.get(EVERYONE_KEY))
    cached = found.get(key)
    if cached and cached[0] == marks:
        return cached[1]
    header = _header_for(request.user)
    cache.set(key, (marks, header), HEADER_SECONDS)
    return header


def _header_for(user) -> dict:
    checks = {
        "admin": lambda: admin_schools(user).exists(),
        "principal": lambda: principal_schools(user).exists(),
        "teacher": lambda: is_teacher_anywhere(user),
        "guardian": lambda: children_of(user).exists(),
        "student": lambda: student_self(user).exists(),
    }
    schools = sorted(
        {m.school.name for m in StaffMembership.objects.filter(user=user).select_related("school")}
        | {s.school.name for s in student_self(user).select_related("school")}
    )
    return {"roles": [role for role, check in checks.items() if check()], "schools": schools}
