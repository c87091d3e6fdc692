"""Budget review through the real broker: PlanSubmitted on Kafka in, BudgetReviewed out."""

from uuid import uuid4

import pytest
from procurement_builders import FABRIC, officer, plan_approved, plan_submitted, price

from reintegration_contracts import topic_for
from reintegration_sdk.testing.service import eventually, publish, read_topic, upstream_event

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

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: any(e.event_name == "BudgetReviewed" for e in events),
    )
    [event] = [e for e in published if e.event_name == "BudgetReviewed"]
    assert event.data["plan_id"] == str(plan_id)
    assert event.causationid == str(submitted.id)
    assert (event.data["submitted_total"], event.data["reviewed_total"]) == (135_000, 105_000)
