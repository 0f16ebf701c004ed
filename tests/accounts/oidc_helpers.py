"""Login with Feide and ID-porten in tests, offline.

`oidc_provider_mock` runs as the provider in a thread (it issues ID tokens with the claims a test
sets with `set_claims`, requires a nonce and has an end-session endpoint). What it does not check
(PKCE, issuer, audience, expiry, nonce, acr) is tested with tokens signed here: `FakeProvider`
serves discovery, JWKS and the token endpoint through `responses`.
"""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import responses
from joserfc import jwt
from joserfc.jwk import RSAKey

from accounts.oidc import providers

CLIENT_ID = "iop-test-client"
CLIENT_SECRET = "not-a-secret"
FEIDE_ID_CLAIM = "https://n.feide.no/claims/eduPersonPrincipalName"
FEIDE_STRONG = "urn:mace:feide.no:auth:level:fad08:3"
FEIDE_WEAK = "urn:mace:feide.no:auth:level:fad08:2"


def provider_settings(issuer: str, **overrides) -> dict:
    config = {
        "feide": {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "scope": "openid userid-feide", "acr_values": FEIDE_STRONG},
        "idporten": {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                     "scope": "openid profile", "acr_values": "idporten-loa-substantial"},
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def mock_provider_url():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def mock_providers(settings, mock_provider_url):
    """Feide and ID-porten both configured, both served by the mock."""
    settings.OIDC_PROVIDERS = provider_settings(mock_provider_url)
    providers.reset_clients()
    yield mock_provider_url
    providers.reset_clients()


def set_claims(provider_url: str, sub: str, claims: dict) -> None:
    httpx.put(f"{provider_url}/users/{sub}", json=claims).raise_for_status()


def authorize_at_mock(authorize_url: str, sub: str) -> str:
    """The person logs in at the mock provider; returns the callback address it sends the browser to."""
    response = httpx.post(authorize_url, data={"sub": sub})
    assert response.status_code == 302, response.text[:500]
    return response.headers["location"]


def follow_callback(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def oidc_login(client, provider_url: str, method: str, sub: str, claims: dict, query: str = ""):
    """The whole round trip: our login link, the provider, back to our callback. Returns the callback's response."""
    set_claims(provider_url, sub, claims)
    start = client.get(f"/logg-inn/{method}/{query}")
    assert start.status_code == 302, start
    return follow_callback(client, authorize_at_mock(start["Location"], sub))


# --- A provider of our own, for tokens the mock would not issue --------------------------------

FAKE_ISSUER = "https://fake-idp.example.no"


class FakeProvider:
    """Discovery, JWKS and a token endpoint (through `responses`) issuing an ID token a test shapes."""

    def __init__(self, rsps: responses.RequestsMock, issuer: str = FAKE_ISSUER):
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.claims: dict = {}
        self.overrides: dict = {}  # claims of the next token issued (None removes one)
        self.token_requests: list[dict] = []
        self.check_pkce = True
        rsps.add(responses.GET, f"{issuer}/.well-known/openid-configuration", json={
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
        })
        rsps.add(responses.GET, f"{issuer}/jwks", json={"keys": [self.key.as_dict(private=False)]})
        rsps.add_callback(responses.POST, f"{issuer}/token", callback=self._token)
        self.challenges: dict[str, str] = {}  # code -> code_challenge sent with its authorization request

    def authorize(self, authorize_url: str) -> tuple[str, str]:
        """What the provider would do with our authorization request: (code, state), and remember its nonce."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        code = f"code-{len(self.challenges)}"
        self.challenges[code] = query.get("code_challenge", "")
        self.nonce = query["nonce"]
        self.request = query
        return code, query["state"]

    def id_token(self, **overrides) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "subject-1", "iat": now, "exp": now + 300,
                  "nonce": self.nonce, **self.claims}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)

    def _token(self, request):
        body = {k: v[0] for k, v in parse_qs(request.body).items()}
        self.token_requests.append(body)
        challenge = self.challenges.pop(body.get("code"), None)
        if challenge is None:
            return 400, {}, '{"error": "invalid_grant"}'
        verifier = body.get("code_verifier", "")
        expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if self.check_pkce and expected != challenge:
            return 400, {}, '{"error": "invalid_grant", "error_description": "PKCE verification failed"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": self.id_token(**self.overrides)}
        )
