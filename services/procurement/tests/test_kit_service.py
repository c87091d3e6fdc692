"""Kits through the real broker: ordered from PlanApproved or SkillCertified, then delivered."""

import csv
import io
from datetime import timedelta
from uuid import uuid4

import pytest
from procurement_builders import (
    TODAY,
    delivery,
    officer,
    plan_approved,
    plan_rejected,
    plan_submitted,
    price,
    skill_certified,
)

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


async def orders_of(procurement, query: str = "", **expected: str) -> list[dict]:
    """This test's orders only: a random office's topics may hold earlier runs' events."""
    answer = await procurement.client.get(
        procurement.url(f"/kit-orders{query}"), headers=officer(procurement.office)
    )
    assert answer.status_code == 200, answer.text
    return [o for o in answer.json() if all(o[k] == v for k, v in expected.items())]


async def test_a_replayed_plan_approved_orders_nothing_twice(procurement) -> None:
    client, office = procurement.client, procurement.office
    plan_id = uuid4()
    approval = plan_approved(plan_id, days_ago=12)
    first = upstream_event(approval, office, f"plan-{plan_id}")
    # The same event delivered again, and the approval republished under a new event id.
    republished = upstream_event(approval, office, f"plan-{plan_id}")
    await publish(procurement.infrastructure, [first, first, republished])

    async def both_approvals_applied() -> None:
        applied = await client.app.state.runtime.pool.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = ANY($1)", [first.id, republished.id]
        )
        assert applied == 2

    await eventually(both_approvals_applied)
    [order] = await orders_of(procurement, plan_id=str(plan_id))
    assert (order["basis"], order["total"]) == ("approved_plan", 135_000)
    # Ordered on approval: the approval's date, not the day the approval reached procurement.
    assert order["ordered_on"] == approval.approved_on.isoformat()

    def orders_of_the_plan(events: list[EventEnvelope]) -> list[EventEnvelope]:
        return [e for e in events if e.subject == f"kit-order-plan-{office}-{plan_id}"]

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: bool(orders_of_the_plan(events)),
    )
    assert [e.event_name for e in orders_of_the_plan(published)] == ["KitOrdered"]


async def test_an_approved_plan_kit_is_delivered_once_and_its_lead_time_exported(
    procurement,
) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_approved(plan_id, days_ago=12), office, f"plan-{plan_id}")],
    )

    async def ordered() -> None:
        assert len(await orders_of(procurement, "?delivered=false", plan_id=str(plan_id))) == 1

    await eventually(ordered)
    url = procurement.url(f"/plans/{plan_id}/kit-delivery")

    unacknowledged = await client.post(url, json=delivery(acknowledged=False), headers=headers)
    assert unacknowledged.status_code == 422
    assert unacknowledged.json()["fields"][0]["field"] == "body.acknowledged_by_beneficiary"
    partial = await client.post(url, json=delivery(("sewing machine", 1, 1)), headers=headers)
    assert partial.status_code == 422
    assert partial.json()["fields"][0]["reason"] == "not handed over yet: fabric (10)"

    delivered = await client.post(url, json=delivery(), headers=headers)
    assert delivered.status_code == 201, delivered.text
    assert (delivered.json()["total_value"], delivered.json()["plan_id"]) == (135_000, str(plan_id))
    again = await client.post(url, json=delivery(), headers=headers)
    assert (again.status_code, again.json()["rule"]) == (409, "kit_already_delivered")

    export = await client.get(procurement.url("/lead-times?format=csv"), headers=headers)
    assert export.headers["content-type"].startswith("text/csv")
    [row] = [r for r in csv.DictReader(io.StringIO(export.text)) if r["plan_id"] == str(plan_id)]
    assert (row["plan_id"], row["delivered_on"], row["lead_time_days"]) == (
        str(plan_id),
        TODAY.isoformat(),
        "12",
    )

    hq = auth_headers([Role.HQ_ANALYST], [])
    spend = await client.get(procurement.url("/spend"), headers=hq)
    [tailoring] = [row for row in spend.json() if row["trade"] == "tailoring"]
    assert tailoring["spent_on_plans"] >= 135_000
    assert tailoring["approved_budget"] >= tailoring["spent_on_plans"]

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: any(
            e.event_name == "KitDelivered"
            for e in events
            if e.subject == f"kit-order-plan-{office}-{plan_id}"
        ),
    )
    [kit_delivered] = [
        e
        for e in published
        if e.event_name == "KitDelivered" and e.subject == f"kit-order-plan-{office}-{plan_id}"
    ]
    assert kit_delivered.data["acknowledged_by_beneficiary"] is True
    assert kit_delivered.actor == "officer-1"


