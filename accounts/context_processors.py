"""What the page header shows: who is logged in, at which school, in which roles."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .header import cached_header

ROLE_NAMES = {
    "admin": _("IOP admin"), "principal": _("Principal"), "teacher": _("Teacher"),
    "guardian": _("Guardian"), "student": _("Student"),
}


def header(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"header": SimpleLazyObject(lambda: _translated(cached_header(request)))}


def _translated(header: dict) -> dict:
    return {"roles": [str(ROLE_NAMES[role]) for role in header["roles"]], "schools": header["schools"]}
