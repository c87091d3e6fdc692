"""An independent reader of the platform's topics: kafka-python, isolation_level=read_committed.

Nothing else in the platform uses kafka-python (the services run on aiokafka through
FastStream), so what this reader finds on a topic is not an artefact of the code under test.
`read_all` reads topics from the beginning to their end once; `Tail` follows them in a thread
while a scenario plays, so the harness can tell when a relay has caught up after a fault.
"""

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from reintegration_contracts.topics import DLQ_SUFFIX, TOPIC_ROOT

# The broker's default message.max.bytes; a record near it must still be readable.
FETCH_BYTES = 4 * 1024 * 1024
KEEP_VALUE_BYTES = 64 * 1024  # larger values are kept as their size only


@dataclass(frozen=True)
class KafkaRecord:
    """One record as it is on the topic: coordinates, key, headers (raw bytes) and value."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    value: bytes | None
    value_size: int

    def header(self, name: str) -> bytes | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def text(self, name: str) -> str | None:
        raw = self.header(name)
        return None if raw is None else raw.decode(errors="replace")

    @property
    def event_id(self) -> str | None:
        return self.text("ce_id")

    @property
    def coordinates(self) -> tuple[str, int, int]:
        return (self.topic, self.partition, self.offset)


def office_topic_pattern(office: str) -> re.Pattern[str]:
    """`reintegration.<cc>.<domain>` for any domain (the set is open), never `.dlq`."""
    return re.compile(rf"^{re.escape(TOPIC_ROOT)}\.{re.escape(office)}\.[a-z_]+$")


def topics_of(bootstrap: str, offices: Iterable[str]) -> tuple[list[str], list[str]]:
    """The offices' event topics and their dead-letter topics, as the broker lists them."""
    consumer = _consumer(bootstrap)
    try:
        names = consumer.topics()
    finally:
        consumer.close()
    patterns = [office_topic_pattern(office) for office in offices]
    events = sorted(t for t in names if any(p.match(t) for p in patterns))
    dead = sorted(t for t in names if t.endswith(DLQ_SUFFIX) and t[: -len(DLQ_SUFFIX)] in events)
    return events, dead


def read_all(
    bootstrap: str,
    topics: Sequence[str],
    timeout: float = 60.0,
    expect: Iterable[str] = (),
    expect_patience: float = 15.0,
) -> list[KafkaRecord]:
    """Every committed record of `topics` from the beginning up to their end.

    A busy broker's first answer about the end of a partition may be older than what was
    committed by then; with `expect` (event ids that should be there), the end is asked again
    until they have all been read or `expect_patience` has passed, so a missing id is missing
    indeed. Raises TimeoutError if the end is not reached in time (the broker is away)."""
    consumer = _consumer(bootstrap)
    try:
        partitions = _partitions(consumer, topics, timeout)
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records: list[KafkaRecord] = []
        wanted = set(expect)
        deadline = time.monotonic() + timeout
        patience = time.monotonic() + expect_patience
        while True:
            end = consumer.end_offsets(partitions)
            while any(consumer.position(tp) < end[tp] for tp in partitions):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not read {len(topics)} topics to their end in time")
                for batch in consumer.poll(timeout_ms=300).values():
                    records.extend(_record(r) for r in batch)
            wanted -= {r.event_id for r in records}
            if not wanted or time.monotonic() > min(patience, deadline):
                return sorted(records, key=lambda r: r.coordinates)
            time.sleep(0.5)
    finally:
        consumer.close()


class Tail:
    """Follows topics from their beginning in a thread; `event_ids()` is what it has seen.

    Survives the broker going away: kafka-python reconnects and polling resumes where it was.
    """

    def __init__(self, bootstrap: str, topics: Sequence[str]) -> None:
        self._bootstrap = bootstrap
        self._topics = list(topics)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._records: list[KafkaRecord] = []
        self._ids: set[str] = set()
        self._dead_letters: list[KafkaRecord] = []
        self._thread = threading.Thread(target=self._follow, name="chaos-tail", daemon=True)
        self.error: BaseException | None = None

    def __enter__(self) -> "Tail":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def event_ids(self) -> set[str]:
        with self._lock:
            return set(self._ids)

    def records(self, topic: str | None = None) -> list[KafkaRecord]:
        with self._lock:
            return [r for r in self._records if topic is None or r.topic == topic]

    def dead_letters(self) -> list[KafkaRecord]:
        with self._lock:
            return list(self._dead_letters)

    def _follow(self) -> None:
        try:
            consumer = _consumer(self._bootstrap)
            try:
                partitions = _partitions(consumer, self._topics, timeout=60)
                consumer.assign(partitions)
                consumer.seek_to_beginning(*partitions)
                while not self._stop.is_set():
                    for batch in consumer.poll(timeout_ms=200).values():
                        self._keep([_record(r) for r in batch])
            finally:
                consumer.close()
        except BaseException as error:  # reported by the harness, which then stops waiting
            self.error = error

    def _keep(self, records: list[KafkaRecord]) -> None:
        with self._lock:
            for record in records:
                if record.topic.endswith(DLQ_SUFFIX):
                    self._dead_letters.append(record)
                    continue
                self._records.append(record)
                if record.event_id is not None:
                    self._ids.add(record.event_id)


def _consumer(bootstrap: str) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        client_id="chaos-independent-reader",
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_partition_fetch_bytes=FETCH_BYTES,
        fetch_max_bytes=FETCH_BYTES,
        request_timeout_ms=10_000,
        reconnect_backoff_max_ms=1_000,
    )


def _partitions(
    consumer: KafkaConsumer, topics: Sequence[str], timeout: float
) -> list[TopicPartition]:
    deadline = time.monotonic() + timeout
    found: list[TopicPartition] = []
    for topic in topics:
        while (parts := consumer.partitions_for_topic(topic)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"topic {topic} has no partitions on the broker")
            time.sleep(0.2)
        found.extend(TopicPartition(topic, p) for p in sorted(parts))
    return found


def _record(raw: Any) -> KafkaRecord:
    value = raw.value
    size = len(value) if value is not None else 0
    return KafkaRecord(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        headers=tuple((k, v if v is not None else b"") for k, v in raw.headers or ()),
        value=value if size <= KEEP_VALUE_BYTES else None,
        value_size=size,
    )
