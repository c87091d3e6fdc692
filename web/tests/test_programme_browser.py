"""The office's programme, through the app: the office manager's form opens on the
configuration in force and saves the next version, which the programme service then holds."""

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser
from web_helpers import ARTIFACTS, Form, Site, in_read_model, sign_in

from reintegration_sdk.auth import Role

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]

SHIPPED = Path(__file__).resolve().parents[2] / "scenarios/src/reintegration_scenarios/bundled"


async def test_an_office_manager_changes_the_programme_from_what_is_in_force(
    browser: Browser, site: Site
) -> None:
    cc = site.office
    mali = json.loads((SHIPPED / "programmes/ml.json").read_text())
    path = f"/offices/{cc}/configuration"
    before = await site.api.send("programme", "PUT", path, Role.OFFICE_MANAGER, mali)

    page = await sign_in(browser, site, ["office_manager"], subject="om-bamako", lang="fr")
    form = await Form.open(page, "programme")
    # The form opens on the version in force, its values filled in.
    await page.locator(f'.in-force[data-version="{before["version"]}"]').wait_for()
    pass_mark = mali["certification"]["pass_mark"]
    assert await form.at("certification.pass_mark").input_value() == str(pass_mark)
    assert await form.at("allowance.daily_amount").input_value() == str(
        mali["allowance"]["daily_amount"]
    )
    await form.fill({"certification.pass_mark": str(pass_mark + 5)})
    await form.submit()

    saved = await in_read_model(
        site,
        "programme",
        path,
        Role.CASEWORKER,
        lambda c: c["version"] == before["version"] + 1,
    )
    # Only what the manager changed changed: the rest is the configuration that was in force.
    expected = {**mali, "certification": {**mali["certification"], "pass_mark": pass_mark + 5}}
    assert {key: saved[key] for key in expected} == expected
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-programme-fr.png"), full_page=True)

    # A caseworker has no such form: the programme is the office manager's.
    caseworker = await sign_in(browser, site, ["caseworker"], subject="cw-bamako")
    assert await caseworker.locator('a[href="#/act/programme"]').count() == 0
