"""Inbox phase: the FastStream inbox subscriber applying a one-row handler, against a raw consumer.

N events are published to a fresh topic first (not timed). The SDK side is the real path of a
service: `subscribe_inbox` (FastStream batch subscriber, manual ack after commit) feeding
`Inbox.process`, which decodes and validates each record, and applies the batch with its
inbox rows in one transaction; the handler inserts one row per event, once as a batch handler
(one statement per batch) and once as a per-event handler (one statement per event). The
baseline is a raw aiokafka consumer (`getmany`, same batch size) that reads the same records
and does nothing. Both clocks run from the first batch handed over to the last record done,
so the consumer group's join is not counted.
"""

import asyncio
from collections.abc import Sequence
from time import perf_counter
from typing import Any
from uuid import uuid4

import asyncpg
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from bench.infra import Resources
from bench.measure import Result, Role, progress
from bench.payloads import envelope, follow_up
from reintegration_contracts import to_kafka_headers, to_kafka_value
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.kafka import idempotent_producer
from reintegration_sdk.subscriber import KafkaDeadLetters, subscribe_inbox

PHASE = "inbox"
MAX_RECORDS = 500  # subscribe_inbox's default batch
STREAMS = 64
TIMEOUT_SECONDS = 300.0


class Sections:
    """Seconds spent in each part of the SDK path, summed over the run."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last = 0.0
        self.process = 0.0
        self.decode = 0.0
        self.apply = 0.0
        self.handler = 0.0
        self.batches = 0


sections = Sections()
# The same one-row effect twice: as a batch handler (one statement per batch, the form the
# SDK offers for handlers that allow it) and as a per-event handler (one statement per event).
batch_handlers = EventHandlers("bench", tables=["effects"])
single_handlers = EventHandlers("bench-single", tables=["effects"])


@batch_handlers.on_batch(FollowUpRecorded)
async def insert_effects(
    db: asyncpg.Connection, events: Sequence[tuple[FollowUpRecorded, EventMeta]]
) -> None:
    start = perf_counter()
    await db.execute(
        "INSERT INTO effects SELECT * FROM unnest($1::uuid[], $2::int[])",
        [meta.event_id for _, meta in events],
        [event.jobs_created for event, _ in events],
    )
    sections.handler += perf_counter() - start


@single_handlers.on(FollowUpRecorded)
async def insert_effect(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
    start = perf_counter()
    await db.execute("INSERT INTO effects VALUES ($1, $2)", meta.event_id, event.jobs_created)
    sections.handler += perf_counter() - start


class TimedInbox(Inbox):
    """The SDK inbox, timing its decoding and its apply transaction."""

    async def process(self, records: Sequence[Record]) -> None:
        start = perf_counter()
        if sections.first is None:
            sections.first = start
        await super().process(records)
        sections.last = perf_counter()
        sections.process += sections.last - start
        sections.batches += 1

    async def _sort(self, record: Record, batch: Any) -> None:
        start = perf_counter()
        try:
            await super()._sort(record, batch)
        finally:
            sections.decode += perf_counter() - start

    async def _apply(self, batch: Sequence[Any], skipped: Sequence[Any] = ()) -> None:
        start = perf_counter()
        try:
            await super()._apply(batch, skipped)
        finally:
            sections.apply += perf_counter() - start


async def run_inbox(resources: Resources, events: int) -> list[Result]:
    kafka = resources.stack.kafka_bootstrap_servers
    url = await resources.database("inbox")
    topic = await resources.topic("inbox")
    await resources.topic("inbox.dlq")  # dead_letter_topic(topic); nothing should land there
    await _publish(kafka, topic, events)
    pool = await create_pool(url, min_size=2, max_size=4)
    try:
        await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
        await pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, jobs int NOT NULL)")
        measured: list[Result] = []
        runs: list[tuple[EventHandlers, Role, str]] = [
            (batch_handlers, "sdk", "SDK Inbox.process, batch handler"),
            (single_handlers, "info", "SDK Inbox.process, per-event handler"),
        ]
        for handlers, role, case in runs:
            await pool.execute("TRUNCATE effects")
            await resources.checkpoint()
            measured.append(await _sdk(pool, kafka, topic, events, handlers, role, case))
            rows = await pool.fetchval("SELECT count(*) FROM effects")
            if rows != events:
                raise RuntimeError(f"the handler wrote {rows} rows for {events} events")
    finally:
        await pool.close()
    raw = await _raw_consumer(kafka, topic, events)
    return [*measured, raw]


async def _publish(kafka: str, topic: str, events: int) -> None:
    producer = idempotent_producer(kafka, "bench-inbox-publisher")
    await producer.start()
    try:
        async with progress("inbox: publishing the events", events) as counter:
            deliveries = []
            for i in range(events):
                message = envelope(follow_up(), f"visit-{i % STREAMS}")
                deliveries.append(
                    await producer.send(
                        topic,
                        value=to_kafka_value(message),
                        key=message.subject.encode(),
                        headers=to_kafka_headers(message),
                    )
                )
                counter.n += 1
            await asyncio.gather(*deliveries)
    finally:
        await producer.stop()


async def _sdk(
    pool: asyncpg.Pool,
    kafka: str,
    topic: str,
    events: int,
    handlers: EventHandlers,
    role: Role,
    case: str,
) -> Result:
    global sections
    sections = Sections()
    dead_letters = KafkaDeadLetters(kafka, "bench-dlq")
    inbox = TimedInbox(pool, handlers.name, handlers, dead_letters)
    broker = KafkaBroker(kafka, logger=None)
    subscribe_inbox(broker, inbox, [topic], group_id=f"bench-{uuid4().hex[:8]}")
    try:
        async with progress(f"{case} (1 row)", events) as counter:
            await broker.start()
            deadline = perf_counter() + TIMEOUT_SECONDS
            while inbox.applied + inbox.dead_lettered < events:
                if perf_counter() > deadline:
                    raise RuntimeError(f"inbox stalled at {inbox.applied}/{events}")
                await asyncio.sleep(0.005)
                counter.n = inbox.applied
    finally:
        await broker.stop()
        await dead_letters.stop()
    if inbox.dead_lettered:
        raise RuntimeError(f"{inbox.dead_lettered} events were dead-lettered")
    seconds = sections.last - (sections.first or sections.last)
    details = {
        "batches": float(sections.batches),
        "decode_seconds": round(sections.decode, 3),
        "apply_transaction_seconds": round(sections.apply, 3),
        "of_which_handler_seconds": round(sections.handler, 3),
        "outside_inbox_process_seconds": round(seconds - sections.process, 3),
    }
    return Result(PHASE, case, role, events, seconds, details)


async def _raw_consumer(kafka: str, topic: str, events: int) -> Result:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka,
        group_id=f"bench-raw-{uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with progress("raw aiokafka consumer (getmany)", events) as counter:
            first: float | None = None
            deadline = perf_counter() + TIMEOUT_SECONDS
            while counter.n < events:
                if perf_counter() > deadline:
                    raise RuntimeError(f"raw consumer stalled at {counter.n}/{events}")
                batch = await consumer.getmany(timeout_ms=100, max_records=MAX_RECORDS)
                received = sum(len(records) for records in batch.values())
                if received and first is None:
                    first = perf_counter()
                counter.n += received
            seconds = perf_counter() - (first or perf_counter())
    finally:
        await consumer.stop()
    return Result(PHASE, "raw aiokafka consumer (getmany)", "baseline", events, seconds)
