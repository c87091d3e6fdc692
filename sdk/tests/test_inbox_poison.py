"""Poison records cannot cost good ones: the real subscriber, broker and database."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from faststream.kafka import KafkaBroker
from sdk_builders import follow_up

from reintegration_contracts import (
    EventEnvelope,
    dead_letter_topic,
    to_kafka_headers,
    to_kafka_value,
    topic_for,
)
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.topics import Domain
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.inbox import Inbox, Record, RetryPolicy
from reintegration_sdk.kafka import MAX_REQUEST_BYTES, ensure_topics
from reintegration_sdk.subscriber import KafkaDeadLetters, subscribe_inbox
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    eventually,
    random_office,
    read_topic_records,
    upstream_event,
)

pytestmark = pytest.mark.integration

handlers = EventHandlers("poison-effects", tables=["effects"])


@handlers.on(FollowUpRecorded)
async def on_follow_up_recorded(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    await db.execute("INSERT INTO effects VALUES ($1, $2)", meta.event_id, event.jobs_created)


class FlakyDeadLetters:
    """The real dead-letter sink, failing while `failing` is set (the DLQ topic unreachable)."""

    def __init__(self, sink: KafkaDeadLetters) -> None:
        self.sink = sink
        self.failing = False
        self.attempts = 0

    async def send(self, record: Record, reason: str, consumer: str) -> None:
        self.attempts += 1
        if self.failing:
            raise KafkaConnectionError("the dead-letter topic is unreachable (test)")
        await self.sink.send(record, reason, consumer)


@dataclass
class Subscriber:
    topic: str
    office: str
    group: str
    dead_letters: FlakyDeadLetters


@pytest.fixture
async def subscriber(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> AsyncIterator[Subscriber]:
    office = random_office()
    topic = topic_for(office, Domain.MONITORING)
    await ensure_topics(
        infrastructure.kafka_bootstrap_servers, [topic, dead_letter_topic(topic)], 3
    )
    sink = KafkaDeadLetters(infrastructure.kafka_bootstrap_servers, "test-poison-dlq")
    flaky = FlakyDeadLetters(sink)
    inbox = Inbox(pool, "poison", handlers, flaky, RetryPolicy(2, 0.05, 2.0))
    broker = KafkaBroker(infrastructure.kafka_bootstrap_servers, logger=None)
    group = f"test-{uuid4().hex[:8]}"
    subscribe_inbox(broker, inbox, [topic], group_id=group)
    await broker.start()
    yield Subscriber(topic, office, group, flaky)
    await broker.stop()
    await sink.stop()


Raw = tuple[bytes | None, list[tuple[str, bytes]]]


# Marks this run's records: on a long-lived stack an office's topics keep earlier runs' ones.
RUN = uuid4().hex.encode()


async def send_raw(infrastructure: Infrastructure, topic: str, records: Sequence[Raw]) -> None:
    """One producer, one key: the records land on one partition, in this order, marked as
    this run's."""
    producer = AIOKafkaProducer(
        bootstrap_servers=infrastructure.kafka_bootstrap_servers,
        max_request_size=MAX_REQUEST_BYTES,
        linger_ms=50,
    )
    await producer.start()
    try:
        deliveries = [
            await producer.send(
                topic, value=value, key=b"one-partition", headers=[*headers, ("x-run", RUN)]
            )
            for value, headers in records
        ]
        for delivery in deliveries:
            await delivery
    finally:
        await producer.stop()


def raw(envelope: EventEnvelope) -> Raw:
    return to_kafka_value(envelope), to_kafka_headers(envelope)


async def applied(pool: asyncpg.Pool, *events: EventEnvelope) -> set[str]:
    rows = await pool.fetch(
        "SELECT event_id::text FROM effects WHERE event_id = ANY($1)", [e.id for e in events]
    )
    return {row[0] for row in rows}


def this_run(records: list[Any]) -> list[Any]:
    return [r for r in records if dict(r.headers).get("x-run") == RUN]


async def parked(infrastructure: Infrastructure, topic: str, count: int) -> list[dict[str, bytes]]:
    records = await read_topic_records(
        infrastructure, dead_letter_topic(topic), until=lambda rs: len(this_run(rs)) >= count
    )
    return [dict(r.headers) for r in this_run(records)]


