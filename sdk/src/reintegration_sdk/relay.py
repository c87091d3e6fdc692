"""The relay: publishes the event store to Kafka in position order, never skips a row, and
never publishes one twice.

PostgreSQL hands out positions in insert order, not commit order: a transaction that took
position 5 may commit after the one that took 6. Reading "position > checkpoint" would skip 5
for ever. The relay therefore reads only rows written by transactions older than every
transaction still in flight (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`),
in (transaction_id, position) order, and checkpoints that pair. The set of transactions below
the horizon never grows again, so a late commit holds the relay back instead of being
overtaken. Within a stream the order holds because a writer loads the stream (seeing the
previous writer's commit) before its first write, which is when its transaction id is taken.

A checkpoint written after the publish republishes a batch after a crash, and a batch whose
acknowledgements are lost is sent again: duplicates. Each batch is therefore one Kafka
transaction holding the events and the relay's checkpoint (see checkpoints.py); a
read_committed reader sees both or neither, and a restart resumes from the checkpoint
committed in Kafka, after its producer fenced every older one.

PostgreSQL restarts and Kafka outages end a session (lock, listener, producer), never the
relay: it waits with capped, jittered backoff and starts a new session on new connections.
A batch whose producer lost every connection to the broker is given up at once (its
transaction would otherwise retry until the batch timeout, and the relay still be waiting
when the broker is back); the next producer's start fences and aborts it.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Final
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from opentelemetry.trace import SpanKind

from reintegration_contracts import source_for, topic_for
from reintegration_sdk import checkpoints
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.checkpoints import Checkpoint
from reintegration_sdk.events import StoredEvent
from reintegration_sdk.eventstore import EVENT_COLUMNS, NOTIFY_CHANNEL, stored_event_from_row
from reintegration_sdk.health import Health
from reintegration_sdk.kafka import (
    CHECKPOINT_TOPIC_CONFIG,
    RELAY_CHECKPOINT_TOPIC,
    close_producer,
    ensure_topics,
    has_broker_connection,
    transactional_producer,
    while_connected,
)
from reintegration_sdk.outages import describe, is_outage
from reintegration_sdk.telemetry import batch_span, traceparent_of

log = logging.getLogger(__name__)

_PENDING: Final = f"""
SELECT {EVENT_COLUMNS}, transaction_id AS writer_transaction FROM events
WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, position LIMIT $3
"""
# Only one relay per database may publish; a second process of the service waits its turn.
_RELAY_LOCK: Final = 7_310_472_222

ProducerFactory = Callable[[str, str, str], AIOKafkaProducer]


class Relay:
    """Moves committed events from a service's store to `reintegration.<cc>.<domain>`."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        service: str,
        bootstrap_servers: str,
        topic_partitions: int = 3,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.05,
        name: str = "relay",
        backoff: Backoff | None = None,
        lock_poll_seconds: float = 1.0,
        batch_timeout_seconds: float = 30.0,
        producer_factory: ProducerFactory = transactional_producer,
    ) -> None:
        self._pool = pool
        self._service = service
        self._bootstrap = bootstrap_servers
        self._partitions = topic_partitions
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._name = name
        # A cap of 2 s: the next session starts at most 2 s after the broker or the database
        # is back (recovery is what counts); a failed attempt against a closed port is cheap.
        self._backoff = backoff or Backoff(cap_seconds=2.0)
        self._lock_poll = lock_poll_seconds
        self._batch_timeout = batch_timeout_seconds
        self._producer_factory = producer_factory
        self._known_topics: set[str] = set()
        self._background: set[asyncio.Task[None]] = set()
        self.health = Health(f"{service}-relay", stall_seconds=batch_timeout_seconds + 5)
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set, through any outage of PostgreSQL or Kafka; then
        finish the batch in hand and return. Errors that are not outages propagate."""
        while not stop.is_set():
            try:
                async with self.session(stop) as session:
                    if session is None:
                        break  # stopped while another process held the lock
                    self._backoff.reset()
                    await session.run(stop)
            except Exception as error:
                if not is_outage(error):
                    self.health.set("failed", describe(error))
                    raise
                delay = self._backoff.next_delay()
                self.health.set("unavailable", describe(error))
                log.warning("relay: %s; new session in %.1f s", describe(error), delay)
                await _wait(stop, delay)
        self.health.set("stopped")

    @contextlib.asynccontextmanager
    async def session(self, stop: asyncio.Event | None = None) -> AsyncIterator["_Session | None"]:
        """The relay lock, a listener and a transactional producer resumed from the
        checkpoint in Kafka; yields None if `stop` is set while waiting for the lock."""
        async with self._pool.acquire() as connection:
            if not await self._lock(connection, stop):
                yield None
                return
            connection.add_termination_listener(self._on_connection_lost)
            try:
                store = await checkpoints.store_id(connection)
                producer = self._producer_factory(
                    self._bootstrap,
                    f"{self._service}-relay",
                    f"{self._service}.relay-{store}-{self._name}",
                )
                try:
                    # Without a deadline a broker that accepts connections but has no
                    # transaction coordinator yet would hold the session in "starting".
                    async with asyncio.timeout(self._batch_timeout):
                        session = await self._start(connection, producer, store)
                    yield session
                finally:
                    # A broker that is gone cannot take the producer's goodbyes: do not wait
                    # for them while it may already be back.
                    await close_producer(
                        producer, timeout=5.0 if has_broker_connection(producer) else 1.0
                    )
            finally:
                with contextlib.suppress(Exception):  # a dead connection has no listeners
                    connection.remove_termination_listener(self._on_connection_lost)
                await _unlock_quietly(connection)

    async def _start(
        self, connection: asyncpg.Connection, producer: AIOKafkaProducer, store: UUID
    ) -> "_Session":
        await producer.start()
        # The producer id (and with it the fencing of every older producer of this store,
        # its open transaction aborted or completed) is taken lazily at the first
        # transaction: take it now, before the checkpoint is read.
        await producer.begin_transaction()
        await producer.abort_transaction()
        if RELAY_CHECKPOINT_TOPIC not in self._known_topics:
            # Once per process: a broker keeps its topics through a restart, and each admin
            # client costs a bootstrap, a second or more of a new session on a busy machine.
            await ensure_topics(
                self._bootstrap, [RELAY_CHECKPOINT_TOPIC], 1, config=CHECKPOINT_TOPIC_CONFIG
            )
            self._known_topics.add(RELAY_CHECKPOINT_TOPIC)
        session = _Session(self, connection, producer, store)
        await session.resume()
        return session

    async def _lock(self, connection: asyncpg.Connection, stop: asyncio.Event | None) -> bool:
        while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", _RELAY_LOCK):
            self.health.set("standby", "another process of the service holds the relay lock")
            if stop is None:
                await asyncio.sleep(self._lock_poll)
            elif await _wait(stop, self._lock_poll):
                return False
        return True

    def _on_connection_lost(self, _: object) -> None:
        # The relay's connection is usually the first to notice a restart: the pool's idle
        # connections are just as dead, so requests should not each discover one. A termination
        # listener is called outside any coroutine and asyncpg's expiry is one: it runs as a
        # task, held until done.
        expiry = asyncio.get_running_loop().create_task(self._pool.expire_connections())
        self._background.add(expiry)
        expiry.add_done_callback(self._background.discard)

    async def _ensure_topics(self, events: list[StoredEvent]) -> None:
        topics = {topic_for(e.country_office, e.domain) for e in events} - self._known_topics
        if topics:
            await ensure_topics(self._bootstrap, topics, self._partitions)
            self._known_topics |= topics


class _Session:
    """One connection, one producer: publishes batches until an error ends it."""

    def __init__(
        self,
        relay: Relay,
        connection: asyncpg.Connection,
        producer: AIOKafkaProducer,
        store: UUID,
    ) -> None:
        self._relay = relay
        self._connection = connection
        self._producer = producer
        self._store = store
        self._key = checkpoints.checkpoint_key(store, relay._name)
        self._checkpoint = checkpoints.START
        self._wake = asyncio.Event()
        self._sources: dict[str, str] = {}

    async def resume(self) -> None:
        relay = self._relay
        cached = await checkpoints.cached(self._connection, relay._name)
        self._checkpoint, scan_from = await checkpoints.resume_point(
            relay._bootstrap, self._key, cached
        )
        await checkpoints.cache(self._connection, relay._name, self._checkpoint, scan_from)
        relay.health.set("running")

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    async def run(self, stop: asyncio.Event) -> None:
        await self._connection.add_listener(NOTIFY_CHANNEL, self._on_notify)
        try:
            while not stop.is_set():
                # Cleared before reading, so a NOTIFY during the read is not lost.
                self._wake.clear()
                sent = await self.publish_pending()
                if sent == 0:
                    await self._sleep_until_woken(stop)
        finally:
            if not self._connection.is_closed():
                with contextlib.suppress(Exception):
                    await self._connection.remove_listener(NOTIFY_CHANNEL, self._on_notify)

    async def publish_pending(self) -> int:
        """Publish one batch of committed events in one transaction; returns how many."""
        relay = self._relay
        rows = await self._connection.fetch(
            _PENDING, self._checkpoint.transaction_id, self._checkpoint.position, relay._batch_size
        )
        relay.health.heartbeat()
        if not rows:
            return 0
        events = [stored_event_from_row(row) for row in rows]
        await relay._ensure_topics(events)
        reached = Checkpoint(int(rows[-1]["writer_transaction"]), events[-1].position)
        # A transaction never fails by itself while the broker is gone (its batches retry
        # for ever): give it up as soon as the producer has no connection left, so the next
        # session starts the moment the broker is back instead of after the batch timeout.
        async with asyncio.timeout(relay._batch_timeout):
            offset = await while_connected(self._producer, self._transaction(events, reached))
        self._checkpoint = reached
        await checkpoints.cache(self._connection, relay._name, reached, offset)
        relay.published += len(events)
        relay.health.heartbeat()
        return len(events)

    async def _transaction(self, events: list[StoredEvent], reached: Checkpoint) -> int:
        producer = self._producer
        # One span for the batch, not one per event: a span cost more than encoding and
        # sending the event. It is a child of the first event's trace and links the others.
        with batch_span(
            _span_name("publish", [e.event_name for e in events]),
            [e.traceparent for e in events],
            kind=SpanKind.PRODUCER,
            attributes=_span_attributes(events),
        ) as (span, parent):
            own = traceparent_of(span)
            await producer.begin_transaction()
            try:
                batches = _PartitionBatches(producer)
                for event in events:
                    # An event of the span's own trace (or of none) names the publish span as
                    # its parent; one of another trace keeps its own, so the consumer's span
                    # still joins the trace of the request that caused the event.
                    traceparent = own if event.traceparent in (None, parent) else None
                    await batches.add(
                        topic_for(event.country_office, event.domain),
                        event.stream_id.encode(),
                        event.kafka_value(),
                        event.kafka_headers(self._source(event.country_office), traceparent),
                    )
                deliveries = await batches.close()
                marker = await producer.send(
                    RELAY_CHECKPOINT_TOPIC,
                    value=reached.encode(self._store),
                    key=self._key,
                    partition=checkpoints.CHECKPOINT_PARTITION.partition,
                )
                await asyncio.gather(*deliveries)
                metadata = await marker
                await producer.commit_transaction()
            except BaseException:
                # The session ends either way; a new producer's start aborts what is left.
                # Without a broker the abort could only wait for its timeout.
                if has_broker_connection(producer):
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(producer.abort_transaction(), timeout=5)
                raise
        offset: int = metadata.offset
        return offset

    def _source(self, country_office: str) -> str:
        source = self._sources.get(country_office)
        if source is None:
            source = source_for(country_office, self._relay._service)
            self._sources[country_office] = source
        return source

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _sleep_until_woken(self, stop: asyncio.Event) -> None:
        stop_wait = asyncio.ensure_future(stop.wait())
        wake_wait = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait(
                {stop_wait, wake_wait},
                timeout=self._relay._idle_poll,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for task in (stop_wait, wake_wait):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._connection.is_closed():
            raise asyncpg.ConnectionDoesNotExistError("the relay's connection was closed")


class _PartitionBatches:
    """Records gathered into one batch per partition, handed to the producer whole.

    `producer.send` per record costs more than encoding the record; a batch builder per
    partition keeps the relay near the raw producer. Partitions are chosen as the producer's
    default partitioner does (murmur2 of the stream id), so a stream stays on its partition.
    """

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer
        self._partitions: dict[str, list[int]] = {}
        self._open: dict[TopicPartition, BatchBuilder] = {}
        self._deliveries: list[asyncio.Future[object]] = []

    async def add(
        self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None:
        partitions = self._partitions.get(topic)
        if partitions is None:
            partitions = sorted(await self._producer.partitions_for(topic))
            self._partitions[topic] = partitions
        where = TopicPartition(topic, _PARTITIONER(key, partitions, partitions))
        builder = self._open.get(where)
        if builder is None:
            builder = self._open[where] = self._producer.create_batch()
        if builder.append(key=key, value=value, timestamp=None, headers=headers) is not None:
            return
        await self._hand_over(where)
        builder = self._open[where] = self._producer.create_batch()
        if builder.append(key=key, value=value, timestamp=None, headers=headers) is None:
            # Larger than a whole batch: the producer sends it alone, after what came before.
            del self._open[where]
            self._deliveries.append(
                await self._producer.send(
                    topic, value=value, key=key, headers=headers, partition=where.partition
                )
            )

    async def close(self) -> "list[asyncio.Future[object]]":
        """Hand every open batch to the producer; returns the deliveries to wait for."""
        for where in list(self._open):
            await self._hand_over(where)
        return self._deliveries

    async def _hand_over(self, where: TopicPartition) -> None:
        builder = self._open.pop(where)
        if builder.record_count():
            self._deliveries.append(
                await self._producer.send_batch(builder, where.topic, partition=where.partition)
            )


_PARTITIONER: Final = DefaultPartitioner()


def _span_name(operation: str, event_names: Sequence[str]) -> str:
    names = set(event_names)
    if len(names) == 1:
        return f"{operation} {names.pop()}"
    return f"{operation} {len(event_names)} events"


def _span_attributes(events: Sequence[StoredEvent]) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.batch.message_count": len(events),
    }
    if len(events) == 1:
        attributes["event.id"] = str(events[0].event_id)
    return attributes


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds` unless `stop` is set first; returns whether it was."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()


async def _unlock_quietly(connection: asyncpg.Connection) -> None:
    if connection.is_closed():
        return  # the server released the lock with the session
    try:
        await asyncio.wait_for(
            connection.execute("SELECT pg_advisory_unlock($1)", _RELAY_LOCK), timeout=5
        )
    except Exception as error:
        log.info("relay lock released with its connection: %s", describe(error))
