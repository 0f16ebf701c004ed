"""What the page header shows: who is logged in, at which school, in which roles."""

import hashlib

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .access import admin_schools, children_of, is_teacher_anywhere, principal_schools, student_self
from .models import StaffMembership

ROLE_NAMES = {
    "admin": _("IOP admin"), "principal": _("Principal"), "teacher": _("Teacher"),
    "guardian": _("Guardian"), "student": _("Student"),
}
# The header is a label, not an access check (every view checks live), so it is cached for a
# few minutes per login session: its seven queries were a fifth of a light page's cost at county
# scale. A role granted or revoked shows in the header within this time, or at the next login.
# It is kept in the cache, not the session: writing the session would extend its expiry.
HEADER_SECONDS = 300


def header(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"header": SimpleLazyObject(lambda: _translated(_cached_header(request)))}


def _cached_header(request) -> dict:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return _header_for(request.user)
    key = f"iop-header:{hashlib.sha256(session_key.encode()).hexdigest()}:{request.user.pk}"
    header = cache.get(key)
    if header is None:
        header = _header_for(request.user)
        cache.set(key, header, HEADER_SECONDS)
    return header


def _translated(header: dict) -> dict:
    return {"roles": [str(ROLE_NAMES[role]) for role in header["roles"]], "schools": header["schools"]}


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
