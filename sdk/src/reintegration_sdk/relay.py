"""The relay: publishes the event store to Kafka in position order and never skips a row.

PostgreSQL hands out positions in insert order, not commit order: a transaction that took
position 5 may commit after the one that took 6. Reading "position > checkpoint" would skip 5
for ever. The relay therefore reads only rows written by transactions older than every
transaction still in flight (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`),
in (transaction_id, position) order, and checkpoints that pair. The set of transactions below
the horizon never grows again, so a late commit holds the relay back instead of being
overtaken. Within a stream the order holds because a writer loads the stream (seeing the
previous writer's commit) before its first write, which is when its transaction id is taken.
"""

import asyncio
import contextlib
import logging
from typing import Final

import asyncpg
from aiokafka import AIOKafkaProducer
from opentelemetry.trace import SpanKind

from reintegration_contracts import source_for, to_kafka_headers, to_kafka_value, topic_for
from reintegration_sdk.events import StoredEvent
from reintegration_sdk.eventstore import EVENT_COLUMNS, NOTIFY_CHANNEL, stored_event_from_row
from reintegration_sdk.kafka import ensure_topics
from reintegration_sdk.telemetry import current_traceparent, span_following

log = logging.getLogger(__name__)

_PENDING: Final = f"""
SELECT {EVENT_COLUMNS}, transaction_id AS writer_transaction FROM events
WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, position LIMIT $3
"""
# Only one relay per database may publish; a second process of the service waits its turn.
_RELAY_LOCK: Final = 7_310_472_222


class Relay:
    """Moves committed events from a service's store to `reintegration.<cc>.<domain>`."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        service: str,
        bootstrap_servers: str,
        topic_partitions: int = 3,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.05,
        name: str = "relay",
    ) -> None:
        self._pool = pool
        self._producer = producer
        self._service = service
        self._bootstrap = bootstrap_servers
        self._partitions = topic_partitions
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._name = name
        self._wake = asyncio.Event()
        self._known_topics: set[str] = set()
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; then finish the batch in hand and return."""
        async with self._pool.acquire() as listener:
            await listener.execute("SELECT pg_advisory_lock($1)", _RELAY_LOCK)
            await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                while not stop.is_set():
                    # Cleared before reading, so a NOTIFY during the read is not lost.
                    self._wake.clear()
                    sent = await self.publish_pending()
                    if sent == 0:
                        await self._sleep_until_woken(stop)
            finally:
                await listener.remove_listener(NOTIFY_CHANNEL, self._on_notify)
                await listener.execute("SELECT pg_advisory_unlock($1)", _RELAY_LOCK)

    async def publish_pending(self) -> int:
        """Publish one batch of committed events; returns how many were sent."""
        async with self._pool.acquire() as connection:
            checkpoint = await connection.fetchrow(
                "SELECT transaction_id, position FROM relay_checkpoint WHERE name = $1",
                self._name,
            )
            after = (int(checkpoint[0]), checkpoint[1]) if checkpoint else (0, 0)
            rows = await connection.fetch(_PENDING, after[0], after[1], self._batch_size)
        if not rows:
            return 0
        events = [stored_event_from_row(row) for row in rows]
        await self._ensure_topics(events)
        deliveries = [await self._send(event) for event in events]
        await asyncio.gather(*deliveries)
        async with self._pool.acquire() as connection:
            await connection.execute(
                """INSERT INTO relay_checkpoint (name, transaction_id, position)
                   VALUES ($1, $2, $3)
                   ON CONFLICT (name) DO UPDATE
                   SET transaction_id = $2, position = $3, updated_at = now()""",
                self._name,
                int(rows[-1]["writer_transaction"]),
                events[-1].position,
            )
        self.published += len(events)
        return len(events)

    async def _send(self, event: StoredEvent) -> "asyncio.Future[object]":
        with span_following(
            f"publish {event.event_name}",
            event.traceparent,
            kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "event.id": str(event.event_id)},
        ):
            envelope = event.to_envelope(
                source_for(event.country_office, self._service), current_traceparent()
            )
            future: asyncio.Future[object] = await self._producer.send(
                topic_for(event.country_office, event.domain),
                value=to_kafka_value(envelope),
                key=event.stream_id.encode(),
                headers=to_kafka_headers(envelope),
            )
        return future

    async def _ensure_topics(self, events: list[StoredEvent]) -> None:
        topics = {topic_for(e.country_office, e.domain) for e in events} - self._known_topics
        if topics:
            await ensure_topics(self._bootstrap, topics, self._partitions)
            self._known_topics |= topics

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _sleep_until_woken(self, stop: asyncio.Event) -> None:
        stop_wait = asyncio.ensure_future(stop.wait())
        wake_wait = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait(
                {stop_wait, wake_wait},
                timeout=self._idle_poll,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for task in (stop_wait, wake_wait):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
