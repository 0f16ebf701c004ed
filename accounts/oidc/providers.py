"""The configured providers (settings.OIDC_PROVIDERS, from the environment) and their Authlib clients.

Authlib does the protocol: authorization code flow with `state` (kept in the session), `nonce`
(sent, and checked in the ID token) and PKCE S256 (`code_challenge_method` below), discovery from
`<issuer>/.well-known/openid-configuration`, and the ID token's signature against the provider's JWKS.
Here we add what Authlib leaves to the app: the discovery document must name the configured issuer,
and the ID token must carry that issuer and our client id as audience.
"""

from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

FEIDE = "feide"
IDPORTEN = "idporten"
ORDER = (FEIDE, IDPORTEN)
LABELS = {
    FEIDE: _("Log in with Feide"),
    IDPORTEN: _("Log in with ID-porten (guardians)"),
}
# Clock skew allowed when checking the ID token's exp and iat.
LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    acr_values: str

    @property
    def label(self):
        return LABELS[self.name]

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


class ProviderFailed(Exception):
    """The login could not be completed with the provider (its error, a bad token, a changed state).

    `reason` is for the access log: short, and never anything from the person's identity.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def get(name: str) -> Provider | None:
    """The provider if it is configured, else None (the provider is off)."""
    config = getattr(settings, "OIDC_PROVIDERS", {}).get(name)
    return Provider(name=name, **config) if name in ORDER and config else None


def configured() -> list[Provider]:
    return [provider for provider in map(get, ORDER) if provider]


_clients: dict = {}


def client(provider: Provider):
    """The Authlib client of `provider` (its discovery document and keys are cached on it)."""
    timeout = getattr(settings, "OIDC_HTTP_TIMEOUT", 10)
    key = (provider, timeout)
    if key not in _clients:
        _clients[key] = OAuth().register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={"scope": provider.scope, "code_challenge_method": "S256", "default_timeout": timeout},
        )
    return _clients[key]


def reset_clients() -> None:
    """Forget cached discovery documents and keys (tests; a key rollover is handled by Authlib)."""
    _clients.clear()


def metadata(provider: Provider) -> dict:
    try:
        document = client(provider).load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderFailed(f"discovery failed: {type(error).__name__}") from None
    if document.get("issuer", "").rstrip("/") != provider.issuer:
        # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
        raise ProviderFailed("discovery names another issuer")
    return document


def authorize_redirect(request, provider: Provider, redirect_uri: str):
    """The redirect to the provider's login; state, nonce and the PKCE verifier are kept in the session."""
    metadata(provider)
    extra = {"acr_values": provider.acr_values} if provider.acr_values else {}
    try:
        return client(provider).authorize_redirect(request, redirect_uri, **extra)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        raise ProviderFailed(f"authorization request failed: {type(error).__name__}") from None


def fetch_token(request, provider: Provider) -> dict:
    """Exchange the code from the callback for tokens; the ID token's claims are in token["userinfo"].

    Refused (ProviderFailed): an error from the provider, a state not issued to this session, a code
    the provider does not accept (replayed, or a wrong PKCE verifier), and an ID token with a bad
    signature, another issuer or audience, a nonce not ours, or that has expired.
    """
    metadata(provider)
    claims_options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "values": [provider.client_id]},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "sub": {"essential": True},
        "nonce": {"essential": True},
    }
    try:
        token = client(provider).authorize_access_token(
            request, claims_options=claims_options, leeway=LEEWAY_SECONDS
        )
    except MismatchingStateError:
        raise ProviderFailed("state not issued to this session") from None
    except OAuthError as error:
        raise ProviderFailed(f"provider error: {str(error.error)[:40]}") from None
    except JoseError as error:
        raise ProviderFailed(f"id token refused: {str(error.error)[:40]}") from None
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderFailed(f"token request failed: {type(error).__name__}") from None
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise ProviderFailed("no id token")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise ProviderFailed("id token refused: azp")
    return token


def userinfo(provider: Provider, token: dict) -> dict:
    """The userinfo endpoint's claims, only if they are about the ID token's subject; {} on any failure."""
    try:
        if not metadata(provider).get("userinfo_endpoint"):
            return {}
        info = dict(client(provider).userinfo(token=token))
    except (ProviderFailed, OAuthError, requests.RequestException, ValueError, KeyError):
        return {}
    return info if info.get("sub") == token["userinfo"]["sub"] else {}


def end_session_endpoint(provider: Provider) -> str | None:
    """The provider's end-session address (RP-initiated logout), or None if it has none."""
    try:
        return metadata(provider).get("end_session_endpoint") or None
    except (ProviderFailed, requests.RequestException, RuntimeError, ValueError):
        return None
