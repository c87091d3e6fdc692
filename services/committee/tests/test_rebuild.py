"""Read models are rebuildable: replaying the store and Kafka gives the same rows."""

from uuid import uuid4

import asyncpg
import pytest

from committee.app import definition
from committee.policies import policies
from committee.projections import read_models
from committee.reactions import reactions
from reintegration_contracts import topic_for
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk.projections import rebuild_from_kafka, rebuild_from_store, table_snapshot

from .builders import CommitteeUnderTest, a_locality

pytestmark = pytest.mark.integration

_TABLES = [*read_models.tables, *reactions.tables]


async def test_rebuilding_gives_the_same_rows(committee: CommitteeUnderTest) -> None:
    awa, bila = uuid4(), uuid4()
    locality = a_locality()
    await committee.trained(awa, bila)
    approved = await committee.submitted_plan([awa], locality=locality)
    waiting = await committee.submitted_plan([bila], locality=locality)
    await committee.reviewed(approved)
    await committee.reviewed(waiting)
    session = await committee.session_held(locality)
    await committee.post(f"/plans/{approved}/approval", {"session_id": str(session)})
    pool: asyncpg.Pool = committee.client.app.state.runtime.pool  # type: ignore[attr-defined]
    before = await table_snapshot(pool, _TABLES)

    await rebuild_from_store(pool, definition.store, read_models, progress=False)
    # Every domain the committee reads, of every office the session's tests used: the rebuild
    # empties the tables whole (a topic that was never created is skipped).
    offices = (committee.office, committee.other_office, committee.no_course_office)
    topics = [topic_for(o, d) for o in offices for d in consumes(definition.name)]
    bootstrap = committee.infrastructure.kafka_bootstrap_servers
    await rebuild_from_kafka(
        pool, bootstrap, topics, reactions, consumer=f"{definition.name}-rebuild", progress=False
    )
    assert await table_snapshot(pool, _TABLES) == before
    # A consumer that forgot its inbox replays every review through the policy: the plans must
    # not note them twice.
    await rebuild_from_kafka(pool, bootstrap, topics, policies, consumer="replay", progress=False)

    assert await table_snapshot(pool, _TABLES) == before
    assert any(str(approved) in row for row in before["plans"])
    history = (await committee.get(f"/plans/{waiting}")).json()["history"]
    assert [h["event"] for h in history] == ["PlanSubmitted", "PlanBudgetReviewNoted"]
