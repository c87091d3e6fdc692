"""Who holds a case, through the app: an office manager assigns a case from the office's list,
and the caseworker finds it in "My cases", the first of their lists, also offline."""

from uuid import uuid4

import pytest
from playwright.async_api import Browser
from web_helpers import ARTIFACTS, Form, Site, in_read_model, registration_body, sign_in

from reintegration_sdk.auth import Role

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]


async def test_an_office_manager_assigns_a_case_and_the_caseworker_sees_it_in_my_cases(
    browser: Browser, site: Site
) -> None:
    cc = site.office
    # An office manager's registration (an import, say) leaves the case to no one.
    registered = await site.api.send(
        "intake",
        "POST",
        f"/offices/{cc}/returnees",
        Role.OFFICE_MANAGER,
        registration_body("Boukary", "Sawadogo", f"+226 76 {uuid4().int % 10**6:06d}"),
    )
    returnee = registered["returnee_id"]
    caseworker = f"cw-{uuid4().hex[:8]}"

    manager = await sign_in(browser, site, ["office_manager"], subject="om-ouaga")
    line = manager.locator('[data-list="cases"] li', has_text=returnee[:8])
    await line.get_by_text("unassigned").wait_for()
    await line.get_by_role("button", name="Assign").click()
    form = Form(manager, "assign-case")
    await form.form.wait_for()
    await form.choose_option("@returnee_id", returnee, reload_until_there=False)
    await form.fill({"caseworker": caseworker})
    await form.submit()
    case = await in_read_model(
        site,
        "intake",
        f"/offices/{cc}/returnees/{returnee}",
        Role.CASEWORKER,
        lambda case: case["caseworker"] == caseworker,
    )
    assert case["returnee_id"] == returnee

    # The caseworker's home: "My cases" first, with the case, in French here.
    page = await sign_in(browser, site, ["caseworker"], subject=caseworker, lang="fr")
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    mine = page.locator('[data-list="my-cases"]')
    await mine.get_by_text(returnee[:8]).wait_for()
    assert "Mes dossiers (1)" in await mine.locator("h3").inner_text()
    first_list = page.locator("section.worklist").first
    assert await first_list.get_attribute("data-list") == "my-cases"

    # In the field without a network: the list comes from the device.
    await page.context.set_offline(True)
    await page.reload()
    await page.locator('[data-online="false"]').wait_for()
    await mine.get_by_text(returnee[:8]).wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-my-cases-offline.png"), full_page=True)
    await page.context.set_offline(False)
