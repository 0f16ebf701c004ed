"""What the page header shows: who is logged in, at which school, in which roles."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .access import admin_schools, children_of, principal_schools, student_self
from .models import StaffMembership


def header(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"header": SimpleLazyObject(lambda: _header_for(user))}


def _header_for(user) -> dict:
    roles = []
    if admin_schools(user).exists():
        roles.append(_("IOP admin"))
    if principal_schools(user).exists():
        roles.append(_("Principal"))
    if StaffMembership.objects.filter(user=user, role=StaffMembership.Role.TEACHER).exists():
        roles.append(_("Teacher"))
    if children_of(user).exists():
        roles.append(_("Guardian"))
    if student_self(user).exists():
        roles.append(_("Student"))
    schools = sorted(
        {m.school.name for m in StaffMembership.objects.filter(user=user).select_related("school")}
        | {s.school.name for s in student_self(user).select_related("school")}
    )
    return {"roles": roles, "schools": schools}
