"""The keep-alive of the idle timeout (accounts/idle.py), called by static/js/idle.js."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import idle


@require_POST
@login_required
@never_cache
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """Any logged-in user: count now as activity; answer the seconds left before the idle logout.

    A login that has already ended never gets here: the POST is anonymous and goes to the login page.
    """
    return JsonResponse({"remaining": idle.touch(request).remaining})
