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
from reintegration_sdk.telemetry import current_traceparent, span_following

SAMPLES = 2_000


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


def _span(name: str, traceparent: str | None, kind: SpanKind) -> None:
    with span_following(
        name, traceparent, kind=kind, attributes={"messaging.system": "kafka", "event.id": "x"}
    ):
        current_traceparent()


def measure_sections(samples: int = SAMPLES) -> list[Section]:
    payloads = [follow_up() for _ in range(samples)]
    rows = [_row(p.model_dump_json()) for p in payloads]
    stored = [stored_event_from_row(row) for row in rows]
    traceparent = f"00-{uuid4().hex}-{uuid4().hex[:16]}-01"
    envelopes = [e.to_envelope(source_for(OFFICE, "monitoring"), traceparent) for e in stored]
    records = [(to_kafka_headers(e), to_kafka_value(e)) for e in envelopes]
    incoming = [envelope(p, "visit-1") for p in payloads]
    sections: list[tuple[str, str, Callable[[Any], object], list[Any]]] = [
        ("append", "payload.model_dump_json()", lambda p: p.model_dump_json(), payloads),
        ("append", "returned row -> StoredEvent", stored_event_from_row, rows),
        ("append", "StoredEvent.payload() (run even with no projection)", _payload, stored),
        ("relay", "publish span (span_following + traceparent)", _publish_span, stored),
        ("relay", "topic_for", lambda e: topic_for(e.country_office, e.domain), stored),
        ("relay", "StoredEvent.to_envelope", _to_envelope, stored),
        ("relay", "to_kafka_value", to_kafka_value, envelopes),
        ("relay", "to_kafka_headers", to_kafka_headers, envelopes),
        ("inbox", "read_event (decode, validate envelope + payload)", _read, records),
        ("inbox", "consume span (span_following)", _consume_span, incoming),
        ("inbox", "EventMeta.of_envelope", EventMeta.of_envelope, incoming),
    ]
    return [
        Section(path, piece, round(_per_call(function, items), 1))
        for path, piece, function, items in sections
    ]


def _payload(event: StoredEvent) -> object:
    return event.payload()


def _publish_span(event: StoredEvent) -> None:
    _span(f"publish {event.event_name}", event.traceparent, SpanKind.PRODUCER)


def _consume_span(event: Any) -> None:
    _span(f"consume {event.event_name}", event.traceparent, SpanKind.CONSUMER)


def _to_envelope(event: StoredEvent) -> object:
    return event.to_envelope(source_for(event.country_office, "monitoring"))


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
