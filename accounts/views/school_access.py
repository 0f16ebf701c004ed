"""The Tilgang page, where a principal hands out the IOP-admin role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.selectors import grants_to_self

from .. import access
from ..forms import SelfGrantForm
from ..models import StaffMembership, User
from ..services import IOP_ADMIN_ROLE, RoleChangeRefused, iop_admin_grant, iop_admin_revoke


@login_required
def school_access(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The school's principal: the staff list with the IOP-admin role of each."""
    school = access.get_school_for_principal(request, school_pk)
    memberships = (
        StaffMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    admins = access.iop_admin_ids(school)
    staff = {}
    for membership in memberships:
        entry = staff.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        entry["roles"].append(membership.get_role_display())
    rows = [{**entry, "is_admin": user_id in admins} for user_id, entry in staff.items()]
    self_grants = grants_to_self(school.pk, IOP_ADMIN_ROLE)
    return render(request, "accounts/school_access.html", {"school": school, "rows": rows, "self_grants": self_grants})


ROLE_CHANGES = {"grant": iop_admin_grant, "revoke": iop_admin_revoke}


@login_required
@require_http_methods(["GET", "POST"])
def school_access_change(request: HttpRequest, school_pk: int, user_pk: int, action: str) -> HttpResponse:
    """The school's principal: confirm (GET) and perform (POST) a grant or revoke."""
    school = access.get_school_for_principal(request, school_pk)
    if action not in ROLE_CHANGES:
        raise Http404
    person = get_object_or_404(User.objects.filter(staff_memberships__school=school).distinct(), pk=user_pk)
    to_self = action == "grant" and person == request.user
    form = SelfGrantForm(request.POST if request.method == "POST" else None) if to_self else None
    if request.method == "GET" or (form is not None and not form.is_valid()):
        context = {"school": school, "person": person, "action": action, "form": form}
        return render(request, "accounts/school_access_confirm.html", context)
    try:
        ROLE_CHANGES[action](school=school, user=person, request=request)
    except RoleChangeRefused:
        raise Http404 from None
    if action == "grant":
        messages.success(request, _("%(name)s is now IOP admin.") % {"name": person})
    else:
        messages.success(request, _("%(name)s is no longer IOP admin.") % {"name": person})
    return redirect("accounts:school_access", school_pk=school.pk)