async def test_a_record_with_a_non_utf8_header_is_parked_and_its_batch_applied(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    first = upstream_event(follow_up(jobs_created=1), subscriber.office)
    poison = upstream_event(follow_up(jobs_created=2), subscriber.office)
    last = upstream_event(follow_up(jobs_created=3), subscriber.office)
    value, headers = raw(poison)
    broken = [*headers, ("x-origin", b"\xff\xfe not utf-8")]
    await send_raw(infrastructure, subscriber.topic, [raw(first), (value, broken), raw(last)])

    async def both_good_ones_applied() -> None:
        assert await applied(pool, first, poison, last) == {str(first.id), str(last.id)}

    await eventually(both_good_ones_applied)
    [copy] = await parked(infrastructure, subscriber.topic, 1)
    assert copy["dlq_reason"] == b"header x-origin is not UTF-8"
    assert copy["x-origin"] == b"\xff\xfe not utf-8", "the copy keeps the raw bytes"
    assert copy["ce_id"] == str(poison.id).encode()
    reasons = await pool.fetch("SELECT reason FROM dead_letters WHERE consumer = 'poison'")
    assert [r["reason"] for r in reasons] == ["header x-origin is not UTF-8"]


async def test_missing_headers_and_an_office_other_than_the_topics_are_parked(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    good = upstream_event(follow_up(jobs_created=5), subscriber.office)
    headerless = upstream_event(follow_up(), subscriber.office)
    other = "bf" if subscriber.office != "bf" else "ml"
    # A record on this office's topic that claims to be another office's.
    foreign = upstream_event(follow_up(jobs_created=6), other)
    value, headers = raw(headerless)
    without_ce = [(k, v) for k, v in headers if not k.startswith("ce_")]
    await send_raw(infrastructure, subscriber.topic, [(value, without_ce), raw(foreign), raw(good)])

    async def good_one_applied() -> None:
        assert await applied(pool, good, foreign, headerless) == {str(good.id)}

    await eventually(good_one_applied)
    copies = await parked(infrastructure, subscriber.topic, 2)
    reasons = sorted(c["dlq_reason"].decode() for c in copies)
    assert reasons[0].startswith(f"ce_countryoffice {other!r} disagrees with the office")
    assert "the topic prefix is the access boundary" in reasons[0]
    assert reasons[1].startswith("missing CloudEvents headers: ce_id, ce_source")


async def test_a_record_near_the_size_limit_is_parked_cut_to_fit_and_never_lost(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    huge = upstream_event(follow_up(), subscriber.office)
    after = upstream_event(follow_up(jobs_created=8), subscriber.office)
    headers = to_kafka_headers(huge)
    # Not JSON, and as large as the producer lets a record be: 64 bytes below its limit.
    overhead = DefaultRecordBatchBuilder.estimate_size_in_bytes(b"one-partition", b"{", headers)
    value = b"{" + b"x" * (MAX_REQUEST_BYTES - 64 - overhead)
    await send_raw(infrastructure, subscriber.topic, [(value, headers), raw(after)])

    async def the_next_one_applied() -> None:
        assert await applied(pool, after) == {str(after.id)}

    await eventually(the_next_one_applied)
    records = await read_topic_records(
        infrastructure,
        dead_letter_topic(subscriber.topic),
        until=lambda rs: len(this_run(rs)) >= 1,
    )
    [copy] = this_run(records)
    headers = dict(copy.headers)
    assert headers["dlq_truncated"] == b"true"
    assert headers["dlq_reason"].startswith(b"body is not JSON")
    assert int(headers["dlq_original_value_bytes"]) == len(value)
    assert headers["dlq_original_topic"] == subscriber.topic.encode()
    originals = await read_topic_records(
        infrastructure, subscriber.topic, until=lambda rs: len(this_run(rs)) >= 2
    )
    [original] = [r for r in this_run(originals) if r.value == value]
    assert headers["dlq_original_offset"] == str(original.offset).encode()
    assert headers["dlq_original_partition"] == str(original.partition).encode()
    assert headers["ce_id"] == str(huge.id).encode()
    assert value.startswith(copy.value) and len(copy.value) < len(value)
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 1


async def committed(infrastructure: Infrastructure, group: str, topic: str) -> dict[int, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}


async def test_a_dead_letter_that_cannot_be_sent_stops_the_consumer_at_that_record(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    before = upstream_event(follow_up(jobs_created=1), subscriber.office)
    await send_raw(infrastructure, subscriber.topic, [raw(before)])

    async def first_applied() -> None:
        assert await applied(pool, before) == {str(before.id)}

    await eventually(first_applied)
    subscriber.dead_letters.failing = True
    poison = upstream_event(follow_up(), subscriber.office)
    after = upstream_event(follow_up(jobs_created=2), subscriber.office)
    await send_raw(infrastructure, subscriber.topic, [(b"{not json", raw(poison)[1]), raw(after)])

    async def retried_a_few_times() -> None:
        assert subscriber.dead_letters.attempts >= 3

    await eventually(retried_a_few_times)
    assert await applied(pool, after) == set(), "nothing after the poison record goes on"
    stuck = await committed(infrastructure, subscriber.group, subscriber.topic)
    partitions = await read_topic_records(
        infrastructure, subscriber.topic, until=lambda rs: len(this_run(rs)) >= 3
    )
    [poison_record] = [r for r in this_run(partitions) if r.value == b"{not json"]
    assert stuck.get(poison_record.partition, 0) <= poison_record.offset, (
        "the offset must not be committed past a record that is neither applied nor parked"
    )

    subscriber.dead_letters.failing = False

    async def both_done() -> None:
        assert await applied(pool, after) == {str(after.id)}
        offsets = await committed(infrastructure, subscriber.group, subscriber.topic)
        assert offsets[poison_record.partition] > poison_record.offset + 1

    await eventually(both_done)
    [copy] = await parked(infrastructure, subscriber.topic, 1)
    assert copy["dlq_reason"].startswith(b"body is not JSON")
    assert TopicPartition(subscriber.topic, poison_record.partition)


async def test_unknown_event_types_are_skipped_but_counted_once_each(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    future_type = "org.reintegration.monitoring.SomethingFromTheFuture"
    newer = upstream_event(follow_up(), subscriber.office).model_copy(update={"type": future_type})
    another = newer.model_copy(update={"id": uuid4()})
    good = upstream_event(follow_up(jobs_created=4), subscriber.office)
    # The same unknown event twice (a redelivery), another one, then a known one.
    await send_raw(
        infrastructure, subscriber.topic, [raw(newer), raw(newer), raw(another), raw(good)]
    )

    async def good_one_applied() -> None:
        assert await applied(pool, good) == {str(good.id)}

    await eventually(good_one_applied)
    counts = await pool.fetch("SELECT consumer, event_type, count FROM skipped_events")
    assert [tuple(r) for r in counts] == [("poison", future_type, 2)]
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0


async def test_an_event_reusing_an_applied_events_id_is_parked_a_redelivery_is_not(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    original = upstream_event(follow_up(jobs_created=1), subscriber.office)
    await send_raw(infrastructure, subscriber.topic, [raw(original)])

    async def original_applied() -> None:
        assert await applied(pool, original) == {str(original.id)}

    await eventually(original_applied)
    impostor = original.model_copy(update={"data": {**original.data, "jobs_created": 9}})
    after = upstream_event(follow_up(jobs_created=3), subscriber.office)
    # The same event again byte for byte (a redelivery), then another under its id.
    await send_raw(infrastructure, subscriber.topic, [raw(original), raw(impostor), raw(after)])

    async def the_next_one_applied() -> None:
        assert await applied(pool, after) == {str(after.id)}

    await eventually(the_next_one_applied)
    [copy] = await parked(infrastructure, subscriber.topic, 1)
    assert copy["dlq_reason"].startswith(
        f"event id {original.id} was already applied with other content".encode()
    )
    jobs = await pool.fetchval("SELECT jobs FROM effects WHERE event_id = $1", original.id)
    assert jobs == 1, "the impostor changed nothing"
    assert await pool.fetchval("SELECT count(*) FROM effects WHERE event_id = $1", original.id) == 1
