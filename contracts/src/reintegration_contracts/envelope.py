"""The CloudEvents 1.0 envelope and its Kafka binary-mode binding.

Attributes travel in `ce_` headers, the payload is the message value as JSON, the key is the
stream id so one stream's events stay in order on one partition.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reintegration_contracts.registry import (
    EventPayload,
    PayloadInvalid,
    UnknownEventType,
    event_name_of,
    read_payload,
)
from reintegration_contracts.topics import topic_for
from reintegration_contracts.types import CountryOffice

SPEC_VERSION: Final = "1.0"
CONTENT_TYPE: Final = "application/json"
_REQUIRED = ("id", "source", "type", "specversion", "time", "subject")
_EXTENSIONS = ("countryoffice", "correlationid", "causationid", "actor", "dataversion")


class EnvelopeError(ValueError):
    """A message that is not a well-formed event of this platform; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EventEnvelope(BaseModel):
    """One event as it travels: CloudEvents attributes, platform extensions, JSON data."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(description="Unique event id; consumers deduplicate on it")
    source: str = Field(description="/reintegration/<office>/<service>")
    type: str = Field(description="org.reintegration.<domain>.<EventName>")
    specversion: str = SPEC_VERSION
    time: datetime
    subject: str = Field(description="The stream the event belongs to")
    countryoffice: CountryOffice
    correlationid: str
    causationid: str | None = None
    actor: str = Field(description="Subject of the principal who caused the event")
    dataversion: int = Field(ge=1)
    traceparent: str | None = None
    data: dict[str, Any]

    @property
    def event_name(self) -> str:
        return event_name_of(self.type)

    @property
    def domain(self) -> str:
        return self.type.split(".")[-2]

    @property
    def topic(self) -> str:
        return topic_for(self.countryoffice, self.domain)

    def payload(self) -> EventPayload:
        """The data as the current payload model, upcast from older versions if needed."""
        return read_payload(self.event_name, self.dataversion, self.data)


def source_for(country_office: str, service: str) -> str:
    return f"/reintegration/{country_office}/{service}"


def to_kafka_headers(envelope: EventEnvelope) -> list[tuple[str, bytes]]:
    headers: list[tuple[str, bytes]] = [
        ("ce_id", str(envelope.id).encode()),
        ("ce_source", envelope.source.encode()),
        ("ce_type", envelope.type.encode()),
        ("ce_specversion", envelope.specversion.encode()),
        ("ce_time", envelope.time.isoformat().encode()),
        ("ce_subject", envelope.subject.encode()),
        ("ce_countryoffice", envelope.countryoffice.encode()),
        ("ce_correlationid", envelope.correlationid.encode()),
        ("ce_actor", envelope.actor.encode()),
        ("ce_dataversion", str(envelope.dataversion).encode()),
        ("content-type", CONTENT_TYPE.encode()),
    ]
    if envelope.causationid:
        headers.append(("ce_causationid", envelope.causationid.encode()))
    if envelope.traceparent:
        headers.append(("traceparent", envelope.traceparent.encode()))
    return headers


def to_kafka_value(envelope: EventEnvelope) -> bytes:
    return json.dumps(envelope.data, separators=(",", ":"), default=str).encode()


def from_kafka(headers: Iterable[tuple[str, bytes]] | None, value: bytes | None) -> EventEnvelope:
    """Read a binary-mode CloudEvent from Kafka headers and value, or raise EnvelopeError."""
    attributes: dict[str, str] = {}
    for name, raw in headers or ():
        try:
            text = raw.decode() if raw is not None else ""
        except UnicodeDecodeError as error:
            raise EnvelopeError(f"header {name} is not UTF-8") from error
        if name.startswith("ce_"):
            attributes[name[3:]] = text
        elif name == "traceparent":
            attributes["traceparent"] = text
    missing = [a for a in (*_REQUIRED, *_EXTENSIONS) if a not in attributes and a != "causationid"]
    if missing:
        raise EnvelopeError("missing CloudEvents headers: " + ", ".join(f"ce_{m}" for m in missing))
    if attributes["specversion"] != SPEC_VERSION:
        raise EnvelopeError(f"unsupported specversion {attributes['specversion']}")
    try:
        data = json.loads(value or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise EnvelopeError(f"body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise EnvelopeError("body is not a JSON object")
    try:
        return EventEnvelope.model_validate({**attributes, "data": data})
    except ValidationError as error:
        raise EnvelopeError("invalid envelope: " + _first_errors(error)) from error


def read_event(
    headers: Iterable[tuple[str, bytes]] | None, value: bytes | None
) -> tuple[EventEnvelope, EventPayload]:
    """Envelope and validated current payload; EnvelopeError names what is wrong."""
    envelope = from_kafka(headers, value)
    try:
        return envelope, envelope.payload()
    except PayloadInvalid as error:
        raise EnvelopeError(f"{envelope.event_name} v{envelope.dataversion}: {error}") from error
    except UnknownEventType as error:
        raise EnvelopeError(str(error)) from error


def _first_errors(error: ValidationError, limit: int = 5) -> str:
    items: Sequence[Any] = error.errors()[:limit]
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in items)
