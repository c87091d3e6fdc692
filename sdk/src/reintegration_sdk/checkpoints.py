"""The relay's checkpoint, committed in Kafka with the events it covers.

A checkpoint kept in PostgreSQL is written after the publish, so a crash between the two
republishes a batch, and a batch whose acknowledgements were lost is resent: duplicates on
the topic. Written instead in the same Kafka transaction as the batch, the checkpoint is
visible exactly when the batch is, to a read_committed reader. On every (re)start the relay
reads it back from the compacted checkpoint topic, after its transactional producer has
fenced any older one (so no transaction of a previous run is still open).

One record per batch, keyed by the store's identity (a random id kept in the service
database). The database row `relay_checkpoint` caches it, with the checkpoint record's offset
as the place to start looking: later records for the same key can only come after it.
"""

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Final
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from reintegration_sdk.kafka import RELAY_CHECKPOINT_TOPIC, read_committed_consumer

log = logging.getLogger(__name__)

# One partition: a scan needs no partitioner agreement, and the topic stays small (compacted).
CHECKPOINT_PARTITION: Final = TopicPartition(RELAY_CHECKPOINT_TOPIC, 0)


@dataclass(frozen=True, order=True)
class Checkpoint:
    """The last (writer transaction, position) published; rows after it are still to go."""

    transaction_id: int
    position: int

    def encode(self, store_id: UUID) -> bytes:
        return json.dumps(
            {
                "store_id": str(store_id),
                "transaction_id": str(self.transaction_id),
                "position": self.position,
            }
        ).encode()

    @classmethod
    def decode(cls, value: bytes) -> "Checkpoint":
        data = json.loads(value)
        return cls(int(data["transaction_id"]), int(data["position"]))


START: Final = Checkpoint(0, 0)


@dataclass(frozen=True)
class CachedCheckpoint:
    """The database's copy: the checkpoint and where the scan for a newer one starts."""

    checkpoint: Checkpoint | None
    scan_from: int | None


def checkpoint_key(store_id: UUID, relay: str) -> bytes:
    return f"{store_id}/{relay}".encode()


async def store_id(connection: asyncpg.Connection) -> UUID:
    """The random identity of this service database (created by the SDK's migrations)."""
    value = await connection.fetchval("SELECT store_id FROM store_identity")
    if not isinstance(value, UUID):
        raise RuntimeError("store_identity is empty: were the SDK migrations applied?")
    return value


async def cached(connection: asyncpg.Connection, relay: str) -> CachedCheckpoint:
    row = await connection.fetchrow(
        "SELECT transaction_id, position, kafka_offset FROM relay_checkpoint WHERE name = $1",
        relay,
    )
    if row is None:
        return CachedCheckpoint(None, None)
    checkpoint = Checkpoint(int(row["transaction_id"]), row["position"])
    return CachedCheckpoint(None if checkpoint == START else checkpoint, row["kafka_offset"])


async def cache(
    connection: asyncpg.Connection, relay: str, checkpoint: Checkpoint, kafka_offset: int
) -> None:
    await connection.execute(
        """INSERT INTO relay_checkpoint (name, transaction_id, position, kafka_offset)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE
           SET transaction_id = $2, position = $3,
               kafka_offset = $4, updated_at = now()""",
        relay,
        checkpoint.transaction_id,
        checkpoint.position,
        kafka_offset,
    )


@dataclass(frozen=True)
class Found:
    """What a scan of the checkpoint topic found for one key."""

    checkpoint: Checkpoint | None
    offset: int | None  # of the record found, or the end offset when none was
    end: int


async def latest_in_kafka(
    bootstrap_servers: str, key: bytes, scan_from: int, timeout: float = 60.0
) -> Found:
    """The newest committed checkpoint for `key` at or after offset `scan_from`; a scan that
    cannot finish within `timeout` raises TimeoutError (the relay retries it)."""
    consumer = read_committed_consumer(bootstrap_servers, request_timeout_ms=15_000)
    await consumer.start()
    try:
        async with asyncio.timeout(timeout):
            return await _scan(consumer, key, scan_from)
    finally:
        await consumer.stop()


async def _scan(consumer: AIOKafkaConsumer, key: bytes, scan_from: int) -> Found:
    consumer.assign([CHECKPOINT_PARTITION])
    end = (await consumer.end_offsets([CHECKPOINT_PARTITION]))[CHECKPOINT_PARTITION]
    begin = (await consumer.beginning_offsets([CHECKPOINT_PARTITION]))[CHECKPOINT_PARTITION]
    start = scan_from if begin <= scan_from <= end else begin
    consumer.seek(CHECKPOINT_PARTITION, start)
    found: Checkpoint | None = None
    offset: int | None = None
    while await consumer.position(CHECKPOINT_PARTITION) < end:
        batch = await consumer.getmany(CHECKPOINT_PARTITION, timeout_ms=500)
        for record in batch.get(CHECKPOINT_PARTITION, ()):
            if record.offset < end and record.key == key and record.value is not None:
                found, offset = Checkpoint.decode(record.value), record.offset
    return Found(found, offset if found is not None else end, end)


async def end_offset(bootstrap_servers: str) -> int:
    consumer = read_committed_consumer(bootstrap_servers, request_timeout_ms=15_000)
    await consumer.start()
    try:
        end: int = (await consumer.end_offsets([CHECKPOINT_PARTITION]))[CHECKPOINT_PARTITION]
        return end
    finally:
        await consumer.stop()


async def resume_point(
    bootstrap_servers: str, key: bytes, cached_copy: CachedCheckpoint
) -> tuple[Checkpoint, int]:
    """Where to resume, and the offset from which a later scan must look.

    The caller caches both before its first transaction, so a store with no scan offset
    cached has never committed a checkpoint to Kafka: a new database, or one whose relay
    kept its checkpoint only in PostgreSQL. Otherwise Kafka's committed checkpoint wins; the
    database copy is never ahead of it (it is written after the commit), and stands in only
    when Kafka lost it (the checkpoint topic deleted), so nothing published is sent again.
    """
    if cached_copy.scan_from is None:
        return cached_copy.checkpoint or START, await end_offset(bootstrap_servers)
    found = await latest_in_kafka(bootstrap_servers, key, cached_copy.scan_from)
    if found.checkpoint is not None:
        return max(found.checkpoint, cached_copy.checkpoint or START), found.offset or 0
    log.warning(
        "no relay checkpoint in Kafka for %s after offset %d; resuming from the database's %s",
        key.decode(),
        cached_copy.scan_from,
        cached_copy.checkpoint or START,
    )
    return cached_copy.checkpoint or START, found.end
