"""Rebuild read models: drop their rows and replay events from the beginning.

A read model over a service's own events is rebuilt from its event store inside one
transaction, so readers see the old rows until the new ones are complete. A read model over
other services' events (built by reactions through the inbox) is rebuilt from Kafka.
"""

import asyncio
import logging
from collections.abc import Sequence

import asyncpg
from aiokafka import TopicPartition
from tqdm import tqdm

from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.kafka import read_committed_consumer

log = logging.getLogger(__name__)


async def rebuild_from_store(
    pool: asyncpg.Pool,
    store: EventStore,
    projection: EventHandlers,
    batch_size: int = 1000,
    progress: bool = True,
) -> int:
    """Truncate the projection's tables and replay the whole store; returns events replayed."""
    replayed = 0
    async with pool.acquire() as connection, connection.transaction():
        await _truncate(connection, projection.tables)
        total = await connection.fetchval("SELECT count(*) FROM events")
        after = 0
        with tqdm(total=total, desc=f"rebuild {projection.name}", disable=not progress) as bar:
            while batch := await store.read_all(connection, after=after, limit=batch_size):
                await projection.apply_batch(
                    connection,
                    [
                        (event.payload(), event.meta)
                        for event in batch
                        if projection.handles(event.event_name)
                    ],
                )
                after = batch[-1].position
                replayed += len(batch)
                bar.update(len(batch))
        await connection.execute(
            """INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
               ON CONFLICT (projection) DO UPDATE SET position = $2""",
            projection.name,
            after,
        )
    return replayed


class _LoggedDeadLetters:
    async def send(self, record: Record, reason: str, consumer: str) -> None:
        log.warning("rebuild skipped %s@%d: %s", record.topic, record.offset, reason)


async def rebuild_from_kafka(
    pool: asyncpg.Pool,
    bootstrap_servers: str,
    topics: Sequence[str],
    reactions: EventHandlers,
    consumer: str,
    progress: bool = True,
    max_records: int = 1000,
) -> int:
    """Truncate the reactions' tables, forget the inbox, and re-read `topics` from offset 0
    up to the end offsets seen at the start; returns the records read."""
    async with pool.acquire() as connection, connection.transaction():
        await _truncate(connection, reactions.tables)
        await connection.execute("DELETE FROM inbox WHERE consumer = $1", consumer)
    kafka = read_committed_consumer(bootstrap_servers, group_id=None)
    await kafka.start()
    try:
        metadata = await kafka._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(metadata.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return 0
        kafka.assign(partitions)
        await kafka.seek_to_beginning(*partitions)
        ends = await kafka.end_offsets(partitions)
        starts = await kafka.beginning_offsets(partitions)
        total = sum(ends[tp] - starts[tp] for tp in partitions)
        inbox = Inbox(pool, consumer, reactions, _LoggedDeadLetters())
        read = 0
        with tqdm(total=total, desc=f"rebuild {reactions.name}", disable=not progress) as bar:
            while read < total:
                batch = await kafka.getmany(timeout_ms=1000, max_records=max_records)
                records = [r for tp, rs in batch.items() for r in rs if r.offset < ends[tp]]
                if not batch:
                    if all([await kafka.position(tp) >= ends[tp] for tp in partitions]):
                        break
                    await asyncio.sleep(0)
                    continue
                await inbox.process(records)
                read += len(records)
                bar.update(len(records))
        return read
    finally:
        await kafka.stop()


async def table_snapshot(
    db: asyncpg.Pool | asyncpg.Connection, tables: Sequence[str]
) -> dict[str, list[str]]:
    """Every row of each table as sorted text: compares a rebuild with the incremental build.

    Given a connection, it reads in that connection's transaction (rows not yet committed)."""
    if not isinstance(db, asyncpg.Pool):
        return await _snapshot(db, tables)
    async with db.acquire() as connection:
        return await _snapshot(connection, tables)


async def _snapshot(connection: asyncpg.Connection, tables: Sequence[str]) -> dict[str, list[str]]:
    snapshot: dict[str, list[str]] = {}
    for table in tables:
        rows = await connection.fetch(f"SELECT t::text AS row FROM {_quoted(table)} t")
        snapshot[table] = sorted(row["row"] for row in rows)
    return snapshot


async def _truncate(connection: asyncpg.Connection, tables: Sequence[str]) -> None:
    if tables:
        await connection.execute("TRUNCATE " + ", ".join(_quoted(t) for t in tables))


def _quoted(table: str) -> str:
    if not all(part.replace("_", "").isalnum() for part in table.split(".")):
        raise ValueError(f"not a table name: {table!r}")
    return ".".join(f'"{part}"' for part in table.split("."))
