"""The Tilgang page, where a principal hands out the school roles: IOP admin, IKO team and case creator."""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from audit.selectors import grants_to_self

from .. import access
from ..forms import SelfGrantForm
from ..models import StaffMembership, User
from ..services import (
    CASE_CREATOR_ROLE,
    IKO_TEAM_ROLE,
    IOP_ADMIN_ROLE,
    RoleChangeRefused,
    case_creator_grant,
    case_creator_revoke,
    iko_team_grant,
    iko_team_revoke,
    iop_admin_grant,
    iop_admin_revoke,
)


class SchoolRole(NamedTuple):
    """What the page needs of a school role; `key` tells the templates which role it is."""

    key: str
    grant: Callable[..., None]
    revoke: Callable[..., None]
    granted: str  # the success messages, with %(name)s
    revoked: str
    self_grant_label: str | None = None  # the self-grant box's label, if not the form's own (IOP admin)


IOP_ADMIN = SchoolRole("iop_admin", iop_admin_grant, iop_admin_revoke,
                       _("%(name)s is now IOP admin."), _("%(name)s is no longer IOP admin."))
IKO_TEAM = SchoolRole("iko_team", iko_team_grant, iko_team_revoke,
                      _("%(name)s is now on the IKO team."), _("%(name)s is no longer on the IKO team."),
                      _("I am adding myself to the IKO team, and the school's other principals will see it."))
CASE_CREATOR = SchoolRole("case_creator", case_creator_grant, case_creator_revoke,
                          _("%(name)s may now create person cases."), _("%(name)s may no longer create person cases."),
                          _("I am giving myself the case-creator role, and the school's other principals will see it."))

# The self-grants each principal of the school sees: context key → the role's log type, and the heading.
SELF_GRANTS = {"self_grants": IOP_ADMIN_ROLE, "iko_self_grants": IKO_TEAM_ROLE, "case_self_grants": CASE_CREATOR_ROLE}
SELF_GRANT_HEADINGS = {
    "self_grants": _("Principals who made themselves IOP admin"),
    "iko_self_grants": _("Principals who added themselves to the IKO team"),
    "case_self_grants": _("Principals who made themselves case creator"),
}

# The URL's action slug → the role, and whether it is granted (or revoked).
ROLE_CHANGES = {
    "grant": (IOP_ADMIN, True),
    "revoke": (IOP_ADMIN, False),
    "grant_iko": (IKO_TEAM, True),
    "revoke_iko": (IKO_TEAM, False),
    "grant_cases": (CASE_CREATOR, True),
    "revoke_cases": (CASE_CREATOR, False),
}


@login_required
def school_access(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's principal: the staff list with the school roles of each."""
    school = access.get_school_for_principal(request, school_pk)
    memberships = (
        StaffMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    holders = access.school_role_ids(school)
    admins, iko_team = holders[access.IOP_ADMIN_PERMISSION], holders[access.IKO_TEAM_PERMISSION]
    case_creators = holders[access.CASE_CREATOR_PERMISSION]
    staff = {}
    for membership in memberships:
        entry = staff.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        entry["roles"].append(membership.get_role_display())
    rows = [{**entry, "is_admin": user_id in admins, "is_iko_team": user_id in iko_team,
             "is_case_creator": user_id in case_creators}
            for user_id, entry in staff.items()]
    self_grants = {key: grants_to_self(school.pk, role) for key, role in SELF_GRANTS.items()}
    context = {"school": school, "rows": rows, **self_grants,
               "self_grant_sections": [(SELF_GRANT_HEADINGS[key], events) for key, events in self_grants.items()]}
    return render(request, "accounts/school_access.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def school_access_change(request: HttpRequest, school_pk: int, user_pk: int, action: str) -> HttpResponse:
    """The school's principal: confirm (GET) and perform (POST) a grant or revoke of a school role."""
    school = access.get_school_for_principal(request, school_pk)
    if action not in ROLE_CHANGES:
        raise Http404
    role, granting = ROLE_CHANGES[action]
    person = get_object_or_404(User.objects.filter(staff_memberships__school=school).distinct(), pk=user_pk)
    form = None
    if granting and person == request.user:
        form = SelfGrantForm(request.POST if request.method == "POST" else None)
        if role.self_grant_label:
            form.fields["confirm"].label = role.self_grant_label
    if request.method == "GET" or (form is not None and not form.is_valid()):
        context = {"school": school, "person": person, "action": action, "role": role.key, "granting": granting,
                   "form": form}
        return render(request, "accounts/school_access_confirm.html", context)
    change = role.grant if granting else role.revoke
    try:
        change(school=school, user=person, request=request)
    except RoleChangeRefused:
        raise Http404 from None
    messages.success(request, (role.granted if granting else role.revoked) % {"name": person})
    return redirect("accounts:school_access", school_pk=school.pk)
