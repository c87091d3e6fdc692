"""Where the time goes: CPU per event of the SDK's pieces on each hot path, without I/O.

Measured in the bench's own process after the phases (same tracer provider as a service), so
the figures sit next to the throughput they explain. The machine's other load inflates them
all alike; compare them with each other and with the raw clients' rates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from time import perf_counter
from typing import Any
from uuid import uuid4

from opentelemetry.trace import SpanKind

from bench.payloads import ACTOR, OFFICE, envelope, follow_up
from reintegration_contracts import (
    Domain,
    read_event,
    source_for,
    to_kafka_headers,
    to_kafka_value,
    topic_for,
)
from reintegration_sdk.events import EventMeta, StoredEvent
from reintegration_sdk.eventstore import stored_event_from_row
from reintegration_sdk.inbox import content_digest
from reintegration_sdk.telemetry import batch_span, traceparent_of

SAMPLES = 2_000
BATCH = 500  # the relay's and the inbox's default batch


@dataclass(frozen=True)
class Section:
    path: str
    piece: str
    microseconds: float


def _per_call(function: Callable[[Any], object], items: list[Any]) -> float:
    start = perf_counter()
    for item in items:
        function(item)
    return (perf_counter() - start) / len(items) * 1e6


def _batch_span(name: str, traceparents: list[str | None], kind: SpanKind) -> None:
    with batch_span(name, traceparents, kind, {"messaging.system": "kafka"}) as (span, _):
        traceparent_of(span)


def _per_event_of_batches(
    function: Callable[[list[Any]], object], items: list[Any], batch: int = BATCH
) -> float:
    start = perf_counter()
    for first in range(0, len(items), batch):
        function(items[first : first + batch])
    return (perf_counter() - start) / len(items) * 1e6


def measure_sections(samples: int = SAMPLES) -> list[Section]:
    payloads = [follow_up() for _ in range(samples)]
    rows = [_row(p.model_dump_json()) for p in payloads]
    stored = [stored_event_from_row(row) for row in rows]
    traceparent = f"00-{uuid4().hex}-{uuid4().hex[:16]}-01"
    envelopes = [e.to_envelope(source_for(OFFICE, "monitoring"), traceparent) for e in stored]
    records = [(to_kafka_headers(e), to_kafka_value(e)) for e in envelopes]
    incoming = [envelope(p, "visit-1") for p in payloads]
    # A live batch of the pipeline: each event from a request of its own (one trace each).
    traced = [f"00-{uuid4().hex}-{uuid4().hex[:16]}-01" for _ in range(samples)]
    sections: list[tuple[str, str, Callable[[Any], object], list[Any]]] = [
        ("append", "payload.model_dump_json()", lambda p: p.model_dump_json(), payloads),
        ("append", "returned row -> StoredEvent", stored_event_from_row, rows),
        (
            "append",
            "StoredEvent.payload() (only where a decider or rebuild needs it)",
            _payload,
            stored,
        ),
        ("relay", "topic_for", lambda e: topic_for(e.country_office, e.domain), stored),
        ("relay", "StoredEvent.kafka_headers + kafka_value", _encode, stored),
        ("relay", "(was) to_envelope + to_kafka_headers + to_kafka_value", _via_envelope, stored),
        ("inbox", "read_event (decode, validate envelope + payload)", _read, records),
        ("inbox", "content digest (dedup of a reused id)", content_digest, incoming),
        ("inbox", "EventMeta.of_envelope", EventMeta.of_envelope, incoming),
    ]
    measured = [
        Section(path, piece, round(_per_call(function, items), 1))
        for path, piece, function, items in sections
    ]
    spans: list[tuple[str, str, Callable[[list[Any]], object], list[Any]]] = [
        (
            "relay",
            f"publish span per event, batches of {BATCH}, one trace each",
            lambda b: _batch_span("publish X", b, SpanKind.PRODUCER),
            traced,
        ),
        (
            "inbox",
            f"consume span per event, batches of {BATCH}, one trace each",
            lambda b: _batch_span("consume X", b, SpanKind.CONSUMER),
            traced,
        ),
        (
            "relay",
            "publish span, batches of 1 (an idle relay's batch)",
            lambda b: _batch_span("publish X", b, SpanKind.PRODUCER),
            traced,
        ),
    ]
    measured += [
        Section(path, piece, round(_per_event_of_batches(function, items, size), 1))
        for (path, piece, function, items), size in zip(spans, (BATCH, BATCH, 1), strict=True)
    ]
    return measured


def spans_per_event(sections: list[Section]) -> float | None:
    """Publish plus consume span cost per event in full batches (the issue's spans row)."""
    costs = [s.microseconds for s in sections if f"batches of {BATCH}" in s.piece]
    return sum(costs) if len(costs) == 2 else None


def _payload(event: StoredEvent) -> object:
    return event.payload()


def _encode(event: StoredEvent) -> object:
    return event.kafka_headers(source_for(event.country_office, "monitoring")), event.kafka_value()


def _via_envelope(event: StoredEvent) -> object:
    envelope = event.to_envelope(source_for(event.country_office, "monitoring"))
    return to_kafka_headers(envelope), to_kafka_value(envelope)


def _read(record: tuple[list[tuple[str, bytes]], bytes]) -> object:
    return read_event(*record)


def _row(data: str) -> dict[str, Any]:
    """A row as the store's RETURNING gives it (jsonb read back as text)."""
    return {
        "position": 1,
        "stream_id": "visit-1",
        "version": 1,
        "event_id": uuid4(),
        "event_name": "FollowUpRecorded",
        "data_version": 1,
        "domain": Domain.MONITORING.value,
        "country_office": OFFICE,
        "data": data,
        "actor": ACTOR,
        "correlation_id": str(uuid4()),
        "causation_id": None,
        "traceparent": None,
        "recorded_at": datetime.now(UTC),
    }
