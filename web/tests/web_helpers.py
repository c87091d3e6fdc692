"""What the staff app's browser tests share: signing in, filling the forms, the office's data."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from reintegration_scenarios.client import CommandRefused, Platform, Waits
from reintegration_sdk.auth import AuthSettings, Role, mint_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
T = TypeVar("T")


def days_ago(n: int) -> str:
    return str(date.today() - timedelta(days=n))


@dataclass
class Site:
    url: str
    office: str
    api: Platform
    services: dict[str, str]

    def token(self, subject: str, roles: list[str]) -> str:
        return mint_token(AuthSettings(), subject, roles, [self.office])


async def sign_in(
    browser: Browser,
    site: Site,
    roles: list[str],
    subject: str = "amina",
    lang: str = "en",
    context: BrowserContext | None = None,
) -> Page:
    """As a person would: choose the language, paste the token, sign in."""
    context = context or await browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="en-GB" if lang == "en" else "fr-FR"
    )
    page = await context.new_page()
    page.on("pageerror", lambda error: print(f"page error: {error}"))
    page.on("console", lambda m: print(f"console: {m.text}") if m.type == "error" else None)
    await page.goto(f"{site.url}/")
    await page.locator("#lang").select_option(lang)
    await page.locator("#token").fill(site.token(subject, roles))
    await page.locator(".signin button[type=submit]").click()
    await page.locator("header [data-subject]").wait_for()
    return page


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 60.0) -> T:
    """Retry until the check stops raising AssertionError (facts travel through Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


class Form:
    """One act's form, filled in by the paths of its request body."""

    def __init__(self, page: Page, act: str) -> None:
        self.page = page
        self.act = act
        self.form = page.locator(f'form[data-act="{act}"]')

    @classmethod
    async def open(cls, page: Page, act: str) -> "Form":
        await page.evaluate("hash => { location.hash = hash }", f"#/act/{act}")
        form = cls(page, act)
        await form.form.wait_for()
        return form

    def at(self, path: str) -> Any:
        return self.form.locator(f'[data-path="{path}"]').first

    async def fill(self, values: dict[str, str]) -> None:
        for path, value in values.items():
            await self.at(path).fill(value)

    async def select(self, values: dict[str, str]) -> None:
        for path, value in values.items():
            await self.at(path).select_option(value)

    async def choose_option(self, path: str, value: str, reload_until_there: bool = True) -> None:
        """Pick `value` in a list read from a service. The service may learn of it through
        Kafka a moment after it happened: wait for it, reopening the form if allowed (not for
        a list that depends on another choice in the form, which a reload would undo)."""
        option = self.at(path).locator(f'option[value="{value}"]')

        async def there() -> None:
            try:
                await option.wait_for(state="attached", timeout=3_000)
            except PlaywrightTimeout:
                if reload_until_there:
                    await self.page.reload()
                    await self.form.wait_for()
                raise AssertionError(f"{value} not yet in {path}") from None

        await eventually(there)
        await self.at(path).select_option(value)

    async def check(self, path: str, on: bool = True) -> None:
        await self.at(path).set_checked(on)

    async def tick(self, path: str, value: str) -> None:
        await self.form.locator(f'[data-path="{path}"] input[value="{value}"]').check()

    async def add_row(self, path: str) -> None:
        await self.form.locator(f'fieldset[data-path="{path}"] > button.secondary').last.click()

    async def send(self) -> str:
        """Click Save and wait for this submission's outcome; returns its kind."""
        before = int(await self.form.get_attribute("data-finished") or 0)
        # What a click on Save does; a click by coordinates can miss a button that a
        # late-loading list has just moved down the page.
        await self.form.evaluate("form => form.requestSubmit()")
        result = self.page.locator(f'[data-submission="{before + 1}"] [data-outcome]').first
        try:
            await result.wait_for(timeout=45_000)
        except PlaywrightTimeout:
            ARTIFACTS.mkdir(exist_ok=True)
            await self.page.screenshot(
                path=str(ARTIFACTS / f"failed-{self.act}.png"), full_page=True
            )
            raise
        return str(await result.get_attribute("data-outcome"))

    async def submit(self, expect: str = "sent") -> str:
        kind = await self.send()
        text = await self.page.locator("[data-submission]").inner_text()
        assert kind == expect, f"{self.act}: {kind}, expected {expect}: {text}"
        return text

    async def answer_id(self) -> str:
        found = self.page.locator("[data-answer-id]").last
        return str(await found.get_attribute("data-answer-id"))


async def in_read_model(
    site: Site, service: str, path: str, role: Role, check: Callable[[Any], bool], **params: Any
) -> Any:
    """Wait until the service's read model shows what the form did."""

    async def look() -> Any:
        body = await site.api.read(service, path, role, **params)
        assert check(body), f"{service} {path}: {str(body)[:400]}"
        return body

    return await eventually(look)


COUNSELLED = Waits.on((409, "returnee_not_counselled"))
TRAINED = Waits.on((409, "beneficiary_not_trained"), (404, "not_found"))


async def submit_until_accepted(form: Form, not_yet: tuple[str, ...], timeout: float = 60.0) -> str:
    """Submit; while the service answers with a rule that only says "not yet" (a fact it learns
    through Kafka, such as the counselling a cohort needs), submit the same form again."""
    deadline = time.monotonic() + timeout
    while True:
        kind = await form.send()
        if kind == "sent":
            return await form.page.locator("[data-submission]").inner_text()
        rule = await form.page.locator("[data-rule]").first.get_attribute("data-rule")
        if kind != "refused" or rule not in not_yet or time.monotonic() > deadline:
            text = await form.page.locator("[data-submission]").inner_text()
            raise AssertionError(f"{form.act}: {kind} {rule}: {text}")
        await asyncio.sleep(1.0)


def registration_body(
    given: str, family: str, phone: str, birth: str = "1990-03-04"
) -> dict[str, Any]:
    return {
        "arrival_date": days_ago(90),
        "return_type": "assisted_voluntary",
        "community": {"region": "Centre-Est", "commune": "Tenkodogo"},
        "sex": "male",
        "person": {
            "given_names": given,
            "family_name": family,
            "birth_date": birth,
            "phone": phone,
        },
        "household_size": 3,
    }


async def returnees_with_a_kit(site: Site, names: list[str]) -> list[str]:
    """Returnees brought over the API to a delivered kit (one collective plan), so that
    follow-up visits can be recorded for them: the offline test's starting point."""
    api, cc = site.api, site.office
    ids = []
    for index, name in enumerate(names):
        body = registration_body(name, "Kaboré", f"+226 76 00 {index:02d} {len(name):02d}")
        ids.append(
            (await api.send("intake", "POST", f"/offices/{cc}/returnees", Role.CASEWORKER, body))[
                "returnee_id"
            ]
        )
    await api.send(
        "intake",
        "POST",
        f"/offices/{cc}/counselling-sessions",
        Role.CASEWORKER,
        {
            "held_on": days_ago(60),
            "community": {"region": "Centre-Est", "commune": "Tenkodogo"},
            "experts_present": [{"sector": "agriculture", "count": 1}],
            "local_authorities_present": 1,
            "civil_society_present": 1,
            "participant_ids": ids,
        },
    )
    # An earlier test of the session may have set it already: then it is refused.
    with contextlib.suppress(CommandRefused):
        await api.send(
            "training",
            "POST",
            f"/offices/{cc}/daily-allowance",
            Role.OFFICE_MANAGER,
            {"daily_amount": 2500, "currency": "XOF", "effective_from": days_ago(400)},
        )
    cohort = (
        await api.send(
            "training",
            "POST",
            f"/offices/{cc}/cohorts",
            Role.TRAINING_OFFICER,
            {
                "kind": "entrepreneurship",
                "locality": {"region": "Centre-Est", "commune": "Tenkodogo"},
                "start_date": days_ago(50),
                "capacity": 20,
            },
        )
    )["id"]
    for rid in ids:
        await api.send(
            "training",
            "POST",
            f"/offices/{cc}/cohorts/{cohort}/enrolments",
            Role.TRAINING_OFFICER,
            {"returnee_id": rid, "enrolled_on": days_ago(50)},
            waits=COUNSELLED,
        )
    for day in (50, 49, 48, 47, 46):
        await api.send(
            "training",
            "POST",
            f"/offices/{cc}/cohorts/{cohort}/attendance",
            Role.TRAINING_OFFICER,
            {"day": days_ago(day), "marks": [{"returnee_id": r, "present": True} for r in ids]},
        )
    for rid in ids:
        await api.send(
            "training",
            "POST",
            f"/offices/{cc}/cohorts/{cohort}/completions",
            Role.TRAINING_OFFICER,
            {"returnee_id": rid, "completed_on": days_ago(46)},
        )
    plan = (
        await api.send(
            "committee",
            "POST",
            f"/offices/{cc}/plans",
            Role.CASEWORKER,
            {
                "kind": "collective",
                "beneficiary_ids": ids,
                "sector": "agriculture",
                "trade": "poultry",
                "activity": "Poultry farm",
                "locality": {"region": "Centre-Est", "commune": "Tenkodogo"},
                "budget_lines": [
                    {
                        "item": "chicken coop",
                        "quantity": 1,
                        "unit_cost": 90000,
                        "specification": "Wood and mesh, 20 birds",
                    }
                ],
                "in_kind_contribution": [{"description": "land", "value": 10000}],
                "currency": "XOF",
                "submitted_on": days_ago(40),
            },
            waits=TRAINED,
        )
    )["plan_id"]
    await api.send(
        "procurement",
        "POST",
        f"/offices/{cc}/budget-reviews/{plan}/revisions",
        Role.PROCUREMENT_OFFICER,
        {"adjustments": [], "reviewed_on": days_ago(39)},
        waits=Waits.on((404, "not_found")),
    )
    session = (
        await api.send(
            "committee",
            "POST",
            f"/offices/{cc}/sessions",
            Role.COMMITTEE_SECRETARY,
            {
                "locality": {"region": "Centre-Est", "commune": "Tenkodogo"},
                "held_on": days_ago(38),
                "members": [
                    {"role": "local_authority", "organisation": "Mairie"},
                    {"role": "technical_expert", "organisation": "DRA"},
                    {"role": "civil_society", "organisation": "AJR"},
                ],
            },
        )
    )["session_id"]
    await api.send(
        "committee",
        "POST",
        f"/offices/{cc}/plans/{plan}/approval",
        Role.COMMITTEE_SECRETARY,
        {"session_id": session},
        waits=Waits.on((409, "budget_not_reviewed")),
    )

    async def order() -> dict[str, Any]:
        rows = await api.read("procurement", f"/offices/{cc}/kit-orders", Role.PROCUREMENT_OFFICER)
        found = [r for r in rows if r["plan_id"] == plan]
        assert found, "no kit order yet"
        return dict(found[0])

    kit = await eventually(order)
    await api.send(
        "procurement",
        "POST",
        f"/offices/{cc}/plans/{plan}/kit-delivery",
        Role.PROCUREMENT_OFFICER,
        {
            "delivered_on": days_ago(30),
            "acknowledged_by_beneficiary": True,
            "items": [
                {
                    "item": line["item"],
                    "quantity": line["quantity"],
                    "value": line["quantity"] * line["unit_price"],
                }
                for line in kit["lines"]
            ],
        },
    )

    async def scheduled() -> None:
        rows = await api.read(
            "monitoring", f"/offices/{cc}/follow-ups/overdue", Role.MONITORING_OFFICER
        )
        assert {r["returnee_id"] for r in rows} >= set(ids), "follow-ups not scheduled yet"

    await eventually(scheduled)
    return ids


async def follow_ups_of(site: Site, returnee: str) -> list[str]:
    timeline = await site.api.read(
        "monitoring", f"/offices/{site.office}/returnees/{returnee}/timeline", Role.CASEWORKER
    )
    return [e["event_name"] for e in timeline["entries"] if e["event_name"] == "FollowUpRecorded"]
