"""Each daily act through its form in Chromium, and what it did seen in the services' read
models: a returnee from registration to a follow-up visit and a sustainability survey, through
the app alone (the office's allowance aside, which is configuration, not a daily act)."""

import pytest
from playwright.async_api import Browser
from web_helpers import (
    ARTIFACTS,
    Form,
    Site,
    days_ago,
    in_read_model,
    sign_in,
    submit_until_accepted,
)

from reintegration_sdk.auth import Role

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.timeout(600)]

STAFF = ["office_manager", "personal_data_viewer"]
PLACE = {"region": "Centre-Est", "commune": "Tenkodogo"}


def place(prefix: str) -> dict[str, str]:
    return {f"{prefix}.{key}": value for key, value in PLACE.items()}


async def register(form: Form, given: str, family: str, phone: str) -> None:
    await form.fill(
        {
            "arrival_date": days_ago(60),
            **place("community"),
            "person.given_names": given,
            "person.family_name": family,
            "person.birth_date": "1994-05-17",
            "person.phone": phone,
            "household_size": "4",
        }
    )
    await form.select({"return_type": "assisted_voluntary", "sex": "female"})
    await form.tick("vulnerabilities", "single_parent")


async def test_a_returnee_from_registration_to_follow_up(browser: Browser, site: Site) -> None:
    cc = site.office
    await site.api.send(
        "training",
        "POST",
        f"/offices/{cc}/daily-allowance",
        Role.OFFICE_MANAGER,
        {"daily_amount": 2500, "currency": "XOF", "effective_from": days_ago(400)},
    )
    page = await sign_in(browser, site, STAFF)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-home.png"), full_page=True)

    # Registration, then the same person again: the duplicate check names the first case,
    # and registering anyway needs a reason, which the event keeps.
    form = await Form.open(page, "register")
    await register(form, "Aminata", "Ouédraogo", "+226 70 11 22 33")
    await form.submit()
    returnee = await form.answer_id()
    await in_read_model(
        site,
        "intake",
        f"/offices/{cc}/returnees/{returnee}",
        Role.CASEWORKER,
        lambda case: case["sex"] == "female" and case["vulnerabilities"] == ["single_parent"],
    )
    await register(form, "Aminata", "Ouédraogo", "+226 70 11 22 33")
    assert await form.at("person.phone").input_value() == "+226 70 11 22 33"
    await form.submit(expect="refused")
    assert await page.locator('[data-rule="likely_duplicate"]').count() == 1
    candidates = page.locator("[data-candidate]")
    assert await candidates.count() == 1
    assert await candidates.first.get_attribute("data-candidate") == returnee
    # The caseworker may see personal data, so the candidate's name is shown to compare.
    await candidates.filter(has_text="Aminata Ouédraogo").wait_for()
    await page.screenshot(path=str(ARTIFACTS / "web-duplicate.png"), full_page=True)
    await page.locator("#override-reason").select_option("namesake")
    await page.locator("#override-note").fill("Different mother's name; checked the card.")
    await page.get_by_role("button", name="Register anyway").click()
    await page.locator('[data-outcome="sent"]').wait_for()
    namesake = await form.answer_id()
    assert namesake != returnee
    override = await in_read_model(
        site,
        "intake",
        f"/offices/{cc}/returnees/{namesake}",
        Role.CASEWORKER,
        lambda case: case["duplicate_override"] is not None,
    )
    assert override["duplicate_override"]["reason"] == "namesake"
    assert override["duplicate_override"]["candidate_ids"] == [returnee]

    form = await Form.open(page, "consent")
    await form.choose_option("@returnee_id", returnee)
    await form.select({"purpose": "monitoring_and_evaluation", "partner_category": "ngo"})
    await form.submit()
    await in_read_model(
        site,
        "intake",
        f"/offices/{cc}/returnees/{returnee}/consents",
        Role.CASEWORKER,
        lambda consents: [c["purpose"] for c in consents] == ["monitoring_and_evaluation"],
    )

    form = await Form.open(page, "counselling-session")
    await form.fill({"held_on": days_ago(30), **place("community")})
    await form.fill({"experts_present.0.sector": "agriculture", "experts_present.0.count": "2"})
    await form.fill({"local_authorities_present": "1", "civil_society_present": "1"})
    await form.tick("participant_ids", returnee)
    await form.submit()

    form = await Form.open(page, "interview")
    await form.choose_option("@returnee_id", returnee)
    await form.fill({"interviewed_on": days_ago(29), "years_of_experience": "3"})
    await form.fill({"skills": "sewing, selling", "note": "Wants her own workshop."})
    await form.select({"intended_track": "entrepreneurship"})
    await form.submit()
    case = await in_read_model(
        site,
        "intake",
        f"/offices/{cc}/returnees/{returnee}",
        Role.CASEWORKER,
        lambda c: {e["kind"] for e in c["counselling"]} == {"group_session", "interview"},
    )
    assert case["stage"] == "counselled"

    # Entrepreneurship training: five days, four attended, completed and passed.
    form = await Form.open(page, "schedule-cohort")
    await form.select({"kind": "entrepreneurship"})
    await form.fill({**place("locality"), "start_date": days_ago(20), "capacity": "12"})
    await form.submit()
    cohort = await form.answer_id()
    form = await Form.open(page, "enrolment")
    await form.choose_option("@cohort_id", cohort)
    await form.choose_option("returnee_id", returnee)
    await form.fill({"enrolled_on": days_ago(20)})
    await submit_until_accepted(form, ("returnee_not_counselled",))
    for day in (20, 19, 18, 17):
        form = await Form.open(page, "attendance")
        await form.choose_option("@cohort_id", cohort)
        await form.fill({"day": days_ago(day)})
        await form.form.locator(f'[data-returnee="{returnee}"]').check()
        if day == 20:
            await page.screenshot(path=str(ARTIFACTS / "web-attendance.png"), full_page=True)
        await form.submit()
    form = await Form.open(page, "completion")
    await form.choose_option("@cohort_id", cohort)
    await form.choose_option("returnee_id", returnee, reload_until_there=False)
    await form.fill({"completed_on": days_ago(16)})
    await form.submit()
    trainee = await in_read_model(
        site,
        "training",
        f"/offices/{cc}/cohorts/{cohort}",
        Role.TRAINING_OFFICER,
        lambda c: c["trainees"] and c["trainees"][0]["passed"] is True,
    )
    assert trainee["trainees"][0]["days_present"] == 4

    # The business plan, its budget reviewed by procurement, decided by the committee.
    form = await Form.open(page, "business-plan")
    await form.tick("beneficiary_ids", returnee)
    await form.fill({"sector": "crafts", "trade": "tailoring", "activity": "Tailoring workshop"})
    await form.fill(place("locality"))
    await form.fill(
        {
            "budget_lines.0.item": "sewing machine",
            "budget_lines.0.quantity": "1",
            "budget_lines.0.unit_cost": "150000",
            "budget_lines.0.specification": "Manual, cast iron",
            "submitted_on": days_ago(10),
        }
    )
    await form.fill({"in_kind_contribution.0.description": "workshop space"})
    await form.fill({"in_kind_contribution.0.value": "20000"})
    await page.screenshot(path=str(ARTIFACTS / "web-business-plan.png"), full_page=True)
    await submit_until_accepted(form, ("beneficiary_not_trained",))
    plan = await form.answer_id()

    form = await Form.open(page, "budget-review")
    await form.choose_option("@plan_id", plan)
    await form.add_row("adjustments")
    await form.fill(
        {
            "adjustments.0.line": "1",
            "adjustments.0.reason": "Priced with two local suppliers",
            "adjustments.0.reviewed_unit_cost": "140000",
            "reviewed_on": days_ago(9),
        }
    )
    await form.submit()
    reviews = await in_read_model(
        site,
        "procurement",
        f"/offices/{cc}/budget-reviews/{plan}",
        Role.PROCUREMENT_OFFICER,
        lambda revisions: len(revisions) == 2,
    )
    assert reviews[-1]["reviewed_total"] == 140000 and not reviews[-1]["awaiting_officer"]

    form = await Form.open(page, "committee-session")
    await form.fill({**place("locality"), "held_on": days_ago(8)})
    for index, (role, organisation) in enumerate(
        [("local_authority", "Mairie"), ("technical_expert", "DRA"), ("civil_society", "AJR")]
    ):
        await form.select({f"members.{index}.role": role})
        await form.fill({f"members.{index}.organisation": organisation})
    await form.submit()
    session = await form.answer_id()

    form = await Form.open(page, "decision")
    await form.choose_option("@plan_id", plan)
    await form.select({"@decision": "approval"})
    await form.choose_option("session_id", session)
    await form.submit()
    await in_read_model(
        site,
        "committee",
        f"/offices/{cc}/plans/{plan}",
        Role.COMMITTEE_SECRETARY,
        lambda p: p["status"] == "approved",
    )

    # The kit: procurement orders it from the approval; the handover is recorded here.
    orders = await in_read_model(
        site,
        "procurement",
        f"/offices/{cc}/kit-orders",
        Role.PROCUREMENT_OFFICER,
        lambda rows: any(r["plan_id"] == plan for r in rows),
    )
    order = next(r["order_id"] for r in orders if r["plan_id"] == plan)
    form = await Form.open(page, "kit-handover")
    await form.choose_option("@order_id", order)
    # The order names the catalogue's item code (no words on the wire): the plan's words made it.
    assert await form.at("items.0.item").input_value() == "sewing_machine"
    await form.fill({"delivered_on": days_ago(7)})
    await form.check("acknowledged_by_beneficiary")
    await form.submit()
    await in_read_model(
        site,
        "procurement",
        f"/offices/{cc}/kit-orders/{order}",
        Role.PROCUREMENT_OFFICER,
        lambda o: o["delivered_on"] == days_ago(7) and o["acknowledged"] is True,
    )

    # Follow-up: a visit and the sustainability survey.
    form = await Form.open(page, "follow-up")
    await form.choose_option("@returnee_id", returnee)
    await form.select({"monthly_revenue_band": "medium", "monthly_profit_band": "low"})
    await form.fill({"jobs_created": "1", "satisfaction": "4"})
    await submit_until_accepted(form, ("no_kit_delivered",))
    form = await Form.open(page, "survey")
    await form.choose_option("@returnee_id", returnee)
    questions = form.form.locator('select[data-path^="answers."]')
    await questions.first.wait_for()
    assert await questions.count() == 10
    for index in range(await questions.count()):
        await questions.nth(index).select_option(index=3)  # the best answer of each scale
    await page.screenshot(path=str(ARTIFACTS / "web-survey.png"), full_page=True)
    await form.submit()
    timeline = await in_read_model(
        site,
        "monitoring",
        f"/offices/{cc}/returnees/{returnee}/timeline",
        Role.CASEWORKER,
        lambda t: (
            {"FollowUpRecorded", "SustainabilityScored"} <= {e["event_name"] for e in t["entries"]}
        ),
    )
    names = [e["event_name"] for e in timeline["entries"]]
    for event in (
        "ReturneeRegistered",
        "ConsentRecorded",
        "TrainingCompleted",
        "PlanApproved",
        "KitDelivered",
        "FollowUpRecorded",
        "SustainabilityScored",
    ):
        assert names.count(event) == 1, (event, names)
    await page.goto(f"{site.url}/#/outbox")
    assert await page.locator('[data-status="pending"]').count() == 0
    assert await page.locator('[data-status="refused"]').count() >= 1  # the duplicate
    await page.screenshot(path=str(ARTIFACTS / "web-outbox.png"), full_page=True)
