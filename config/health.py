"""Health checks for a load balancer and the container, and the probe that calls them.

- `/helse/` is a constant answer through the whole middleware stack, touching no
  database: the app answers (Docker's HEALTHCHECK), and the benchmark's baseline.
- `/helse/db/` also runs `SELECT 1` on the default database: the instance can
  serve pages (a load balancer's check; docker-compose.yml's healthcheck).

`python -m config.health [path]` is the probe the containers run (the slim
image has no curl): exit 0 on HTTP 200, else 1.
"""

import logging
import os
import sys
import urllib.error
import urllib.request

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("iop.health")
TEXT = "text/plain; charset=utf-8"


@require_GET
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Touches no database table: it tells that the app answers, and what a request costs at the least."""
    return HttpResponse("ok", content_type=TEXT)


@require_GET
@never_cache
def health_db(request: HttpRequest) -> HttpResponse:
    """200 when the default database answers a query, 503 when it does not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        logger.warning("database unavailable: %s: %s", type(exc).__name__, first_line)
        return HttpResponse("database unavailable", status=503, content_type=TEXT)
    return HttpResponse("ok", content_type=TEXT)


# --- The probe ----------------------------------------------------------------------------------


def probe_host(allowed_hosts: str) -> str:
    """A Host header the app accepts: the first of ALLOWED_HOSTS (a '.example.no' pattern as 'example.no')."""
    first = next((host.strip() for host in allowed_hosts.split(",") if host.strip()), "")
    first = first.lstrip(".")
    return first if first and first != "*" else "localhost"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect (to HTTPS, to the login page) is a failed check, reported as such."""

    def redirect_request(self, *args, **kwargs):
        return None


def probe(path: str = "/helse/", *, port: int = 8000, environ=os.environ, timeout: float = 5.0) -> int:
    """GET http://127.0.0.1:<port><path> as the proxy would send it; 0 on HTTP 200, else 1.

    The Host header is one of ALLOWED_HOSTS, and X-Forwarded-Proto says https, so a
    production instance behind a TLS proxy (TRUST_X_FORWARDED_PROTO=True) answers
    rather than redirecting to HTTPS. A redirect is not followed: it fails the check.
    """
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": probe_host(environ.get("ALLOWED_HOSTS", "")), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        print(f"health probe {path}: {exc}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"health probe {path}: HTTP {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(probe(*sys.argv[1:2]))
