"""`python -m bench.web_import`: the staff app's spreadsheet import of a 10,000-row XLSX file,
timed in Chromium against the five services (fresh databases, an unused office).

Phases as the office clerk runs them: reading the file and guessing the columns, the dry run
(every row sent with `Dry-Run: true`), the import (progress bar to the end), and the same file
imported again (every row replays its first answer; no one is registered twice). The caseload
is counted afterwards through intake's API. Results: a table on stdout and
bench/results/web-import-<timestamp>.json and latest-web-import.json.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from playwright.async_api import Page, async_playwright

from bench.report import stamp_now, write_document
from bench.services import unused_offices
from reintegration_sdk.auth import AuthSettings, mint_token
from reintegration_sdk.testing.infrastructure import Infrastructure, free_port
from reintegration_sdk.testing.platform import local_platform
from reintegration_web.host import create_app
from reintegration_web.settings import WebSettings
from reintegration_web.sheets import caseload_rows, to_xlsx

RESULTS = Path(__file__).parent / "results"
CHROMIUM = "/usr/bin/chromium"
PHASE_TIMEOUT_MS = 20 * 60 * 1000


async def _phase(page: Page, button: str, phase: str) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    await page.get_by_role("button", name=button, exact=True).click()
    done = page.locator(f'[data-import-result="{phase}"] [data-ok], .notice.error[role=alert]')
    await done.first.wait_for(timeout=PHASE_TIMEOUT_MS)
    elapsed = time.perf_counter() - started
    result = page.locator(f'[data-import-result="{phase}"] [data-ok]')
    if not await result.count():
        raise RuntimeError(await page.locator(".notice.error[role=alert]").first.inner_text())
    counts = {
        k: int(await result.get_attribute(f"data-{k}") or -1) for k in ("ok", "wrong", "replayed")
    }
    return elapsed, counts


async def _caseload(url: str, office: str, token: str) -> int:
    total, offset = 0, 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        while True:
            rows = (
                await client.get(
                    f"/offices/{office}/returnees",
                    params={"limit": 1000, "offset": offset},
                    headers={"authorization": f"Bearer {token}"},
                )
            ).json()
            total += len(rows)
            offset += 1000
            if len(rows) < 1000:
                return total


async def run(rows: int) -> dict[str, Any]:
    infrastructure = Infrastructure(
        os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["DATABASE_URL"], "environment"
    )
    [office] = await unused_offices(infrastructure.kafka_bootstrap_servers, 1)
    token = mint_token(AuthSettings(), "bench-clerk", ["caseworker"], [office])
    sheet = to_xlsx(caseload_rows(rows, seed=3))
    document: dict[str, Any] = {"rows": rows, "file_bytes": len(sheet), "office": office}
    with tempfile.TemporaryDirectory(prefix="bench-web-") as logs:
        async with local_platform(infrastructure, [office], Path(logs), prefix="bweb") as platform:
            port = free_port()
            server = uvicorn.Server(
                uvicorn.Config(
                    create_app(WebSettings(port=port, services=platform.urls)),
                    host="127.0.0.1", port=port, log_level="warning",
                )
            )  # fmt: skip
            serving = asyncio.create_task(server.serve())
            while not server.started:
                await asyncio.sleep(0.05)
            try:
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(
                        executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
                    )
                    page = await browser.new_page()
                    await page.goto(f"http://127.0.0.1:{port}/")
                    await page.locator("#token").fill(token)
                    await page.locator(".signin button[type=submit]").click()
                    await page.locator("header [data-subject]").wait_for()
                    await page.evaluate("() => { location.hash = '#/import' }")
                    started = time.perf_counter()
                    await page.locator("#import-file").set_input_files(
                        {"name": "caseload.xlsx", "mimeType": "application/octet-stream",
                         "buffer": sheet}
                    )  # fmt: skip
                    await page.locator(f'[data-rows="{rows}"]').wait_for(timeout=120_000)
                    document["read_and_map_seconds"] = round(time.perf_counter() - started, 2)
                    for name, button, phase in (
                        ("dry_run", "Dry run", "checked"),
                        ("import", "Import", "done"),
                        ("dry_run_again", "Dry run", "checked"),
                        ("import_again", "Import", "done"),
                    ):
                        try:
                            seconds, counts = await _phase(page, button, phase)
                        except RuntimeError as refused:
                            document[name] = {"failed": str(refused)}
                            break
                        document[name] = {
                            "seconds": round(seconds, 2),
                            "rows_per_second": round(rows / seconds, 1),
                            **counts,
                        }
                    await browser.close()
            finally:
                server.should_exit = True
                await serving
            document["caseload_after"] = await _caseload(platform.urls["intake"], office, token)
    return document


def render(document: dict[str, Any]) -> str:
    lines = [
        f"Staff app import of {document['rows']:,} rows ({document['file_bytes']:,} bytes XLSX)"
    ]
    lines.append(f"  read and map columns   {document.get('read_and_map_seconds', '-')} s")
    for name in ("dry_run", "import", "dry_run_again", "import_again"):
        phase = document.get(name)
        if phase is None:
            continue
        if "failed" in phase:
            lines.append(f"  {name:<22} not measured: {phase['failed']}")
            continue
        lines.append(
            f"  {name:<22} {phase['seconds']:>8} s  {phase['rows_per_second']:>8} rows/s  "
            f"ok {phase['ok']}  wrong {phase['wrong']}  replayed {phase['replayed']}"
        )
    lines.append(f"  caseload afterwards    {document['caseload_after']:,} returnees")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the file (10,000)")
    args = parser.parse_args(argv)
    document = asyncio.run(run(args.rows))
    document["timestamp"] = stamp = stamp_now()
    print(render(document))
    path = write_document(RESULTS, "web-import", stamp, document)
    print(f"written to {path}")
    imported = document.get("import_again", {})
    return 0 if imported.get("replayed") == imported.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
