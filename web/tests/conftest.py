"""The staff app against the seven real services: one platform for the session's browser tests.

The seven services run as processes under deploy/local/services.py's supervisor (fresh
databases, an office no earlier run used), the app's host runs in this process on a free port,
and Debian's Chromium is driven by Playwright.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
from identity_provider import ProviderKey, serving_provider_key
from playwright.async_api import Browser, async_playwright
from web_helpers import CHROMIUM, CHROMIUM_ARGS, Site

from reintegration_scenarios.client import Platform
from reintegration_sdk.testing.infrastructure import Infrastructure, free_port
from reintegration_sdk.testing.platform import LocalPlatform, local_platform
from reintegration_sdk.testing.service import untouched_office
from reintegration_web.host import create_app
from reintegration_web.settings import DEFAULT_DIST, WebSettings


@pytest.fixture(scope="session")
async def office(infrastructure: Infrastructure) -> str:
    return await untouched_office(infrastructure)


@pytest.fixture(scope="session")
def provider_key() -> Iterator[ProviderKey]:
    """The identity provider's key; the services get its JWKS address as they start."""
    with serving_provider_key() as key:
        before = os.environ.get("AUTH_JWKS_URL")
        os.environ["AUTH_JWKS_URL"] = key.jwks_url
        yield key
        if before is None:
            os.environ.pop("AUTH_JWKS_URL", None)
        else:
            os.environ["AUTH_JWKS_URL"] = before


@pytest.fixture(scope="session")
async def platform(
    infrastructure: Infrastructure,
    office: str,
    tmp_path_factory: pytest.TempPathFactory,
    provider_key: ProviderKey,
) -> AsyncIterator[LocalPlatform]:
    logs = tmp_path_factory.mktemp("web-platform-logs")
    async with local_platform(infrastructure, [office], logs, prefix="web") as running:
        yield running


@pytest.fixture(scope="session")
async def site(platform: LocalPlatform, office: str) -> AsyncIterator[Site]:
    built = DEFAULT_DIST / "index.html"
    sources = [p for p in (DEFAULT_DIST.parent / "app").rglob("*") if p.is_file()]
    if not built.is_file() or max(p.stat().st_mtime for p in sources) > built.stat().st_mtime:
        pytest.fail("the app in web/dist is missing or older than web/app: run `make web-app`")
    port = free_port()
    settings = WebSettings(port=port, services=platform.urls)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    async with Platform(platform.urls, office) as api:
        yield Site(f"http://127.0.0.1:{port}", office, api, platform.urls)
    server.should_exit = True
    await task


CHROMIUM_INSTALLED = Path(CHROMIUM).exists()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM_INSTALLED:
        pytest.fail("Chromium is missing: make browsers")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()
