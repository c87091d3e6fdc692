"""Read models are rebuildable: dropping them and replaying the store gives the same rows."""

import asyncpg
import pytest
from training_builders import TrainingUnderTest

from training.app import definition
from training.projections import read_models, rebuild

pytestmark = pytest.mark.integration


async def snapshot(db: asyncpg.Connection) -> dict[str, list[str]]:
    return {
        table: sorted(str(tuple(row)) for row in await db.fetch(f"SELECT * FROM {table}"))
        for table in read_models.tables
    }


async def test_replaying_the_store_gives_the_same_read_models(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    # Whatever the other tests of this session wrote is the material; make sure there is some.
    await training.vocational_cohort(await training.contracted_centre())
    before = await snapshot(training_db)
    assert before["centres"] and before["cohorts"]

    async with training_db.transaction():
        replayed = await rebuild(training_db, definition.store)

    assert replayed >= 4
    assert await snapshot(training_db) == before
