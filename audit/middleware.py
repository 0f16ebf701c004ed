"""Writes a `denied` event when an access helper refuses a request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .exceptions import AccessRefusal
from .log import record
from .models import AccessEvent


class DeniedAccessMiddleware:
    """Records AccessForbidden / AccessHidden raised by a view, then lets Django answer 403/404.

    Place it right after AuthenticationMiddleware, so `request.user` is set and
    no middleware below it can turn the exception into a response first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, AccessRefusal):
            record(
                request,
                action=AccessEvent.Action.DENIED,
                object_type=exception.object_type,
                object_id=exception.object_id,
                student=exception.student,
                school=exception.school,
                detail=request.path[:200],
            )
        return None
