"""Contracts of the reintegration platform: what travels between services.

Importing this package registers every event payload, so `read_payload` and `read_event`
know all of them.
"""

from reintegration_contracts import events
from reintegration_contracts.envelope import (
    EnvelopeError,
    EventEnvelope,
    from_kafka,
    read_event,
    source_for,
    to_kafka_headers,
    to_kafka_value,
)
from reintegration_contracts.registry import (
    EventPayload,
    PayloadInvalid,
    UnknownEventType,
    all_kinds,
    current_model,
    event_name_of,
    read_payload,
    upcast,
)
from reintegration_contracts.topics import (
    Domain,
    all_domains_pattern,
    dead_letter_topic,
    domain_pattern,
    parse_topic,
    topic_for,
)

__all__ = [
    "Domain",
    "EnvelopeError",
    "EventEnvelope",
    "EventPayload",
    "PayloadInvalid",
    "UnknownEventType",
    "all_domains_pattern",
    "all_kinds",
    "current_model",
    "dead_letter_topic",
    "domain_pattern",
    "event_name_of",
    "events",
    "from_kafka",
    "parse_topic",
    "read_event",
    "read_payload",
    "source_for",
    "to_kafka_headers",
    "to_kafka_value",
    "topic_for",
    "upcast",
]
