"""The signing key of the test's OpenID Connect provider, and its JWKS document served on
127.0.0.1 as a provider serves it: the services verify the provider's RS256 tokens against it
(AUTH_JWKS_URL), as they would behind an office's real provider."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from reintegration_sdk.auth import AuthSettings

KEY_ID = "web-test-provider-1"


@dataclass(frozen=True)
class ProviderKey:
    private: rsa.RSAPrivateKey
    jwks_url: str

    def token(self, subject: str, roles: list[str], offices: list[str]) -> str:
        """An access token as the provider issues it: the platform's claims, RS256, its kid."""
        settings, now = AuthSettings(), int(time.time())
        claims = {
            "sub": subject,
            "roles": roles,
            "country_offices": offices,
            "iss": settings.issuer,
            "aud": settings.audience,
            "iat": now,
            "exp": now + 3600,
        }
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": KEY_ID})


@contextmanager
def serving_provider_key() -> Iterator[ProviderKey]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    body = json.dumps({"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield ProviderKey(private, f"http://127.0.0.1:{server.server_address[1]}/jwks.json")
    finally:
        server.shutdown()
        server.server_close()
