"""A form posted after the login expired leads back to that form once the user has logged in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

# The only forms that may be posted without being logged in.
ANONYMOUS_POSTS = {"login", "set_language", "admin:login", "logout",
                   "accounts:password_reset", "accounts:password_reset_confirm"}


class ExpiredLoginPostMiddleware:
    """Send an anonymous POST to the login page with `next` set to the page the form was on.

    login_required would set `next` to the POST-only address itself, and following it
    after logging in would end on "method not allowed". The form page is where the
    user's unsaved text waits as a draft (static/js/drafts.js).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and not request.user.is_authenticated and not self._anonymous_allowed(request):
            return redirect_to_login(self._form_page(request), settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def _anonymous_allowed(request) -> bool:
        try:
            return resolve(request.path_info).view_name in ANONYMOUS_POSTS
        except Resolver404:
            return True  # let the 404 happen as usual

    @staticmethod
    def _form_page(request) -> str:
        referer = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return resolve_url(settings.LOGIN_REDIRECT_URL)
