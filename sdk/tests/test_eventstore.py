"""The event store against the real PostgreSQL: versions, concurrency, reading back."""

import asyncio

import asyncpg
import pytest
from sdk_builders import follow_up

from reintegration_sdk.errors import ConcurrencyError
from reintegration_sdk.eventstore import EventContext, EventStore

pytestmark = pytest.mark.integration


CONTEXT = EventContext.new("bf", actor="caseworker-1")


async def test_append_then_load_returns_the_events_in_version_order(pool: asyncpg.Pool) -> None:
    store = EventStore()
    async with pool.acquire() as db, db.transaction():
        first = await store.append(db, "visit-1", 0, [follow_up(), follow_up()], CONTEXT)
        await store.append(db, "visit-1", 2, [follow_up(jobs_created=5)], CONTEXT)
    async with pool.acquire() as db:
        loaded = await store.load(db, "visit-1")
        everything = await store.read_all(db, after=0)
    assert [e.version for e in loaded] == [1, 2, 3]
    assert loaded[2].payload().jobs_created == 5  # type: ignore[attr-defined]
    assert loaded[0].event_id == first[0].event_id
    assert loaded[0].actor == "caseworker-1" and loaded[0].country_office == "bf"
    assert [e.position for e in everything] == sorted(e.position for e in everything)


async def test_a_wrong_expected_version_is_a_concurrency_error(pool: asyncpg.Pool) -> None:
    store = EventStore()
    async with pool.acquire() as db:
        await store.append(db, "s", 0, [follow_up()], CONTEXT)
        with pytest.raises(ConcurrencyError) as behind:
            await store.append(db, "s", 0, [follow_up()], CONTEXT)
        with pytest.raises(ConcurrencyError) as ahead:
            await store.append(db, "s", 5, [follow_up()], CONTEXT)
    assert behind.value.actual == 1
    assert ahead.value.actual == 1


async def test_concurrent_appends_to_one_stream_one_wins_one_conflicts(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore()
    both_loaded = asyncio.Barrier(2)

    async def command() -> str:
        async with pool.acquire() as db, db.transaction():
            version = len(await store.load(db, "contended"))
            await both_loaded.wait()  # both read version 0 before either writes
            await store.append(db, "contended", version, [follow_up()], CONTEXT)
        return "appended"

    outcomes = await asyncio.gather(command(), command(), return_exceptions=True)
    assert sorted(type(o).__name__ for o in outcomes) == ["ConcurrencyError", "str"]
    async with pool.acquire() as db:
        assert len(await store.load(db, "contended")) == 1


async def test_a_failed_transaction_leaves_nothing(pool: asyncpg.Pool) -> None:
    store = EventStore()
    with pytest.raises(RuntimeError):
        async with pool.acquire() as db, db.transaction():
            await store.append(db, "rolled-back", 0, [follow_up()], CONTEXT)
            raise RuntimeError("handler failed after appending")
    async with pool.acquire() as db:
        assert await store.load(db, "rolled-back") == []
