"""Read models are rebuildable: replaying the store and Kafka gives the same rows and no
second review or order."""

from uuid import uuid4

import asyncpg
import pytest
from procurement_builders import (
    delivery,
    officer,
    plan_approved,
    plan_submitted,
    price,
    skill_certified,
)

from procurement.app import definition
from procurement.policies import policies
from procurement.projections import read_models
from procurement.reactions import reactions
from reintegration_contracts import topic_for
from reintegration_sdk.projections import rebuild_from_kafka, rebuild_from_store, table_snapshot
from reintegration_sdk.testing.service import eventually, publish, upstream_event

pytestmark = pytest.mark.integration

_TABLES = [*read_models.tables, *reactions.tables]


async def test_rebuilding_gives_the_same_rows(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id, returnee = uuid4(), uuid4()
    await client.post(procurement.url("/prices"), json=price(), headers=headers)
    kit = {"items": [{"item": "sewing machine", "quantity": 1}]}
    await client.post(procurement.url("/kits/tailoring"), json=kit, headers=headers)
    await publish(
        procurement.infrastructure,
        [
            upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}"),
            upstream_event(plan_approved(plan_id), office, f"plan-{plan_id}"),
            upstream_event(skill_certified(returnee), office, f"assessment-{returnee}"),
        ],
    )
    pool: asyncpg.Pool = client.app.state.runtime.pool

    async def applied() -> None:
        orders = await pool.fetchval("SELECT count(*) FROM kit_orders WHERE plan_id = $1", plan_id)
        certified = await pool.fetchval(
            "SELECT count(*) FROM certifications WHERE returnee_id = $1", returnee
        )
        assert (orders, certified) == (1, 1)

    await eventually(applied)
    ordered = await client.post(
        procurement.url(f"/certifications/{returnee}/tailoring/kit-order"), headers=headers
    )
    assert ordered.status_code == 201, ordered.text
    delivered = await client.post(
        procurement.url(f"/plans/{plan_id}/kit-delivery"), json=delivery(), headers=headers
    )
    assert delivered.status_code == 201, delivered.text
    before = await table_snapshot(pool, _TABLES)
    streams = [
        f"budget-review-{plan_id}",
        f"kit-order-plan-{office}-{plan_id}",
        f"kit-order-certified-{office}-{returnee}-tailoring",
    ]
    count_events = "SELECT count(*) FROM events WHERE stream_id = ANY($1)"
    events_before = await pool.fetchval(count_events, streams)

    await rebuild_from_store(pool, definition.store, read_models, progress=False)
    topics = [topic_for(office, d) for d in definition.consumes]
    bootstrap = procurement.infrastructure.kafka_bootstrap_servers
    await rebuild_from_kafka(
        pool, bootstrap, topics, reactions, consumer=f"{definition.name}-rebuild", progress=False
    )
    assert await table_snapshot(pool, _TABLES) == before
    # A consumer that forgot its inbox replays the causes through the policies: the automatic
    # review and ordering must see that they already happened.
    await rebuild_from_kafka(pool, bootstrap, topics, policies, consumer="replay", progress=False)

    assert await table_snapshot(pool, _TABLES) == before
    assert any(str(plan_id) in row for row in before["kit_orders"])
    assert any(str(returnee) in row for row in before["certifications"])
    assert (events_before, await pool.fetchval(count_events, streams)) == (4, 4)
