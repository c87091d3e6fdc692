"""Read models are rebuildable: dropping them and replaying gives the same rows, from the
event store for training's own events and from Kafka for what intake reported."""

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from training_builders import TrainingUnderTest

from reintegration_contracts import Domain, topic_for
from reintegration_sdk.database import create_pool
from reintegration_sdk.projections import rebuild_from_kafka, rebuild_from_store, table_snapshot
from training.app import definition
from training.projections import read_models
from training.reactions import reactions

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(training: TrainingUnderTest, training_database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(training_database, min_size=1, max_size=2)
    yield pool
    await pool.close()


async def test_replaying_the_store_gives_the_same_read_models(
    training: TrainingUnderTest, pool: asyncpg.Pool
) -> None:
    # Whatever the other tests of this session wrote is the material; make sure there is some.
    await training.vocational_cohort(await training.contracted_centre())
    before = await table_snapshot(pool, read_models.tables)
    assert before["centres"] and before["cohorts"]

    replayed = await rebuild_from_store(pool, definition.store, read_models, progress=False)

    assert replayed >= 4
    assert await table_snapshot(pool, read_models.tables) == before


async def test_replaying_intakes_and_programmes_topics_gives_the_same_facts(
    training: TrainingUnderTest, pool: asyncpg.Pool
) -> None:
    await training.counselled(uuid4())
    before = await table_snapshot(pool, reactions.tables)
    assert before["counselled_returnees"]

    offices = (training.office, training.other_office, training.mali_office)
    topics = [topic_for(o, d) for o in offices for d in (Domain.INTAKE, "programme")]
    await rebuild_from_kafka(
        pool,
        training.infrastructure.kafka_bootstrap_servers,
        topics,
        reactions,
        "training",
        progress=False,
    )

    assert await table_snapshot(pool, reactions.tables) == before
