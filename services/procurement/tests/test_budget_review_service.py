"""Budget review through the real broker: PlanSubmitted on Kafka in, BudgetReviewed out."""

from uuid import uuid4

import pytest
from procurement_builders import officer, plan_approved, plan_submitted, price

from reintegration_contracts import EventEnvelope, topic_for
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.service import (
    auth_headers,
    eventually,
    publish,
    read_topic,
    upstream_event,
)

pytestmark = pytest.mark.integration


async def test_an_over_priced_line_is_flagged_with_its_reason(procurement) -> None:
    client, office = procurement.client, procurement.office
    headers = officer(office)
    response = await client.post(procurement.url("/prices"), json=price(), headers=headers)
    assert response.status_code == 200, response.text
    plan_id = uuid4()

    # Committee publishes the plan; procurement reviews it on its own.
    submitted = upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")
    await publish(procurement.infrastructure, [submitted, submitted])  # and once more, replayed

    async def reviewed() -> list[dict]:
        answer = await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    [review] = await eventually(reviewed)
    machine, fabric = review["lines"]
    assert machine["flags"] == ["above_catalogue_price"]
    assert "more than 10% above the catalogue price 90000" in machine["reason"]
    assert machine["reviewed_unit_cost"] == 90_000
    assert fabric["flags"] == ["not_in_catalogue"]
    assert (review["submitted_total"], review["reviewed_total"]) == (135_000, 105_000)

    def reviews_of_the_plan(events: list[EventEnvelope]) -> list[EventEnvelope]:
        # Topics keep everything, and another run may have used the same office before.
        return [e for e in events if e.subject == f"budget-review-{plan_id}"]

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: bool(reviews_of_the_plan(events)),
    )
    [event] = reviews_of_the_plan(published)
    assert event.event_name == "BudgetReviewed"
    assert event.causationid == str(submitted.id)
    assert (event.data["submitted_total"], event.data["reviewed_total"]) == (135_000, 105_000)


async def test_an_officer_revises_until_the_committee_decides(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")],
    )

    async def latest() -> dict:
        answer = await client.get(procurement.url("/budget-reviews?flagged=true"), headers=headers)
        matching = [r for r in answer.json() if r["plan_id"] == str(plan_id)]
        assert len(matching) == 1
        return matching[0]

    assert (await eventually(latest))["revision"] == 1
    revision = {
        "adjustments": [{"line": 2, "reason": "market price checked", "reviewed_unit_cost": 1_400}],
        "note": "fabric priced at the Tenkodogo market",
    }
    url = procurement.url(f"/budget-reviews/{plan_id}/revisions")
    revised = await client.post(url, json=revision, headers=headers)
    assert revised.status_code == 201, revised.text
    assert (revised.json()["revision"], revised.json()["reviewer"]) == (2, "officer-1")
    assert revised.json()["lines"][1]["reviewed_unit_cost"] == 1_400
    assert (await latest())["reviewed_total"] == 120_000 + 14_000

    bad_line = {"adjustments": [{"line": 3, "reason": "no such line"}]}
    refused = await client.post(url, json=bad_line, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["fields"] == [
        {"field": "adjustments.0.line", "reason": "the plan has 2 lines"}
    ]

    # Once the committee approved the plan (and so its kit was ordered), the review is closed.
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_approved(plan_id), office, f"plan-{plan_id}")],
    )

    async def ordered() -> None:
        orders = await client.get(procurement.url("/kit-orders"), headers=headers)
        assert str(plan_id) in [o["plan_id"] for o in orders.json()]

    await eventually(ordered)
    closed = await client.post(url, json=revision, headers=headers)
    assert closed.status_code == 409
    assert closed.json()["rule"] == "plan_already_decided"
    assert [
        r["revision"]
        for r in (
            await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        ).json()
    ] == [1, 2]


async def test_catalogue_input_is_checked_field_by_field(procurement) -> None:
    client, headers = procurement.client, officer(procurement.office)
    bad = {**price(), "unit_price": -5, "currency": "xof", "colour": "red"}
    response = await client.post(procurement.url("/prices"), json=bad, headers=headers)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["fields"]}
    assert fields == {"body.unit_price", "body.currency", "body.colour"}
    assert (await client.get(procurement.url("/prices"), headers=headers)).json() == []

    first = await client.post(procurement.url("/prices"), json=price(), headers=headers)
    assert first.json()["changed"] is True
    euros = {**price("scissors", 3), "currency": "EUR"}
    mismatch = await client.post(procurement.url("/prices"), json=euros, headers=headers)
    assert mismatch.status_code == 409
    assert mismatch.json()["rule"] == "catalogue_currency_mismatch"

    tolerance = await client.put(
        procurement.url("/price-tolerance"), json={"tolerance_percent": 101}, headers=headers
    )
    assert tolerance.status_code == 422
    assert tolerance.json()["fields"][0]["field"] == "body.tolerance_percent"


async def test_another_office_is_refused(procurement) -> None:
    client, office = procurement.client, procurement.office
    other = "fr" if office != "fr" else "de"
    response = await client.post(
        procurement.url("/prices", office=other), json=price(), headers=officer(office)
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    anonymous = await client.get(procurement.url("/prices"))
    assert anonymous.status_code == 401
    caseworker = auth_headers([Role.CASEWORKER], [office])
    assert (await client.get(procurement.url("/prices"), headers=caseworker)).status_code == 403
