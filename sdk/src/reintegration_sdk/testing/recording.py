"""Recordings: every record of a country office's event topics, kept as JSON lines.

A recording is the raw material of the read-model property test (`testing.interleavings`): the
events a real run published, byte for byte, so a test can replay them in other orders without
running the services again. One line per Kafka record:

    {"topic": "reintegration.bf.intake", "partition": 0, "offset": 12, "timestamp": 1718...,
     "key": "returnee-...", "headers": [["ce_id", "..."], ...], "value": "{...}"}

Keys, header values and values are text when they are UTF-8 (they always are for the platform's
own events) and `{"base64": "..."}` otherwise, so any record, even a malformed one, comes back
exactly. Lines are in (topic, partition, offset) order, which keeps every stream's order (a
stream is one key, so one partition).
"""

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from reintegration_contracts import EventEnvelope, EventPayload, UnknownEventType, from_kafka
from reintegration_contracts.classification import wire_problems
from reintegration_contracts.registry import kind_of
from reintegration_contracts.topics import TOPIC_ROOT
from reintegration_sdk.kafka import client_options


@dataclass(frozen=True)
class RecordedRecord:
    """One Kafka record as it was stored on the broker (it satisfies `inbox.Record`)."""

    topic: str
    partition: int
    offset: int
    timestamp: int | None
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def envelope(self) -> EventEnvelope:
        """The CloudEvent the record carries; raises `EnvelopeError` if it is not one."""
        return from_kafka(self.headers, self.value)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "timestamp": self.timestamp,
            "key": _text(self.key),
            "headers": [[name, _text(value)] for name, value in self.headers],
            "value": _text(self.value),
        }

    @classmethod
    def from_json(cls, line: dict[str, Any]) -> "RecordedRecord":
        return cls(
            topic=line["topic"],
            partition=line["partition"],
            offset=line["offset"],
            timestamp=line.get("timestamp"),
            key=_bytes(line["key"]),
            value=_bytes(line["value"]),
            headers=tuple((name, _bytes(value) or b"") for name, value in line["headers"]),
        )


def write_recording(path: Path, records: Iterable[RecordedRecord]) -> int:
    """Write `records` as JSON lines in (topic, partition, offset) order; returns how many."""
    ordered = sorted(records, key=lambda r: (r.topic, r.partition, r.offset))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in ordered:
            out.write(json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
    return len(ordered)


def read_recording(path: Path) -> list[RecordedRecord]:
    """The records of a recording, in the order they were written."""
    with path.open(encoding="utf-8") as lines:
        return [RecordedRecord.from_json(json.loads(line)) for line in lines if line.strip()]


def recorded_envelopes(records: Sequence[RecordedRecord]) -> list[EventEnvelope]:
    """Every record as a CloudEvent, in the recording's order (raises on a malformed one)."""
    return [record.envelope() for record in records]


def office_event_topics(topics: Iterable[str], office: str) -> list[str]:
    """`reintegration.<office>.<domain>` topics among `topics`: dead letters left out."""
    prefix = f"{TOPIC_ROOT}.{office}."
    return sorted(t for t in topics if t.startswith(prefix) and "." not in t.removeprefix(prefix))


async def record_office(bootstrap_servers: str, office: str) -> list[RecordedRecord]:
    """Every record of the office's event topics, from the first offset to the end offsets
    seen when reading starts."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        group_id=None,
        **client_options(),
    )
    await consumer.start()
    try:
        # The consumer's own metadata covers only what it subscribed to: ask the cluster.
        metadata = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, p)
            for topic in office_event_topics(metadata.topics(), office)
            for p in sorted(metadata.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[RecordedRecord] = []
        while any([await consumer.position(tp) < ends[tp] for tp in partitions]):
            batch = await consumer.getmany(timeout_ms=500)
            for tp, part in batch.items():
                records.extend(_recorded(r) for r in part if r.offset < ends[tp])
        return records
    finally:
        await consumer.stop()


def _recorded(record: Any) -> RecordedRecord:
    return RecordedRecord(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        timestamp=record.timestamp,
        key=record.key,
        value=record.value,
        headers=tuple((name, value or b"") for name, value in record.headers or ()),
    )


def _text(raw: bytes | None) -> str | dict[str, str] | None:
    if raw is None:
        return None
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode()}


def _bytes(value: str | dict[str, str] | None) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return base64.b64decode(value["base64"])
    return value.encode()


def free_text_on_the_wire(records: Iterable[RecordedRecord]) -> list[str]:
    """Every record breaking the rule that no free text goes on the wire (DESIGN.md, "People
    and their data"): its payload, exactly as published, checked against the schema of the
    version it was published as (`wire_problems`: no field unclassified or classified free
    text, no string outside its field's pattern or categories). Empty when clean."""
    problems = []
    for record in records:
        envelope = record.envelope()
        try:
            model = kind_of(envelope.event_name, envelope.dataversion)
        except UnknownEventType as error:
            problems.append(f"{record.topic}@{record.offset}: {error}")
            continue
        schema = _schema_of(model)
        for problem in wire_problems(schema, envelope.data):
            where = f"{record.topic}@{record.offset} {envelope.event_name}.v{envelope.dataversion}"
            problems.append(f"{where} {problem}")
    return problems


def _schema_of(model: type[EventPayload]) -> dict[str, Any]:
    if model not in _schemas:
        _schemas[model] = model.model_json_schema()
    return _schemas[model]


_schemas: dict[type[EventPayload], dict[str, Any]] = {}
