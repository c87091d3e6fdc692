"""Who is calling, and what they may do: JWT principals, roles and country-office scoping.

Every command and query runs for a :class:`Principal` decoded from a bearer JWT: signed with the
platform's shared key (:class:`AuthSettings`, for development and the CLI's tokens), or, where an
office signs in through its OpenID Connect provider, signed by that provider with a key its JWKS
document publishes (``AUTH_JWKS_URL``). A country office acts only on its own returnees; HQ
reads aggregates across offices and never personal data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reintegration_sdk.params import OfficePath


class Role(StrEnum):
    """Roles carried in the token's ``roles`` claim."""

    CASEWORKER = "caseworker"
    PERSONAL_DATA_VIEWER = "personal_data_viewer"
    TRAINING_OFFICER = "training_officer"
    COMMITTEE_SECRETARY = "committee_secretary"
    PROCUREMENT_OFFICER = "procurement_officer"
    MONITORING_OFFICER = "monitoring_officer"
    OFFICE_MANAGER = "office_manager"
    HQ_ANALYST = "hq_analyst"
    ADMIN = "admin"
    # An organisation outside the platform, scoped by the token's `partner_id` claim.
    PARTNER = "partner"


# An office manager stands in for these; personal data, HQ access and a partner's own access
# must be granted explicitly.
_OFFICE_ROLES = frozenset(Role) - {
    Role.PERSONAL_DATA_VIEWER,
    Role.HQ_ANALYST,
    Role.ADMIN,
    Role.PARTNER,
}
_REQUIRED_CLAIMS = ["sub", "roles", "country_offices", "iss", "aud", "exp", "iat"]


class _ReasonedError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthenticationError(_ReasonedError):
    """The caller could not be identified (missing, malformed, expired or forged token): 401."""


class AuthorizationError(_ReasonedError):
    """The caller is known but may not do this (role or country office): 403."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: subject, roles and the country offices it acts for."""

    subject: str
    roles: frozenset[str]
    country_offices: frozenset[str]  # lower-case ISO codes; may be empty for HQ
    # The partner organisation a PARTNER principal speaks for (the `partner_id` claim).
    partner_id: str | None = None

    def __post_init__(self) -> None:
        # Codes arrive as "BF" or "bf" depending on the caller; comparisons must not care.
        offices = frozenset(office.lower() for office in self.country_offices)
        object.__setattr__(self, "country_offices", offices)

    def has_role(self, *roles: str) -> bool:
        """True if the principal holds any of ``roles``.

        OFFICE_MANAGER satisfies every office role, but not PERSONAL_DATA_VIEWER or HQ_ANALYST;
        ADMIN satisfies every role but PERSONAL_DATA_VIEWER, which only an explicit grant to
        someone who is neither HQ nor admin satisfies.
        """
        return any(self._satisfies(role) for role in roles)

    def _satisfies(self, role: str) -> bool:
        if role == Role.PARTNER:
            # A partner is an outside organisation: no staff role, not even admin, stands in
            # for it, and the role means nothing without the partner it is scoped to.
            return role in self.roles and self.partner_id is not None
        if role == Role.PERSONAL_DATA_VIEWER:
            # Headquarters reads aggregates and an admin administers: neither reads people,
            # whatever else their token holds.
            return role in self.roles and not self.is_hq and Role.ADMIN not in self.roles
        if role in self.roles or Role.ADMIN in self.roles:
            return True
        return Role.OFFICE_MANAGER in self.roles and role in _OFFICE_ROLES

    def speaks_for(self, partner_id: str) -> bool:
        """True if the principal is that partner's own (role PARTNER, claim `partner_id`)."""
        return self.has_role(Role.PARTNER) and self.partner_id == partner_id

    def can_act_for(self, country_office: str) -> bool:
        """True if the principal may act on ``country_office``'s returnees (or is ADMIN)."""
        return country_office.lower() in self.country_offices or Role.ADMIN in self.roles

    @property
    def is_hq(self) -> bool:
        """True for HQ analysts, who read aggregates across offices."""
        return Role.HQ_ANALYST in self.roles


