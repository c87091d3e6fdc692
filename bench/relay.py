"""Relay phase: the relay session's `publish_pending` against a raw idempotent producer.

Each round appends N/rounds events first (not timed). The relay then publishes them batch
after batch, each batch one Kafka transaction with its checkpoint, until every one is
committed; the raw producer (no transactions), with the same settings
(`idempotent_producer`: acks=all, idempotence, linger 5 ms, 256 KiB batches), sends the very
same keys, values and headers, pre-built, and waits for all acknowledgements at the end. The
two take turns in a rotated order. The relay's topic is redirected to the bench's own topic
(its naming rule still runs). The process has an SDK tracer provider, as a service has, so
the relay records one publish span per batch.
"""

import asyncio
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any
from unittest import mock
from uuid import uuid4

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from bench.infra import Resources
from bench.measure import Result, combine, progress
from bench.payloads import ACTOR, OFFICE, follow_up
from reintegration_contracts import (
    Domain,
    source_for,
    to_kafka_headers,
    to_kafka_value,
    topic_for,
)
from reintegration_sdk import relay as relay_module
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.events import StoredEvent
from reintegration_sdk.eventstore import EventContext, EventStore, stored_event_from_row
from reintegration_sdk.kafka import idempotent_producer
from reintegration_sdk.relay import Relay

PHASE = "relay"
STREAMS = 64
APPEND_BATCH = 100
RELAY_BATCH = 500  # the SDK's default batch size
TIMEOUT_SECONDS = 300.0

Message = tuple[bytes, bytes, list[tuple[str, bytes]]]


class Timings:
    """The time the SDK relay spends in its Kafka transactions (encoding, sending, acks,
    checkpoint), summed up."""

    transaction_seconds = 0.0
    batches = 0

    def timed(self, transaction: Callable[..., Awaitable[int]]) -> Callable[..., Awaitable[int]]:
        async def timed_transaction(events: list[StoredEvent], reached: Any) -> int:
            start = perf_counter()
            try:
                return await transaction(events, reached)
            finally:
                self.transaction_seconds += perf_counter() - start

        return timed_transaction


class Prefill:
    """Appends events over STREAMS streams, APPEND_BATCH per append (not timed)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._store = EventStore()
        self._context = EventContext.new(OFFICE, ACTOR)
        self._versions = [0] * STREAMS
        self.total = 0
        self.position = 0  # last position read back as messages

    async def append(self, events: int) -> None:
        async with (
            progress("relay: pre-filling the event store", events) as counter,
            self._pool.acquire() as connection,
        ):
            while counter.n < events:
                stream = self.total // APPEND_BATCH % STREAMS
                count = min(APPEND_BATCH, events - counter.n)
                payloads = [follow_up() for _ in range(count)]
                async with connection.transaction():
                    await self._store.append(
                        connection, f"visit-{stream}", self._versions[stream], payloads,
                        self._context,
                    )  # fmt: skip
                self._versions[stream] += count
                self.total += count
                counter.n += count

    async def messages(self) -> list[Message]:
        """Key, value and headers of the events appended since the last call, as the relay
        sends them (with a traceparent header like the one its publish span adds)."""
        messages: list[Message] = []
        async with self._pool.acquire() as connection:
            while batch := await self._store.read_all(connection, self.position, limit=5000):
                for event in batch:
                    source = source_for(event.country_office, "monitoring")
                    traceparent = f"00-{uuid4().hex}-{uuid4().hex[:16]}-01"
                    envelope = event.to_envelope(source, traceparent)
                    messages.append(
                        (
                            event.stream_id.encode(),
                            to_kafka_value(envelope),
                            to_kafka_headers(envelope),
                        )
                    )
                self.position = batch[-1].position
        return messages


async def run_relay(resources: Resources, events: int, rounds: int) -> list[Result]:
    kafka = resources.stack.kafka_bootstrap_servers
    url = await resources.database("relay")
    relay_topic = await resources.topic("relay")
    raw_topic = await resources.topic("relay-raw")
    pool = await create_pool(url, min_size=2, max_size=4)
    raw_producer = idempotent_producer(kafka, "bench-raw-producer")
    share = max(events // rounds, 1)
    relay_seconds: list[float] = []
    raw_seconds: list[float] = []
    timings = Timings()
    try:
        await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
        await raw_producer.start()
        await raw_producer.partitions_for(raw_topic)  # metadata known before any clock starts
        relay = Relay(pool, "monitoring", kafka, batch_size=RELAY_BATCH)
        async with relay.session() as session:
            assert session is not None
            session._transaction = timings.timed(session._transaction)  # type: ignore[method-assign,assignment]
            prefill = Prefill(pool)
            for round_ in range(rounds):
                await prefill.append(share)
                messages = await prefill.messages()
                await resources.checkpoint()
                label = f"({round_ + 1}/{rounds})"
                relay_turn = _relay(
                    session, relay, timings, relay_topic, prefill.total, f"SDK Relay {label}"
                )
                raw_turn = _raw(raw_producer, raw_topic, messages, f"raw aiokafka producer {label}")
                if round_ % 2:
                    raw_seconds.append(await raw_turn)
                    relay_seconds.append(await relay_turn)
                else:
                    relay_seconds.append(await relay_turn)
                    raw_seconds.append(await raw_turn)
        read_seconds = await _read_pass(pool, RELAY_BATCH)
    finally:
        await raw_producer.stop()
        await pool.close()
    sdk = combine(PHASE, "SDK Relay.publish_pending", "sdk", share, relay_seconds)
    details = {
        **sdk.details,
        "batches": float(timings.batches),
        "read_rows_seconds": round(read_seconds, 3),
        "kafka_transaction_seconds": round(timings.transaction_seconds, 3),
        "checkpoint_cache_rest_seconds": round(
            sdk.seconds - read_seconds - timings.transaction_seconds, 3
        ),
    }
    raw = combine(PHASE, "raw aiokafka producer (same settings)", "baseline", share, raw_seconds)
    return [Result(PHASE, sdk.case, "sdk", sdk.events, sdk.seconds, details), raw]


def _publishing_to(topic: str) -> "mock._patch[Any]":
    """The relay's topic naming, redirected to the bench topic (the naming rule still runs)."""
    original = topic_for

    def bench_topic(country_office: str, domain: Domain | str) -> str:
        original(country_office, domain)
        return topic

    return mock.patch.object(relay_module, "topic_for", bench_topic)


