"""Login with Feide and ID-porten: off to the provider, back with a code, logged in or refused."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..language import remember_language
from . import identity, providers

NEXT = "oidc_next"  # session key: the page to return to after the login


def _provider(name: str) -> providers.Provider:
    provider = providers.get(name)
    if provider is None:
        raise Http404("login method not configured")
    return provider


def _refused(request, provider, refusal: identity.LoginRefused):
    return render(request, "registration/oidc_refused.html",
                  {"message": refusal.message, "provider": provider}, status=refusal.status)


@never_cache
@require_GET
def begin(request, provider: str):
    """Anyone: the redirect to the provider's login page (404 when that provider is off)."""
    provider = _provider(provider)
    back_to = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.session[NEXT] = back_to  # where to go once logged in (our own pages only)
    callback = request.build_absolute_uri(reverse(f"accounts:{provider.name}_callback"))
    try:
        return providers.authorize_redirect(request, provider, callback)
    except providers.ProviderFailed as failure:
        return _refused(request, provider, identity.begin_failed(request, provider, failure.reason))


@never_cache
@require_GET
def callback(request, provider: str):
    """Anyone back from the provider: logged in and on to the start page, or the refusal page."""
    provider = _provider(provider)
    back_to = request.session.pop(NEXT, None)
    try:
        user = identity.complete_login(request, provider)
    except identity.LoginRefused as refusal:
        return _refused(request, provider, refusal)
    response = redirect(back_to or settings.LOGIN_REDIRECT_URL)
    remember_language(response, user)
    return response
