"""A caseworker in the field: the app opens and its forms work without a network, what was
recorded waits on the device, and once back online exactly those events appear, once."""

import pytest
from playwright.async_api import Browser, Page
from web_helpers import (
    ARTIFACTS,
    Form,
    Site,
    days_ago,
    eventually,
    follow_ups_of,
    returnees_with_a_kit,
    sign_in,
)

from reintegration_sdk.auth import Role

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]


async def outbox_shows(page: Page, counts: str, timeout: float = 60_000) -> None:
    """The outbox page says pending/sent/refused = `counts`."""
    await page.evaluate("() => { location.hash = '#/outbox' }")
    await page.locator(f'[data-counts="{counts}"]').wait_for(timeout=timeout)


async def record_visit(page: Page, returnee: str) -> None:
    form = await Form.open(page, "follow-up")
    await form.choose_option("@returnee_id", returnee, reload_until_there=False)
    await form.fill({"visited_on": days_ago(1), "jobs_created": "0", "satisfaction": "3"})
    await form.select({"monthly_revenue_band": "low", "monthly_profit_band": "low"})
    await form.submit(expect="queued")


async def test_offline_visits_and_registration_go_through_once(
    browser: Browser, site: Site
) -> None:
    ids = await returnees_with_a_kit(site, ["Issa", "Moussa", "Salif"])
    page = await sign_in(browser, site, ["caseworker"], subject="awa")
    # The shell is on the device once the service worker controls the page.
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    await page.get_by_role("button", name="Keep today's lists on this device").click()
    await page.get_by_text("lists kept on this device").wait_for()
    for rid in ids:  # the day's visits are on the device: the overdue list has them
        await page.locator('[data-list="overdue"]').get_by_text(rid[:8]).first.wait_for()

    await page.context.set_offline(True)
    await page.locator('[data-online="false"]').wait_for()
    for rid in ids:
        await record_visit(page, rid)
    form = await Form.open(page, "register")
    await form.fill(
        {
            "arrival_date": days_ago(3),
            "community.region": "Centre-Est",
            "community.commune": "Béguédo",
            "person.given_names": "Rasmata",
            "person.family_name": "Zongo",
            "person.birth_date": "1999-08-21",
            "household_size": "2",
        }
    )
    await form.select({"return_type": "forced", "sex": "female"})
    await form.submit(expect="queued")
    await outbox_shows(page, "4/0/0")

    # A reload while still offline: the app comes from the device, the queue with it.
    await page.reload()
    await page.locator("header [data-subject]").wait_for()
    assert await page.locator('[data-online="false"]').count() == 1
    await outbox_shows(page, "4/0/0")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-offline-outbox.png"), full_page=True)
    for rid in ids:
        assert await follow_ups_of(site, rid) == []

    await page.context.set_offline(False)

    await outbox_shows(page, "0/4/0")
    await page.screenshot(path=str(ARTIFACTS / "web-online-outbox.png"), full_page=True)
    for rid in ids:
        assert await eventually(lambda rid=rid: _one_visit(site, rid)) == ["FollowUpRecorded"]
    caseload = await site.api.read("intake", f"/offices/{site.office}/returnees", Role.CASEWORKER)
    assert [c["community"]["commune"] for c in caseload].count("Béguédo") == 1

    # Reloading again sends nothing more.
    await page.reload()
    await page.locator("header [data-subject]").wait_for()
    await outbox_shows(page, "0/4/0")
    for rid in ids:
        assert await follow_ups_of(site, rid) == ["FollowUpRecorded"]


async def _one_visit(site: Site, returnee: str) -> list[str]:
    found = await follow_ups_of(site, returnee)
    assert found, "not yet in monitoring's timeline"
    return found
