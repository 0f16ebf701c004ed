"""Refusals raised by the access helpers, so the denial is written to the access log.

`accounts.access.deny()` raises these instead of plain PermissionDenied/Http404;
`audit.middleware.DeniedAccessMiddleware` records them. A plain Http404 (a
mistyped URL, a missing object) is not an attempt on a record and is not logged.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class AccessRefusal(Exception):
    """What was asked for: the same keywords as `audit.log.record`."""

    def __init__(self, *args, object_type: str = "", object_id: object = "", student=None, school=None):
        super().__init__(*args)
        self.object_type = object_type
        self.object_id = object_id
        self.student = student
        self.school = school


class AccessForbidden(AccessRefusal, PermissionDenied):
    """403: the user may know the record exists but may not do this."""


class AccessHidden(AccessRefusal, Http404):
    """404: the user is an outsider to the record."""
