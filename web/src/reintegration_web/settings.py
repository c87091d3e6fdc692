"""The host's settings, from the environment (the supervisor sets them in deploy/local)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# The services the app calls, at deploy/local's ports (the supervisor sets <SERVICE>_URL).
DEFAULT_PORTS = {
    "intake": 8101,
    "training": 8102,
    "committee": 8103,
    "procurement": 8104,
    "monitoring": 8105,
    "partners": 8106,
    "programme": 8107,
}
SERVICES = tuple(DEFAULT_PORTS)
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "dist"


@dataclass(frozen=True)
class Oidc:
    """An OpenID Connect provider for the authorization code flow with PKCE (a public client)."""

    authorization_endpoint: str
    token_endpoint: str
    client_id: str
    scope: str = "openid profile"


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8100
    dist: Path = DEFAULT_DIST
    services: Mapping[str, str] = field(
        default_factory=lambda: {s: f"http://127.0.0.1:{p}" for s, p in DEFAULT_PORTS.items()}
    )
    oidc: Oidc | None = None
    dev_tokens: bool = True
    timeout_seconds: float = 60.0

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> "WebSettings":
        """HTTP_HOST, HTTP_PORT, WEB_DIST, <SERVICE>_URL, OIDC_*, WEB_DEV_TOKENS."""
        env = os.environ if env is None else env
        services = {
            name: env.get(f"{name.upper()}_URL", f"http://127.0.0.1:{port}").rstrip("/")
            for name, port in DEFAULT_PORTS.items()
        }
        oidc = None
        if env.get("OIDC_AUTHORIZATION_ENDPOINT"):
            oidc = Oidc(
                authorization_endpoint=env["OIDC_AUTHORIZATION_ENDPOINT"],
                token_endpoint=env["OIDC_TOKEN_ENDPOINT"],
                client_id=env["OIDC_CLIENT_ID"],
                scope=env.get("OIDC_SCOPE", "openid profile"),
            )
        return cls(
            host=env.get("HTTP_HOST", "127.0.0.1"),
            port=int(env.get("HTTP_PORT", "8100")),
            dist=Path(env.get("WEB_DIST", str(DEFAULT_DIST))),
            services=services,
            oidc=oidc,
            # Pasting a development token is for local use; a deployment signs in with OIDC.
            dev_tokens=env.get("WEB_DEV_TOKENS", "true" if oidc is None else "false").lower()
            == "true",
        )