async def _relay(
    session: Any, relay: Relay, timings: Timings, topic: str, until: int, description: str
) -> float:
    """Seconds until the relay has published everything up to `until` events in total."""
    before = relay.published
    with _publishing_to(topic):
        async with progress(description, until - before) as counter:
            start = perf_counter()
            deadline = start + TIMEOUT_SECONDS
            while relay.published < until:
                try:
                    sent = await session.publish_pending()
                except KafkaError as error:
                    # A loaded single broker can answer a fresh topic's first sends with a
                    # retriable error; the batch was aborted and is sent again whole.
                    if not error.retriable or perf_counter() > deadline:
                        raise
                    await asyncio.sleep(0.5)
                    continue
                if sent == 0:
                    if perf_counter() > deadline:
                        raise RuntimeError(f"relay stalled at {relay.published}/{until}")
                    await asyncio.sleep(0.005)  # an older transaction is still in flight
                else:
                    timings.batches += 1
                counter.n = relay.published - before
            return perf_counter() - start


async def _raw(
    producer: AIOKafkaProducer, topic: str, messages: list[Message], description: str
) -> float:
    async with progress(description, len(messages)) as counter:
        start = perf_counter()
        deliveries = []
        for key, value, headers in messages:
            deliveries.append(await producer.send(topic, value=value, key=key, headers=headers))
            counter.n += 1
        await asyncio.gather(*deliveries)
        return perf_counter() - start


async def _read_pass(pool: asyncpg.Pool, batch_size: int) -> float:
    """Time only the relay's reads: its pending-rows query and row decoding, batch by batch."""
    after: tuple[int, int] = (0, 0)
    start = perf_counter()
    while True:
        async with pool.acquire() as connection:
            await connection.fetchrow(
                "SELECT transaction_id, position FROM relay_checkpoint WHERE name = $1", "x"
            )
            rows = await connection.fetch(relay_module._PENDING, after[0], after[1], batch_size)
        if not rows:
            return perf_counter() - start
        [stored_event_from_row(row) for row in rows]
        after = (int(rows[-1]["writer_transaction"]), rows[-1]["position"])