async def test_a_delivery_for_an_unapproved_plan_or_uncertified_trade_is_refused(
    procurement,
) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    submitted, rejected, returnee = uuid4(), uuid4(), uuid4()
    await publish(
        procurement.infrastructure,
        [
            upstream_event(plan_submitted(submitted), office, f"plan-{submitted}"),
            upstream_event(plan_submitted(rejected), office, f"plan-{rejected}"),
            upstream_event(plan_rejected(rejected), office, f"plan-{rejected}"),
        ],
    )

    async def both_reviewed() -> None:
        reviews = (await client.get(procurement.url("/budget-reviews"), headers=headers)).json()
        assert {str(submitted), str(rejected)} <= {r["plan_id"] for r in reviews}

    await eventually(both_reviewed)
    for plan_id in (submitted, rejected, uuid4()):
        refused = await client.post(
            procurement.url(f"/plans/{plan_id}/kit-delivery"), json=delivery(), headers=headers
        )
        assert refused.status_code == 409
        assert refused.json()["rule"] == "plan_not_approved"

    uncertified = await client.post(
        procurement.url(f"/certifications/{returnee}/tailoring/kit-delivery"),
        json=delivery(),
        headers=headers,
    )
    assert (uncertified.status_code, uncertified.json()["rule"]) == (409, "trade_not_certified")
    order = await client.post(
        procurement.url(f"/certifications/{returnee}/tailoring/kit-order"), headers=headers
    )
    assert (order.status_code, order.json()["rule"]) == (409, "trade_not_certified")
    # Nothing was ordered or delivered on the way.
    mine = {str(submitted), str(rejected)}
    assert [o for o in await orders_of(procurement) if o["plan_id"] in mine] == []
    assert [o for o in await orders_of(procurement) if str(returnee) in o["beneficiary_ids"]] == []


async def test_a_certified_trade_gets_its_individual_kit_once(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    returnee = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(skill_certified(returnee), office, f"assessment-{returnee}")],
    )
    for item in (price(), price("scissors", 2_500)):
        await client.post(procurement.url("/prices"), json=item, headers=headers)
    kit = {
        "items": [{"item": "Sewing machine", "quantity": 1}, {"item": "scissors", "quantity": 2}]
    }
    defined = await client.post(procurement.url("/kits/tailoring"), json=kit, headers=headers)
    assert (defined.status_code, defined.json()["kit_version"]) == (201, 1)
    endorsement = {"reviewed_on": TODAY.isoformat(), "endorsed": True, "feedback": []}
    reviewed = await client.post(
        procurement.url("/kits/tailoring/versions/1/returnee-reviews"),
        json=endorsement,
        headers=headers,
    )
    assert reviewed.status_code == 201, reviewed.text

    async def certified() -> None:
        rows = (await client.get(procurement.url("/certifications"), headers=headers)).json()
        assert [r["order_id"] for r in rows if r["returnee_id"] == str(returnee)] == [None]

    await eventually(certified)
    order_url = procurement.url(f"/certifications/{returnee}/tailoring/kit-order")
    certified_on = skill_certified(returnee).certified_on
    for body, field in [
        ({"ordered_on": (certified_on - timedelta(days=1)).isoformat()}, "body.ordered_on"),
        ({"ordered_on": (TODAY + timedelta(days=1)).isoformat()}, "body.ordered_on"),
        ({"ordered": TODAY.isoformat()}, "body.ordered"),
    ]:
        refused = await client.post(order_url, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["fields"][0]["field"] == field
    ordered = await client.post(
        order_url, json={"ordered_on": certified_on.isoformat()}, headers=headers
    )
    assert ordered.status_code == 201, ordered.text
    assert (ordered.json()["total"], ordered.json()["kit_version"]) == (95_000, 1)
    assert ordered.json()["ordered_on"] == certified_on.isoformat()
    twice = await client.post(order_url, headers=headers)
    assert (twice.status_code, twice.json()["rule"]) == (409, "kit_already_ordered")

    handed = delivery(("sewing machine", 1, 90_000), ("scissors", 2, 5_000))
    delivered = await client.post(
        procurement.url(f"/certifications/{returnee}/tailoring/kit-delivery"),
        json=handed,
        headers=headers,
    )
    assert delivered.status_code == 201, delivered.text
    assert delivered.json()["beneficiary_ids"] == [str(returnee)]
    [order] = (
        await client.get(procurement.url("/kit-orders?delivered=true"), headers=headers)
    ).json()
    assert (order["basis"], order["delivered_value"]) == ("certified_trade", 95_000)
