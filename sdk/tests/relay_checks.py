"""What an independent reader finds on a topic: each stored event once, in stream order.

kafka-python, not aiokafka: the reader shares no code with the relay it checks.
"""

import asyncio
import time
from collections import Counter, defaultdict
from typing import Any

import asyncpg
from kafka import KafkaConsumer, TopicPartition

from reintegration_sdk.eventstore import EventStore


def committed_records(
    bootstrap_servers: str, topic: str, expected: set[str], timeout: float = 120.0
) -> list[Any]:
    """Every committed record of `topic`, read with isolation_level=read_committed up to the
    last stable offset, once every `expected` event id has been seen (on a loaded machine
    the reader's first view of the topic may be older than the relay's last commit)."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        isolation_level="read_committed",
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",
    )
    try:
        deadline = time.monotonic() + timeout
        partitions: set[int] | None = None
        while not partitions:
            if time.monotonic() > deadline:
                raise AssertionError(f"the reader found no partitions of {topic}")
            partitions = consumer.partitions_for_topic(topic)
            if not partitions:
                consumer.poll(timeout_ms=200)  # lets the client refresh its metadata
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        records: list[Any] = []
        seen: set[str] = set()
        while time.monotonic() < deadline:
            for part in consumer.poll(timeout_ms=500).values():
                records.extend(part)
                seen.update(dict(r.headers)["ce_id"].decode() for r in part)
            end = consumer.end_offsets(assigned)
            if expected <= seen and all(consumer.position(tp) >= end[tp] for tp in assigned):
                break
        return records
    finally:
        consumer.close()


async def assert_each_stored_event_published_once_in_stream_order(
    pool: asyncpg.Pool, bootstrap_servers: str, topic: str
) -> int:
    """Returns how many events were checked. Records of streams this store does not hold
    (other runs on a long-lived stack) are left out."""
    async with pool.acquire() as db:
        stored = await EventStore().read_all(db, after=0, limit=1_000_000)
    streams = {event.stream_id.encode() for event in stored}
    expected = {str(e.event_id) for e in stored}
    read = await asyncio.to_thread(committed_records, bootstrap_servers, topic, expected)
    records = [record for record in read if record.key in streams]
    ids = [dict(r.headers)["ce_id"].decode() for r in records]
    copies = Counter(ids)
    missing = expected - set(copies)
    twice = {event_id: n for event_id, n in copies.items() if n > 1}
    assert not missing, f"{len(missing)} stored events never published"
    assert not twice, f"{len(twice)} events published more than once: {list(twice.items())[:3]}"
    assert set(copies) == expected, "records on the topic that the store does not hold"
    on_topic: dict[str, list[str]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        on_topic[record.key.decode()].append(dict(record.headers)["ce_id"].decode())
    in_store: dict[str, list[str]] = defaultdict(list)
    for event in sorted(stored, key=lambda e: (e.stream_id, e.version)):
        in_store[event.stream_id].append(str(event.event_id))
    assert on_topic == in_store, "a stream's events are out of order on the topic"
    return len(stored)
