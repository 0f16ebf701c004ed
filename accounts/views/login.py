"""The language choice follows the user: saved on the account, applied at every login."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..language import remember_language
from ..oidc import identity as oidc_identity
from ..oidc import providers as oidc_providers
from ..second_factor import mark_local_login


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, back to the page), plus the choice saved on the user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language) and language != request.user.language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    """Log in, and switch to the language the user chose last time, on whichever device."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Only the configured ways in (accounts/oidc/providers.py); the form is for administrators then.
        back_to = self.get_redirect_url()  # the page that sent the user here, if it is ours
        query = f"?{urlencode({'next': back_to})}" if back_to else ""
        return super().get_context_data(**kwargs, oidc_providers=[
            {"label": provider.label, "url": reverse(f"accounts:{provider.name}_login") + query}
            for provider in oidc_providers.configured()
        ])

    def form_valid(self, form):
        self.request.login_detail = "method=local"  # the login event's (audit/receivers.py)
        response = super().form_valid(form)
        mark_local_login(self.request)  # a password login: the second factor follows (accounts/second_factor.py)
        remember_language(response, form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser delete what the site stored: drafts of texts about children.

    static/js/drafts.js deletes the drafts as the Log out form is submitted; Clear-Site-Data
    does it where the script did not run. Django's view accepts POST only.
    """

    def post(self, request, *args, **kwargs):
        provider_logout = self._provider_logout(request)  # read before the session is flushed
        response = super().post(request, *args, **kwargs)
        if provider_logout:
            # A form posted to the provider, not a redirect: the ID token (with ID-porten's
            # national identity number in it) must not end up in a URL or the browser's history.
            response = render(request, "registration/provider_logout.html", provider_logout)
        response["Clear-Site-Data"] = '"storage"'
        return response

    @staticmethod
    def _provider_logout(request) -> dict | None:
        """After a Feide or ID-porten login: what the end-session form posts, if the provider has one."""
        provider = oidc_providers.get(request.session.get(oidc_identity.SESSION_PROVIDER, ""))
        id_token = request.session.get(oidc_identity.SESSION_ID_TOKEN)
        endpoint = provider and oidc_providers.end_session_endpoint(provider)
        if not (endpoint and id_token and request.user.is_authenticated):
            return None
        return {"endpoint": endpoint, "id_token": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))}
