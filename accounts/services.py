"""Changes that span models: handing out and taking back the IOP-admin role; relations that end."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from audit.log import record

from .access import IOP_ADMIN_PERMISSION, is_iop_admin
from .models import Enrollment, Guardianship, School, StaffMembership, Student, User


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


# The roster import (roster app) ends relations through these: the rules of an ending live here.

def students_leave(*, student_ids: list[int], on: date) -> int:
    """The students left the school on `on`: their records stay; their enrollments still open end that day.

    Returns the number of enrollments ended.
    """
    ended = 0
    for part in _chunks(student_ids):
        Student.objects.filter(pk__in=part).update(left_on=on)
        ended += Enrollment.objects.filter(student_id__in=part).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)).update(ended_on=on)
    return ended


def enrollments_end(*, enrollment_ids: list[int], on: date) -> None:
    """The students left these subjects on `on`; the enrollment (and who taught it) stays as history."""
    for part in _chunks(enrollment_ids):
        Enrollment.objects.filter(pk__in=part).update(ended_on=on)


def enrollment_teachers_remove(*, pairs: list[tuple[int, int]]) -> None:
    """(enrollment, teacher) pairs: the teacher no longer teaches the subject to the student."""
    through = Enrollment.teachers.through
    condition = Q()
    for enrollment_id, user_id in pairs:
        condition |= Q(enrollment_id=enrollment_id, user_id=user_id)
    if pairs:
        through.objects.filter(condition).delete()


def guardianships_end(*, guardianship_ids: list[int]) -> None:
    """The guardianship has ended (the school system no longer lists it): the guardian's access ends now."""
    for part in _chunks(guardianship_ids):
        Guardianship.objects.filter(pk__in=part).delete()


def staff_memberships_end(*, membership_ids: list[int]) -> None:
    """The person has left the school's staff: teaching access there ends; the IOP-admin grant stops counting."""
    for part in _chunks(membership_ids):
        StaffMembership.objects.filter(pk__in=part).delete()


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
