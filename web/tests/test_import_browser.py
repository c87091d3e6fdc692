"""Spreadsheet import through the app: the column mapping guessed from the office's headers, a
dry run listing every line's errors, the import with its progress bar, and the same file
imported again registering no one twice."""

import httpx
import pytest
from playwright.async_api import Browser, Page
from web_helpers import ARTIFACTS, Site, registration_body, sign_in

from reintegration_sdk.auth import Role
from reintegration_web.sheets import caseload_rows, to_csv, to_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]


async def intake_honours_dry_run(site: Site) -> bool:
    """Whether intake rolls back a `Dry-Run: true` registration, as every command through the
    SDK's CommandRoute does: the app relies on it not to register anyone while checking."""
    async with httpx.AsyncClient(base_url=site.services["intake"]) as client:
        answer = await client.post(
            f"/offices/{site.office}/returnees",
            json=registration_body("Probe", "Essai", "+226 79 99 99 99", "1980-01-01"),
            headers={**site.api.headers(Role.CASEWORKER), "Dry-Run": "true"},
        )
    return answer.headers.get("Dry-Run") == "true"


async def caseload_size(site: Site) -> int:
    rows = await site.api.read(
        "intake", f"/offices/{site.office}/returnees", Role.CASEWORKER, limit=1000
    )
    return len(rows)


async def upload(page: Page, name: str, content: bytes, mime: str) -> None:
    await page.evaluate("() => { location.hash = '#/import' }")
    await page.locator("#import-file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    await page.locator("[data-rows]").wait_for()


async def run(page: Page, button: str, phase: str) -> dict[str, int]:
    await page.get_by_role("button", name=button, exact=True).click()
    result = page.locator(f'[data-import-result="{phase}"] [data-ok]')
    await result.wait_for(timeout=120_000)
    return {
        k: int(await result.get_attribute(f"data-{k}") or -1) for k in ("ok", "wrong", "replayed")
    }


async def test_import_checks_then_registers_each_line_once(browser: Browser, site: Site) -> None:
    rows = caseload_rows(6, seed=7)
    rows[3][2] = "31/02/1990"  # no such birth date
    rows[4][1] = ""  # no given names
    sheet = to_xlsx(rows)
    page = await sign_in(browser, site, ["caseworker"], subject="import-clerk")
    await upload(page, "dossiers.xlsx", sheet, "application/octet-stream")
    assert await page.locator("[data-rows]").get_attribute("data-rows") == "6"
    assert await page.locator('[data-target="birth_date"]').input_value() == "2"
    before = await caseload_size(site)
    assert await intake_honours_dry_run(site)
    checked = await run(page, "Dry run", "checked")
    assert checked == {"ok": 4, "wrong": 2, "replayed": 0}
    lines = page.locator("table.errors tr[data-row]")
    assert [await line.get_attribute("data-row") for line in await lines.all()] == ["5", "6"]
    assert "Birth date" in await lines.nth(0).inner_text()
    assert "Given names" in await lines.nth(1).inner_text()
    assert await caseload_size(site) == before  # a dry run keeps nothing
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-import-dry-run.png"), full_page=True)
    done = await run(page, "Import", "done")
    assert done == {"ok": 4, "wrong": 2, "replayed": 0}
    assert await page.locator("#import-progress").get_attribute("value") == "6"
    assert await caseload_size(site) == before + 4
    await page.screenshot(path=str(ARTIFACTS / "web-import-done.png"), full_page=True)

    # The same file again, as CSV or as the same XLSX: every line replays, no one is new.
    await upload(page, "dossiers.xlsx", sheet, "application/octet-stream")
    await run(page, "Dry run", "checked")
    again = await run(page, "Import", "done")
    assert again == {"ok": 4, "wrong": 2, "replayed": 4}
    assert await caseload_size(site) == before + 4


async def test_csv_lines_with_errors_are_listed(browser: Browser, site: Site) -> None:
    rows = caseload_rows(3, seed=11)
    rows[1][3] = "X"  # no such sex
    page = await sign_in(browser, site, ["caseworker"], subject="import-clerk-2")
    await upload(page, "dossiers.csv", to_csv(rows), "text/csv")
    assert await page.locator('[data-target="family_name"]').input_value() == "0"
    checked = await run(page, "Dry run", "checked")
    assert checked["wrong"] == 1
    assert "Sex" in await page.locator('table.errors tr[data-row="3"]').inner_text()
