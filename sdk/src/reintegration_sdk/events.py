"""What a handler sees of an event besides its payload, whether read from the store or Kafka."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from reintegration_contracts import EventEnvelope, EventPayload, read_payload
from reintegration_contracts.envelope import CONTENT_TYPE, SPEC_VERSION
from reintegration_contracts.registry import ce_type_for


@dataclass(frozen=True)
class EventMeta:
    """Envelope facts of one event: who, where, when, and its place in its stream."""

    event_id: UUID
    event_name: str
    stream_id: str
    country_office: str
    actor: str
    correlation_id: str
    causation_id: str | None
    traceparent: str | None
    time: datetime
    position: int | None = None
    version: int | None = None

    @classmethod
    def of_envelope(cls, envelope: EventEnvelope) -> "EventMeta":
        return cls(
            event_id=envelope.id,
            event_name=envelope.event_name,
            stream_id=envelope.subject,
            country_office=envelope.countryoffice,
            actor=envelope.actor,
            correlation_id=envelope.correlationid,
            causation_id=envelope.causationid,
            traceparent=envelope.traceparent,
            time=envelope.time,
        )


@dataclass(frozen=True)
class StoredEvent:
    """One row of a service's event store."""

    position: int
    stream_id: str
    version: int
    event_id: UUID
    event_name: str
    data_version: int
    domain: str
    country_office: str
    data: dict[str, Any]
    actor: str
    correlation_id: str
    causation_id: str | None
    traceparent: str | None
    recorded_at: datetime

    def payload(self) -> EventPayload:
        """The payload as the current model (older versions are upcast)."""
        return read_payload(self.event_name, self.data_version, self.data)

    @property
    def meta(self) -> EventMeta:
        return EventMeta(
            event_id=self.event_id,
            event_name=self.event_name,
            stream_id=self.stream_id,
            country_office=self.country_office,
            actor=self.actor,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            traceparent=self.traceparent,
            time=self.recorded_at,
            position=self.position,
            version=self.version,
        )

    def to_envelope(self, source: str, traceparent: str | None = None) -> EventEnvelope:
        return EventEnvelope(
            id=self.event_id,
            source=source,
            type=ce_type_for(self.domain, self.event_name),
            time=self.recorded_at,
            subject=self.stream_id,
            countryoffice=self.country_office,
            correlationid=self.correlation_id,
            causationid=self.causation_id,
            actor=self.actor,
            dataversion=self.data_version,
            traceparent=traceparent or self.traceparent,
            data=self.data,
        )

    def kafka_headers(self, source: str, traceparent: str | None = None) -> list[tuple[str, bytes]]:
        """`to_kafka_headers(self.to_envelope(source, traceparent))`, byte for byte, without
        building and validating the envelope model: the row was validated when it was
        appended, and the relay's hot path is per event (a test holds the two equal)."""
        headers: list[tuple[str, bytes]] = [
            ("ce_id", str(self.event_id).encode()),
            ("ce_source", source.encode()),
            ("ce_type", ce_type_for(self.domain, self.event_name).encode()),
            ("ce_specversion", _SPEC_VERSION),
            ("ce_time", self.recorded_at.isoformat().encode()),
            ("ce_subject", self.stream_id.encode()),
            ("ce_countryoffice", self.country_office.encode()),
            ("ce_correlationid", self.correlation_id.encode()),
            ("ce_actor", self.actor.encode()),
            ("ce_dataversion", str(self.data_version).encode()),
            ("content-type", _CONTENT_TYPE),
        ]
        if self.causation_id:
            headers.append(("ce_causationid", self.causation_id.encode()))
        traceparent = traceparent or self.traceparent
        if traceparent:
            headers.append(("traceparent", traceparent.encode()))
        return headers

    def kafka_value(self) -> bytes:
        """`to_kafka_value(self.to_envelope(...))`: the payload as compact JSON."""
        return json.dumps(self.data, separators=(",", ":"), default=str).encode()


_SPEC_VERSION = SPEC_VERSION.encode()
_CONTENT_TYPE = CONTENT_TYPE.encode()
