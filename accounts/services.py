"""Changes that span models: handing out and taking back the IOP-admin role."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from .access import IOP_ADMIN_PERMISSION, is_iop_admin, is_principal, require
from .models import School, StaffMembership, User


class RoleChangeRefused(Exception):
    """The change makes no sense (e.g. the person does not work at the school)."""


def iop_admin_grant(*, school: School, user: User, by: User) -> None:
    _check_role_change(school=school, user=user, by=by)
    with transaction.atomic():
        if not is_iop_admin(user, school):
            assign_perm(IOP_ADMIN_PERMISSION, user, school)


def iop_admin_revoke(*, school: School, user: User, by: User) -> None:
    _check_role_change(school=school, user=user, by=by)
    with transaction.atomic():
        remove_perm(IOP_ADMIN_PERMISSION, user, school)


def _check_role_change(*, school: School, user: User, by: User) -> None:
    require(is_principal(by, school), insider=True)
    if not StaffMembership.objects.filter(school=school, user=user).exists():
        raise RoleChangeRefused
