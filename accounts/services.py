"""Changes that span models: handing out and taking back the school roles (IOP admin, IKO team, case
creator); relations that end."""

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from audit.log import record

from .access import (
    CASE_CREATOR_PERMISSION,
    IKO_TEAM_PERMISSION,
    IOP_ADMIN_PERMISSION,
    is_case_creator,
    is_iko_team,
    is_iop_admin,
)
from .guidance import forget_words
from .models import Enrollment, GuidanceWord, Guardianship, School, StaffMembership, Student, User


# How the access log names the roles.
IOP_ADMIN_ROLE = "iop_admin_role"
IKO_TEAM_ROLE = "iko_team_role"
CASE_CREATOR_ROLE = "case_creator_role"


class RoleChangeRefused(Exception):
    """The change makes no sense (e.g. the person does not work at the school)."""


class _SchoolRole(NamedTuple):
    log_type: str
    permission: str
    holds: Callable[[User, School], bool]


_IOP_ADMIN = _SchoolRole(IOP_ADMIN_ROLE, IOP_ADMIN_PERMISSION, is_iop_admin)
_IKO_TEAM = _SchoolRole(IKO_TEAM_ROLE, IKO_TEAM_PERMISSION, is_iko_team)
_CASE_CREATOR = _SchoolRole(CASE_CREATOR_ROLE, CASE_CREATOR_PERMISSION, is_case_creator)


def iop_admin_grant(*, school: School, user: User, request=None) -> None:
    """Make a staff member IOP admin of the school (the caller has checked who may)."""
    _role_grant(_IOP_ADMIN, school=school, user=user, request=request)


def iop_admin_revoke(*, school: School, user: User, request=None) -> None:
    """Take the IOP-admin role back; also from someone who has left the school."""
    _role_revoke(_IOP_ADMIN, school=school, user=user, request=request)


def iko_team_grant(*, school: School, user: User, request=None) -> None:
    """Add a staff member to the school's IKO team (the caller has checked who may)."""
    _role_grant(_IKO_TEAM, school=school, user=user, request=request)


def iko_team_revoke(*, school: School, user: User, request=None) -> None:
    """Take the IKO-team role back; also from someone who has left the school."""
    _role_revoke(_IKO_TEAM, school=school, user=user, request=request)


def case_creator_grant(*, school: School, user: User, request=None) -> None:
    """Let a staff member create person cases at the school (the caller has checked who may)."""
    _role_grant(_CASE_CREATOR, school=school, user=user, request=request)


def case_creator_revoke(*, school: School, user: User, request=None) -> None:
    """Take the case-creator role back; the cases they handle stay theirs (that is a naming per case)."""
    _role_revoke(_CASE_CREATOR, school=school, user=user, request=request)


def _role_grant(role: _SchoolRole, *, school: School, user: User, request) -> None:
    """Only staff of the school get a school role; granting it again changes nothing but is logged."""
    _require_staff(school=school, user=user)
    with transaction.atomic():
        if not role.holds(user, school):
            assign_perm(role.permission, user, school)
        record(request, action="granted", object_type=role.log_type, object_id=user.pk, school=school,
               detail=user.username)


def _role_revoke(role: _SchoolRole, *, school: School, user: User, request) -> None:
    """Someone who has left the school loses the grant too (it no longer counts, but goes)."""
    with transaction.atomic():
        remove_perm(role.permission, user, school)
        record(request, action="revoked", object_type=role.log_type, object_id=user.pk, school=school,
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
    """The person has left the school's staff: teaching access there ends; school-role grants stop counting."""
    for part in _chunks(membership_ids):
        StaffMembership.objects.filter(pk__in=part).delete()


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def guidance_words_replace(*, owner_name: str, language: str, words: list[str], request=None) -> int:
    """Set a county's or municipality's own additions to the free-text word list for one language (the default
    list stays as it is). Returns how many words the owner now has for the language."""
    wanted = sorted({word.strip().lower()[:100] for word in words if word.strip()})
    with transaction.atomic():
        GuidanceWord.objects.filter(owner_name=owner_name, language=language).exclude(word__in=wanted).delete()
        known = set(GuidanceWord.objects.filter(owner_name=owner_name, language=language)
                    .values_list("word", flat=True))
        GuidanceWord.objects.bulk_create([GuidanceWord(owner_name=owner_name, language=language, word=word)
                                          for word in wanted if word not in known])
        record(request, action="changed", object_type="guidance_words", object_id=language,
               detail=f"{owner_name}: {len(wanted)} words")
    transaction.on_commit(forget_words)
    return len(wanted)
