"""Who may import a roster, and see an import (docs/architecture.md §4).

A system administrator (a superuser who has given the second factor, as for the Django admin)
imports for every school; a school's IOP admin for their own school only. An import's page shows
names and changes of the school's people: staff of the school without the right get 403, everyone
else 404, and a read is logged like any record.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import admin_schools, grant_read, is_iop_admin, is_staff_of, require
from accounts.second_factor import is_verified

from .models import ImportRun

IMPORT = "roster_import"


def is_system_admin(user) -> bool:
    return user.is_active and user.is_superuser and is_verified(user)


def may_import(user, *, iop_admin_somewhere: bool | None = None) -> bool:
    """`iop_admin_somewhere`: admin_schools(user) is not empty, if the caller has read it already."""
    if iop_admin_somewhere is None:
        return is_system_admin(user) or admin_schools(user).exists()
    return is_system_admin(user) or iop_admin_somewhere


def import_schools(user) -> QuerySet:
    """The schools the user imports for, one at a time (a system administrator imports without one)."""
    return admin_schools(user).order_by("name")


def imports_visible_to(user) -> QuerySet:
    if is_system_admin(user):
        return ImportRun.objects.all()
    return ImportRun.objects.filter(school__in=admin_schools(user))


def get_import_for(request, pk) -> ImportRun:
    """One import: the system administrator, or the IOP admin of its school."""
    user = request.user
    run = get_object_or_404(ImportRun.objects.select_related("school", "created_by", "applied_by"), pk=pk)
    allowed = is_system_admin(user) or (run.school is not None and is_iop_admin(user, run.school))
    insider = run.school is not None and is_staff_of(user, run.school)
    what = {"object_type": IMPORT, "object_id": run.pk, "school": run.school}
    require(allowed, insider=insider, **what)
    grant_read(request, **what)
    return run


def require_importer(request) -> None:
    """The upload page: anyone else gets 404 (the page does not exist for them)."""
    require(may_import(request.user), insider=False, object_type=IMPORT)