class AuthSettings(BaseSettings):
    """Token settings, from ``AUTH_*`` environment variables or ``.env``.

    The default ``jwt_secret`` is for development only; set ``AUTH_JWT_SECRET`` elsewhere.
    """

    model_config = SettingsConfigDict(env_prefix="AUTH_", env_file=".env", extra="ignore")

    # Short HMAC keys are brute-forceable; 32 bytes matches the HS256 output size.
    jwt_secret: str = Field(default="dev-only-insecure-jwt-secret-do-not-deploy", min_length=32)
    jwt_algorithm: str = "HS256"
    issuer: str = "reintegration-dev"
    audience: str = "reintegration"
    # An identity provider's public keys (RS256/ES256 tokens, chosen by their `kid`). Its
    # tokens must carry the same issuer, audience and platform claims as the shared key's.
    jwks_url: str | None = None
    jwks_algorithms: list[str] = ["RS256", "ES256"]
    # A token naming an unknown key makes the set be fetched again (a rotation), at most this
    # often, so a flood of forged key ids cannot turn into a flood on the provider.
    jwks_refresh_cooldown_seconds: float = Field(default=30, ge=0)
    # Behind an identity provider, a deployment turns the shared key off so that only the
    # provider can sign in anyone.
    shared_key_tokens: bool = True

    @field_validator("jwt_algorithm")
    @classmethod
    def _shared_key_algorithm(cls, value: str) -> str:
        # The key is a shared secret, so only HMAC makes sense; this also shuts out "none".
        if value not in {"HS256", "HS384", "HS512"}:
            raise ValueError("jwt_algorithm must be HS256, HS384 or HS512")
        return value

    @field_validator("jwks_algorithms")
    @classmethod
    def _public_key_algorithms(cls, value: list[str]) -> list[str]:
        # Never a shared-key algorithm here: a public key used as an HMAC secret would let
        # anyone who reads the JWKS sign tokens (algorithm confusion).
        allowed = {"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"}
        if not value or set(value) - allowed:
            raise ValueError(f"jwks_algorithms must be among {', '.join(sorted(allowed))}")
        return value


def mint_token(
    settings: AuthSettings,
    subject: str,
    roles: Iterable[str],
    country_offices: Iterable[str],
    ttl_seconds: int = 8 * 3600,
    partner_id: str | None = None,
) -> str:
    """Sign a token for ``subject`` valid for ``ttl_seconds``; raises ValueError on bad input."""
    role_list = sorted(set(roles))
    # A mistyped role would silently grant nothing; refuse it where it is made.
    unknown = [role for role in role_list if role not in frozenset(Role)]
    if unknown:
        raise ValueError(f"unknown roles {unknown}; known: {', '.join(Role)}")
    if not subject or ttl_seconds <= 0:
        raise ValueError("subject must be non-empty and ttl_seconds positive")
    if (Role.PARTNER in role_list) != (partner_id is not None):
        raise ValueError("the partner role and a partner_id go together")
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": role_list,
        "country_offices": sorted({office.lower() for office in country_offices}),
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if partner_id is not None:
        claims["partner_id"] = partner_id
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


@lru_cache(maxsize=8)
def _jwks_client(url: str, cooldown_seconds: float) -> jwt.PyJWKClient:
    # One client per provider: it caches the key set and fetches it again for an unknown kid
    # (a key rotation), so most requests never leave the process.
    return jwt.PyJWKClient(
        url, cache_keys=True, lifespan=300, timeout=5, cooldown_duration=cooldown_seconds
    )


def _verification_key(settings: AuthSettings, token: str) -> tuple[Any, list[str]]:
    """The key and algorithms that may verify ``token``, chosen by its header's algorithm."""
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    if settings.jwks_url and algorithm in settings.jwks_algorithms:
        try:
            client = _jwks_client(settings.jwks_url, settings.jwks_refresh_cooldown_seconds)
            key = client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthenticationError(f"identity provider keys unavailable: {exc}") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationError(f"invalid token: {exc}") from exc
        return key, settings.jwks_algorithms
    if not settings.shared_key_tokens:
        raise AuthenticationError(
            f"invalid token: algorithm {algorithm!r} is not one of the identity provider's"
        )
    return settings.jwt_secret, [settings.jwt_algorithm]


def _verified_claims(settings: AuthSettings, token: str) -> dict[str, Any]:
    key, algorithms = _verification_key(settings, token)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=settings.audience,
            issuer=settings.issuer,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    for name in ("roles", "country_offices"):
        value = claims[name]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AuthenticationError(f"invalid token: claim {name!r} must be a list of strings")
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise AuthenticationError("invalid token: claim 'sub' must be a non-empty string")
    partner = claims.get("partner_id")
    if partner is not None and (not isinstance(partner, str) or not partner):
        raise AuthenticationError("invalid token: claim 'partner_id' must be a non-empty string")
    return claims


def decode_token(settings: AuthSettings, token: str) -> Principal:
    """Verify ``token`` and return its principal; raises AuthenticationError if it is not valid."""
    claims = _verified_claims(settings, token)
    # Unknown roles are kept, not rejected, so an older service accepts a newer issuer's tokens.
    return Principal(
        claims["sub"],
        frozenset(claims["roles"]),
        frozenset(claims["country_offices"]),
        claims.get("partner_id"),
    )


@lru_cache(maxsize=1)
def _default_settings() -> AuthSettings:
    return AuthSettings()


def principal_of(request: Request) -> Principal:
    """The principal of the request's ``Authorization: Bearer`` token; 401 if none is valid."""
    settings = getattr(request.app.state, "auth_settings", None) or _default_settings()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not scheme:
        raise AuthenticationError("missing Authorization header")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Authorization header must be 'Bearer <token>'")
    return decode_token(settings, token.strip())


