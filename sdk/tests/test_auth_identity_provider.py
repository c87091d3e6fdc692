"""Tokens an OpenID Connect provider signs (RS256), checked against the keys its JWKS
document publishes, served over HTTP on 127.0.0.1 as a provider serves them."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from reintegration_sdk.auth import AuthenticationError, AuthSettings, decode_token, mint_token

pytestmark = pytest.mark.unit

SECRET = "test-secret-that-is-at-least-32-characters"


@dataclass
class Provider:
    """An identity provider's key set, served at `url`; `published` can change (rotation)."""

    url: str = ""
    published: list[dict[str, Any]] = field(default_factory=list)
    fetches: int = 0


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    public: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            body = json.dumps({"keys": state.published}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def settings_for(provider: Provider, **overrides: Any) -> AuthSettings:
    return AuthSettings(jwt_secret=SECRET, jwks_url=provider.url, **overrides)


def provider_token(key: rsa.RSAPrivateKey, kid: str, settings: AuthSettings, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "sub": "oidc-user",
        "roles": ["caseworker"],
        "country_offices": ["bf"],
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + 60,
        **claims,
    }
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


def test_a_providers_token_is_verified_with_its_published_key(provider: Provider) -> None:
    key = new_key()
    provider.published = [jwk(key, "k1")]
    settings = settings_for(provider)
    principal = decode_token(settings, provider_token(key, "k1", settings))
    assert principal.subject == "oidc-user"
    assert principal.country_offices == frozenset({"bf"})


def test_a_token_signed_by_a_key_the_provider_does_not_publish_is_refused(
    provider: Provider,
) -> None:
    published, impostor = new_key(), new_key()
    provider.published = [jwk(published, "k1")]
    settings = settings_for(provider)
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(settings, provider_token(impostor, "k1", settings))
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(settings, provider_token(impostor, "unknown-kid", settings))


def test_a_rotated_key_is_fetched_once_it_is_published(provider: Provider) -> None:
    old, new = new_key(), new_key()
    provider.published = [jwk(old, "old")]
    settings = settings_for(provider, jwks_refresh_cooldown_seconds=0)
    decode_token(settings, provider_token(old, "old", settings))
    decode_token(settings, provider_token(old, "old", settings))
    fetched_before = provider.fetches
    assert fetched_before == 1, "the key set is cached between requests"
    provider.published = [jwk(old, "old"), jwk(new, "new")]
    assert decode_token(settings, provider_token(new, "new", settings)).subject == "oidc-user"
    assert provider.fetches == fetched_before + 1


def test_the_providers_tokens_need_the_platforms_issuer_and_audience(provider: Provider) -> None:
    key = new_key()
    provider.published = [jwk(key, "k1")]
    settings = settings_for(provider)
    with pytest.raises(AuthenticationError, match=r"(?i)audience"):
        decode_token(settings, provider_token(key, "k1", settings, aud="someone-else"))
    with pytest.raises(AuthenticationError, match="roles"):
        decode_token(settings, provider_token(key, "k1", settings, roles="caseworker"))


def test_a_public_key_used_as_a_shared_secret_is_refused(provider: Provider) -> None:
    """Algorithm confusion: HS256 signed with the public key anyone can read from the JWKS."""
    key = new_key()
    provider.published = [jwk(key, "k1")]
    settings = settings_for(provider)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    body = {"sub": "x", "roles": ["admin"], "country_offices": [], "iss": settings.issuer}
    body |= {"aud": settings.audience, "iat": now, "exp": now + 60}
    # Signed by hand: PyJWT itself refuses to use a public key as an HMAC secret.
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{b64(signature)}"
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(settings, forged)


def test_behind_a_provider_the_shared_key_can_be_turned_off(provider: Provider) -> None:
    key = new_key()
    provider.published = [jwk(key, "k1")]
    open_settings = settings_for(provider)
    shared = mint_token(open_settings, "dev", ["caseworker"], ["bf"])
    assert decode_token(open_settings, shared).subject == "dev"
    closed = settings_for(provider, shared_key_tokens=False)
    with pytest.raises(AuthenticationError, match="not one of the identity provider's"):
        decode_token(closed, shared)
    assert decode_token(closed, provider_token(key, "k1", closed)).subject == "oidc-user"


def test_shared_key_algorithms_are_never_accepted_as_provider_algorithms() -> None:
    with pytest.raises(ValueError, match="jwks_algorithms"):
        AuthSettings(jwt_secret=SECRET, jwks_algorithms=["HS256"])


def test_an_unreachable_provider_is_an_authentication_error_not_a_crash() -> None:
    settings = AuthSettings(jwt_secret=SECRET, jwks_url="http://127.0.0.1:9/jwks.json")
    token = provider_token(new_key(), "k1", settings)
    with pytest.raises(AuthenticationError, match="identity provider keys unavailable"):
        decode_token(settings, token)
