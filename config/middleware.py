"""Project-wide HTTP hardening: a cap on request bodies, and the headers django-csp does not set."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Powerful browser features the app never uses, denied to every page (and to anything framed in it).
DENIED_FEATURES = (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


def _refusal(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Refuses a body longer than settings.REQUEST_BODY_MAX_BYTES before anything reads it.

    Django reads at most Content-Length bytes, so the declared length is what counts:
    over the limit → 413, not a number → 400. A chunked body (Transfer-Encoding, no
    length) is refused with 411, rather than reaching a view as an empty POST; with a
    Content-Length as well it is ambiguous (request smuggling) → 400. Place it before
    every middleware that may touch request.POST or request.body (CSRF, sessions, axes).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse | None:
        length = str(request.META.get("CONTENT_LENGTH") or "").strip()
        encoding = str(request.META.get("HTTP_TRANSFER_ENCODING") or "").strip().lower()
        if encoding and encoding != "identity":
            if length:
                return _refusal(400, "Ugyldig forespørsel: både Content-Length og Transfer-Encoding.")
            return _refusal(411, "Forespørselen mangler lengde (Content-Length).")
        if not length:
            return None
        if not length.isascii() or not length.isdigit():
            return _refusal(400, "Ugyldig forespørsel: Content-Length er ikke et tall.")
        if int(length) > settings.REQUEST_BODY_MAX_BYTES:
            megabytes = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            return _refusal(413, f"Forespørselen er for stor. Filer kan være på høyst {megabytes} MB.")
        return None


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store, private` on a logged-in user's.

    A page for a logged-in user shows records about children: no browser or proxy cache may
    keep it (the back button on a shared school computer after logout, a caching proxy). It
    merges with what a view set already (the PDFs' `private, no-store` stays as it is). Place it
    above AuthenticationMiddleware: on the way out `request.user` is set; static files served by
    WhiteNoise never reach the authentication and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