# Declares the bearer scheme in every service's OpenAPI document; the check is principal_of's.
bearer_token = HTTPBearer(
    bearerFormat="JWT",
    description="A platform JWT: sub, roles, country_offices (`reintegrate tokens mint`).",
    auto_error=False,
)


def get_principal(
    request: Request,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_token)] = None,
) -> Principal:
    """FastAPI dependency: the principal of the request's ``Authorization: Bearer`` token."""
    return principal_of(request)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def _check_roles(principal: Principal, roles: tuple[str, ...]) -> None:
    if not principal.has_role(*roles):
        raise AuthorizationError(f"requires one of the roles: {', '.join(roles)}")


def require_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency factory: the principal, or 403 unless it holds one of ``roles``."""
    if not roles:
        raise ValueError("require_roles needs at least one role")

    def dependency(principal: CurrentPrincipal) -> Principal:
        _check_roles(principal, roles)
        return principal

    return dependency


def ensure_office(principal: Principal, country_office: str) -> None:
    """Raise AuthorizationError (403, naming the office) unless the principal acts for it."""
    if not principal.can_act_for(country_office):
        raise AuthorizationError(f"not authorised for country office {country_office!r}")


def office_scoped(*roles: str) -> Callable[..., Principal]:
    """Dependency factory for routes under `/offices/{country_office}`.

    Returns the principal, or 403 unless it holds one of ``roles`` and acts for that office.
    """
    if not roles:
        raise ValueError("office_scoped needs at least one role")

    def dependency(country_office: OfficePath, principal: CurrentPrincipal) -> Principal:
        _check_roles(principal, roles)
        ensure_office(principal, country_office)
        return principal

    return dependency


def office_or_hq(*roles: str) -> Callable[..., Principal]:
    """Like `office_scoped`, but HQ analysts may also read: for aggregates that name no one."""
    scoped = office_scoped(*roles)

    def dependency(country_office: OfficePath, principal: CurrentPrincipal) -> Principal:
        return principal if principal.is_hq else scoped(country_office, principal)

    return dependency


def hq_only() -> Callable[..., Principal]:
    """Dependency for `/hq/...` routes: HQ analysts only."""
    return require_roles(Role.HQ_ANALYST)


def install_auth_error_handlers(app: FastAPI) -> None:
    """Turn AuthenticationError into 401 and AuthorizationError into 403 JSON responses."""

    async def unauthenticated(_: Request, exc: Exception) -> JSONResponse:
        body = {"error": "unauthenticated", "detail": str(exc)}
        return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    async def forbidden(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "forbidden", "detail": str(exc)}, status_code=403)

    app.add_exception_handler(AuthenticationError, unauthenticated)
    app.add_exception_handler(AuthorizationError, forbidden)


_KEY_NOTE = (
    "The signing key is AUTH_JWT_SECRET (environment or .env); its built-in default is for "
    "development only."
)


def add_token_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``tokens mint`` and ``tokens decode`` to the project CLI."""
    tokens = subparsers.add_parser(
        "tokens", help="mint or inspect access tokens signed with the local key", epilog=_KEY_NOTE
    )
    actions = tokens.add_subparsers(dest="tokens_command", required=True, metavar="ACTION")
    mint = actions.add_parser("mint", help="print a new signed token", epilog=_KEY_NOTE)
    mint.add_argument("--subject", required=True, help="who the token is for, e.g. a user id")
    roles = ", ".join(role.value for role in Role)
    repeatable: dict[str, Any] = {"action": "append", "default": []}
    mint.add_argument(
        "--role", metavar="ROLE", help=f"role to grant (repeatable): {roles}", **repeatable
    )
    mint.add_argument(
        "--office",
        metavar="CC",
        help="ISO code of an office it acts for, e.g. bf (repeatable)",
        **repeatable,
    )
    mint.add_argument(
        "--partner", metavar="ID", help="the partner a `partner` token speaks for", default=None
    )
    mint.add_argument(
        "--ttl", type=int, default=8 * 3600, metavar="SECONDS", help="lifetime (default: 8 hours)"
    )
    decode = actions.add_parser(
        "decode", help="verify a token with the local key and print its claims", epilog=_KEY_NOTE
    )
    decode.add_argument("token", metavar="TOKEN", help="the JWT to verify")
    tokens.set_defaults(func=run_token_command)


def run_token_command(args: argparse.Namespace) -> int:
    """Run the ``tokens`` subcommand parsed into ``args``; returns the process exit code."""
    try:
        settings = AuthSettings()  # inside the try: a too-short AUTH_JWT_SECRET is a user error
        if args.tokens_command == "mint":
            token = mint_token(
                settings, args.subject, args.role, args.office, args.ttl, args.partner
            )
            print(token)
        else:
            print(json.dumps(_verified_claims(settings, args.token), indent=2, sort_keys=True))
    except (ValueError, AuthenticationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
