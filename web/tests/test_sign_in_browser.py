"""Sign-in with an OpenID Connect provider: the authorization code flow with PKCE, against a
provider on this machine that checks the challenge as a real one does."""

import asyncio
import base64
import hashlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import pytest
import uvicorn
from identity_provider import ProviderKey
from playwright.async_api import Browser
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from web_helpers import Site

from reintegration_sdk.testing.infrastructure import free_port
from reintegration_web.host import create_app
from reintegration_web.settings import Oidc, WebSettings

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(300)]


@dataclass
class Provider:
    """Signs the user in at once and issues a platform token once the verifier matches."""

    url: str
    office: str
    key: ProviderKey
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    exchanged: list[str] = field(default_factory=list)


def provider_app(provider: Provider) -> Starlette:
    async def authorize(request: Request) -> Response:
        q = request.query_params
        assert q["response_type"] == "code" and q["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        provider.codes[code] = (q["code_challenge"], q["redirect_uri"])
        return RedirectResponse(
            f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
        )

    async def token(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        challenge, redirect = provider.codes.pop(str(form["code"]), ("", ""))
        digest = hashlib.sha256(str(form["code_verifier"]).encode()).digest()
        verified = base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
        cors = {"Access-Control-Allow-Origin": "*"}
        if not verified or form["redirect_uri"] != redirect:
            return JSONResponse({"error": "invalid_grant"}, status_code=400, headers=cors)
        provider.exchanged.append(str(form["client_id"]))
        # RS256 under the provider's own key: the services know it only from its JWKS.
        access = provider.key.token("oidc-user", ["caseworker"], [provider.office])
        return JSONResponse({"access_token": access, "token_type": "Bearer"}, headers=cors)

    return Starlette(
        routes=[Route("/authorize", authorize), Route("/token", token, methods=["POST"])]
    )


async def serve(app: Starlette, port: int) -> AsyncIterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield
    server.should_exit = True
    await task


async def test_sign_in_with_the_provider(
    browser: Browser, site: Site, provider_key: ProviderKey
) -> None:
    provider = Provider(f"http://127.0.0.1:{free_port()}", site.office, provider_key)
    app_port = free_port()
    settings = WebSettings(
        port=app_port,
        services=site.services,
        oidc=Oidc(f"{provider.url}/authorize", f"{provider.url}/token", "staff-app"),
        dev_tokens=False,
    )
    provider_port = int(provider.url.rsplit(":", 1)[1])
    async for _ in serve(provider_app(provider), provider_port):
        async for _ in serve(create_app(settings), app_port):
            page = await browser.new_page()
            await page.goto(f"http://127.0.0.1:{app_port}/")
            button = page.get_by_role("button", name="organisation")
            await button.wait_for()
            assert await page.locator("#token").count() == 0  # no pasted tokens with OIDC
            await button.click()
            await page.locator('header [data-subject="oidc-user"]').wait_for()
            assert page.url == f"http://127.0.0.1:{app_port}/"
            assert provider.exchanged == ["staff-app"]
            # The token works with the services: the caseworker's lists load.
            await page.locator('[data-list="cases"] .count').wait_for()
            assert (
                await page.locator('[data-list="cases"] .hint', has_text="available").count() == 0
            )
