"""The dashboard in headless Chromium (Debian's package, driven by Playwright): the numbers a
person sees on the office and HQ views are the read model's, and screenshots are kept."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from monitoring_builders import Programme
from playwright.async_api import Browser, Page, async_playwright

from conftest import MonitoringUnderTest
from reintegration_sdk.auth import AuthSettings, mint_token
from reintegration_sdk.testing.infrastructure import free_port
from reintegration_sdk.testing.service import auth_headers

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
FUNNEL = 'table[data-table="funnel"]'
FLOWS = 'table[data-table="flows"]'
CHROMIUM_INSTALLED = CHROMIUM.exists()
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
async def dashboard_url(monitoring: MonitoringUnderTest) -> AsyncIterator[str]:
    """The running service's app on a real port (its lifespan is already running)."""
    port = free_port()
    config = uvicorn.Config(
        monitoring.client.app,  # type: ignore[attr-defined]
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM_INSTALLED:
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        await browser.close()


async def sign_in(browser: Browser, base: str, roles: list[str], offices: list[str]) -> Page:
    """As a person would: paste the token in the sign-in form."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{base}/dashboard")
    await page.get_by_label("Access token").fill(
        mint_token(AuthSettings(), "viewer", roles, offices)
    )
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()
    return page


async def cell(page: Page, selector: str) -> int:
    return int((await page.locator(selector).inner_text()).strip())


async def test_office_view_shows_the_read_model(
    monitoring: MonitoringUnderTest, programme: Programme, dashboard_url: str, browser: Browser
) -> None:
    office = monitoring.office
    headers = auth_headers(["monitoring_officer"], [office])
    report = (await monitoring.client.get(f"/offices/{office}/report", headers=headers)).json()
    page = await sign_in(browser, dashboard_url, ["monitoring_officer"], [office])
    assert page.url.endswith(f"/dashboard/offices/{office}")
    await page.get_by_role("heading", name=f"Country office {office.upper()}").wait_for()
    for stage in report["funnel"]:
        shown = await cell(
            page,
            f'{FUNNEL} td[data-stage="{stage["stage"]}"][data-measure="returnees"]',
        )
        assert shown == stage["returnees"], stage["stage"]
        if stage["plans"] is not None:
            plans = await cell(
                page,
                f'{FUNNEL} td[data-stage="{stage["stage"]}"][data-measure="plans"]',
            )
            assert plans == stage["plans"]
    assert await cell(page, '[data-kpi="overdue"]') == report["overdue_visits"]
    assert report["overdue_visits"] > 0
    for duration in report["durations"]:
        interval = f"{duration['start']}-{duration['end']}"
        row = page.locator(f'table[data-table="durations"] tr[data-interval="{interval}"]')
        expected = "—" if duration["median_days"] is None else str(duration["median_days"])
        assert (await row.locator('[data-measure="median"]').inner_text()).strip() == expected
    for flow in report["monthly"]:
        shown = await cell(
            page,
            f'{FLOWS} tr[data-month="{flow["month"]}"] td[data-stage="registered"]',
        )
        assert shown == flow["counts"]["registered"]
    charts = page.locator("svg[role=img]")
    assert await charts.count() == 4
    assert "Funnel" in (await page.locator("svg[role=img] > title").first.text_content() or "")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "monitoring-office.png"), full_page=True)
    # The case timeline, opened from the overdue list.
    await page.locator('table[data-table="overdue"] a').first.click()
    await page.get_by_role("heading", name="Case timeline").wait_for()
    assert await page.locator('[data-list="timeline"] li').count() >= 5
    assert await page.locator('[data-name-status="hidden"]').count() == 1
    await page.screenshot(path=str(ARTIFACTS / "monitoring-timeline.png"), full_page=True)


async def test_hq_view_compares_offices_with_the_read_model(
    monitoring: MonitoringUnderTest, programme: Programme, dashboard_url: str, browser: Browser
) -> None:
    hq = (
        await monitoring.client.get("/hq/report", headers=auth_headers(["hq_analyst"], []))
    ).json()
    page = await sign_in(browser, dashboard_url, ["hq_analyst"], [])
    assert page.url.endswith("/dashboard/hq")
    for office in hq["offices"]:
        for stage in office["funnel"]:
            shown = await cell(
                page,
                f'table[data-table="comparison"] tr[data-office="{office["country_office"]}"] '
                f'td[data-stage="{stage["stage"]}"]',
            )
            assert shown == stage["returnees"]
    ours = page.locator(f'tr[data-office="{monitoring.office}"] td[data-stage="registered"]')
    assert (await ours.inner_text()).strip() == "4"
    assert await page.locator("svg[role=img]").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "monitoring-hq.png"), full_page=True)
    # An office role cannot open the HQ view.
    office_page = await sign_in(browser, dashboard_url, ["office_manager"], [monitoring.office])
    response = await office_page.goto(f"{dashboard_url}/dashboard/hq")
    assert response is not None and response.status == 403
