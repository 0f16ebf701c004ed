"""A constant answer through the whole middleware stack: for a load balancer, and the benchmark's baseline."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Touches no database table: it tells that the app answers, and what a request costs at the least."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
