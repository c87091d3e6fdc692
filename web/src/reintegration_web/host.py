"""One origin for the app and the APIs: the built app from dist/, and `/api/<service>/...`
forwarded to that service.

Same origin keeps things simple where they are hard: the service worker's scope is the whole
app, the browser sends no CORS preflight before each command, and one Ingress serves it all in
Kubernetes. The host adds nothing to a request but forwards the headers a command needs
(Authorization, Idempotency-Key, Dry-Run, traceparent); the services decide everything.

Monitoring's dashboard is reached the same way, at `/api/monitoring/dashboard`: its sign-in
keeps the token in a cookie and answers with redirects, so cookies go both ways and a
`Location` comes back too (one naming the service's own address is said again in the host's
`/api/<service>/` words, which is where the browser can reach it).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from reintegration_web.settings import WebSettings

# Hop-by-hop headers and the host's own are never forwarded; these are what a command needs.
REQUEST_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    "accept-language",
    "idempotency-key",
    "dry-run",
    "traceparent",
    "cookie",
)
RESPONSE_HEADERS = (
    "content-type",
    "content-disposition",
    "idempotent-replayed",
    "dry-run",
    "www-authenticate",
    "retry-after",
    "location",
)
NO_CACHE = {"Cache-Control": "no-cache"}
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def _location(location: str, base: str, service: str) -> str:
    """A redirect as the browser must follow it: relative ones are already right (they resolve
    under `/api/<service>/`), absolute ones to the service itself go through the host."""
    parts = urlsplit(location)
    if not parts.scheme:
        return location
    origin = urlsplit(base)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return location
    prefix = origin.path.rstrip("/")
    path = parts.path[len(prefix) :] if parts.path.startswith(prefix) else parts.path
    query = f"?{parts.query}" if parts.query else ""
    return f"/api/{service}/{path.lstrip('/')}{query}"


def _security_headers(settings: WebSettings) -> dict[str, str]:
    connect = ["'self'"]
    if settings.oidc is not None:
        parts = urlsplit(settings.oidc.token_endpoint)
        connect.append(f"{parts.scheme}://{parts.netloc}")
    policy = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {' '.join(connect)}; frame-ancestors 'none'; base-uri 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def create_app(settings: WebSettings | None = None) -> Starlette:
    settings = settings or WebSettings.from_environment()
    dist = settings.dist.resolve()
    security = _security_headers(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
        async with httpx.AsyncClient(
            timeout=settings.timeout_seconds, limits=limits, trust_env=False
        ) as client:
            app.state.client = client
            yield

    async def forward(request: Request) -> Response:
        service = request.path_params["service"]
        base = settings.services.get(service)
        if base is None:
            return _error(404, "not_found", f"no service {service!r}")
        url = f"{base}/{request.path_params['path']}"
        headers = {k: v for k in REQUEST_HEADERS if (v := request.headers.get(k)) is not None}
        client: httpx.AsyncClient = request.app.state.client
        try:
            answer = await client.request(
                request.method,
                url,
                params=request.url.query,
                headers=headers,
                content=await request.body(),
            )
        except httpx.TimeoutException:
            return _error(504, "service_unavailable", f"{service} did not answer in time")
        except httpx.TransportError:
            return _error(502, "service_unavailable", f"{service} cannot be reached")
        kept = {k: v for k in RESPONSE_HEADERS if (v := answer.headers.get(k)) is not None}
        if "location" in kept:
            kept["location"] = _location(kept["location"], base, service)
        kept["Cache-Control"] = "no-store"
        response = Response(answer.content, status_code=answer.status_code, headers=kept)
        # One header per cookie: folding them into one would break their dates' commas.
        for cookie in answer.headers.get_list("set-cookie"):
            response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
        return response

    def _file(path: Path, headers: dict[str, str]) -> Response:
        return FileResponse(path, headers={**security, **headers})

    async def static(request: Request) -> Response:
        if not (dist / "index.html").is_file():
            return _error(503, "service_unavailable", f"the app is not built in {dist}")
        wanted = request.path_params.get("path", "")
        target = (dist / wanted).resolve()
        if wanted and target.is_file() and target.is_relative_to(dist):
            if wanted == "sw.js":
                return _file(target, {**NO_CACHE, "Service-Worker-Allowed": "/"})
            return _file(target, IMMUTABLE if wanted.startswith("assets/") else NO_CACHE)
        if "." in wanted.rsplit("/", 1)[-1]:
            return _error(404, "not_found", f"no file {wanted!r}")
        # Every other page (/, /signin/callback) is the app, which routes on the device.
        return _file(dist / "index.html", NO_CACHE)

    async def config(_: Request) -> Response:
        oidc = settings.oidc
        body = {
            "dev_tokens": settings.dev_tokens,
            "oidc": None
            if oidc is None
            else {
                "authorization_endpoint": oidc.authorization_endpoint,
                "token_endpoint": oidc.token_endpoint,
                "client_id": oidc.client_id,
                "scope": oidc.scope,
            },
        }
        return JSONResponse(body, headers=NO_CACHE)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "service": "web"})

    async def ready(_: Request) -> Response:
        built = (dist / "index.html").is_file()
        return JSONResponse(
            {"ready": built, "checks": {"app_built": built}}, status_code=200 if built else 503
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/config.json", config),
            Route("/api/{service}/{path:path}", forward, methods=methods),
            Route("/{path:path}", static),
        ],
        lifespan=lifespan,
    )
