"""Changes that span models: handing out and taking back the IOP-admin role."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from audit.log import record

from .access import IOP_ADMIN_PERMISSION, is_iop_admin
from .models import School, StaffMembership, User


IOP_ADMIN_ROLE = "iop_admin_role"  # how the access log names the role


class RoleChangeRefused(Exception):
    """The change makes no sense (e.g. the person does not work at the school)."""


def iop_admin_grant(*, school: School, user: User, request=None) -> None:
    """Make a staff member IOP admin of the school (the caller has checked who may)."""
    _require_staff(school=school, user=user)
    with transaction.atomic():
        if not is_iop_admin(user, school):
            assign_perm(IOP_ADMIN_PERMISSION, user, school)
        record(request, action="granted", object_type=IOP_ADMIN_ROLE, object_id=user.pk, school=school,
               detail=user.username)


def iop_admin_revoke(*, school: School, user: User, request=None) -> None:
    """Take the role back; also from someone who has left the school (the grant no longer counts, but goes)."""
    with transaction.atomic():
        remove_perm(IOP_ADMIN_PERMISSION, user, school)
        record(request, action="revoked", object_type=IOP_ADMIN_ROLE, object_id=user.pk, school=school,
               detail=user.username)


def _require_staff(*, school: School, user: User) -> None:
    if not StaffMembership.objects.filter(school=school, user=user).exists():
        raise RoleChangeRefused
