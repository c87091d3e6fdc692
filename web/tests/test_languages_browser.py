"""French and English on every page, nothing left untranslated, and no serious accessibility
violation (axe-core, from the app's own node_modules) on the main pages."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from web_helpers import ARTIFACTS, Site, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]

WEB = Path(__file__).resolve().parents[1]
I18N = WEB / "app" / "i18n"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
ACTS = [
    "register", "consent", "counselling-session", "interview", "schedule-cohort", "enrolment",
    "attendance", "completion", "assessment", "business-plan", "budget-review",
    "committee-session", "decision", "kit-order", "kit-handover", "follow-up", "survey",
]  # fmt: skip
MAIN_PAGES = [
    "#/",
    "#/act/register",
    "#/act/business-plan",
    "#/act/follow-up",
    "#/outbox",
    "#/import",
]


def catalogue() -> list[dict[str, str]]:
    """Every entry of the app's catalogues, each with its English and French."""
    entries: list[dict[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict) and set(node) == {"en", "fr"}:
            entries.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    for name in ("messages", "codes", "vocabulary", "survey"):
        walk(json.loads((I18N / f"{name}.json").read_text()))
    return entries


def other_language(lang: str) -> set[str]:
    """Strings of the other language that differ from this one's (a sign of a mix-up)."""
    other = "fr" if lang == "en" else "en"
    return {
        e[other]
        for e in catalogue()
        if e[other] != e[lang] and "{" not in e[other] and len(e[other]) > 3
    }


TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (el.getAttribute(a)) texts.push(el.getAttribute(a));
    }
  }
  return texts;
}"""


async def texts_of(page: Page) -> list[str]:
    return list(await page.evaluate(TEXTS))


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


async def open_page(page: Page, route: str) -> None:
    await page.evaluate("route => { location.hash = route }", route)
    await page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_every_page_is_in_one_language(browser: Browser, site: Site, lang: str) -> None:
    page = await sign_in(browser, site, ["office_manager", "personal_data_viewer"], lang=lang)
    assert await page.evaluate("document.documentElement.lang") == lang
    foreign = other_language(lang)
    for route in ["#/", "#/outbox", "#/import", *(f"#/act/{act}" for act in ACTS)]:
        await open_page(page, route)
        texts = await texts_of(page)
        missing = [t for t in texts if "⟦" in t]
        assert not missing, (route, missing)
        mixed = [t for t in texts if t in foreign]
        assert not mixed, (route, lang, mixed)
    ARTIFACTS.mkdir(exist_ok=True)
    await open_page(page, "#/act/register")
    await page.screenshot(path=str(ARTIFACTS / f"web-register-{lang}.png"), full_page=True)
    # The choice is kept: a new page of the same browser opens in the same language.
    again = await page.context.new_page()
    await again.goto(f"{site.url}/")
    await again.locator("header [data-subject]").wait_for()
    assert await again.evaluate("document.documentElement.lang") == lang


async def test_no_serious_accessibility_violation(browser: Browser, site: Site) -> None:
    # The app's CSP allows no inline script: the test lets axe in, the app's pages stay as served.
    context = await browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="fr-FR", bypass_csp=True
    )
    signin = await context.new_page()
    await signin.goto(f"{site.url}/")
    await signin.locator("#token").wait_for()
    found = {"sign-in": await serious_violations(signin)}
    page = await sign_in(browser, site, ["office_manager"], lang="fr", context=context)
    for route in MAIN_PAGES:
        await open_page(page, route)
        found[route] = await serious_violations(page)
    assert all(not v for v in found.values()), found
