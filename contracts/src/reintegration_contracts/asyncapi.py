"""The AsyncAPI 3 document: every channel, message version and operation of the platform.

Channels are `reintegration.{countryOffice}.<domain>` and their `.dlq` twins; a message is one
(event, version) pair, tied to it by the `ce_type` and `ce_dataversion` headers; operations say
which service sends to and which services receive from each channel. Old versions stay listed
for as long as the contracts can read (upcast) them: a consumer may still meet them on a topic
that keeps everything.
"""

from collections.abc import Sequence
from typing import Any

from reintegration_contracts import events as _events  # noqa: F401  (registers payloads)
from reintegration_contracts.registry import EventKind, all_kinds, ce_type_for, latest_version
from reintegration_contracts.subscriptions import consumes, publisher_of
from reintegration_contracts.topics import DLQ_SUFFIX, TOPIC_ROOT, platform_domains

_HEADERS = {
    "ce_id": "Event id (UUID); consumers deduplicate on it",
    "ce_source": "/reintegration/<office>/<service>",
    "ce_specversion": "CloudEvents spec version, 1.0",
    "ce_time": "When the event was recorded (RFC 3339)",
    "ce_subject": "The stream the event belongs to; also the Kafka key",
    "ce_countryoffice": "Country office (ISO 3166-1 alpha-2, lower case); must match the topic",
    "ce_correlationid": "The request or process the event is part of",
    "ce_causationid": "The event or command that caused this one",
    "ce_actor": "Subject of the principal who caused the event",
    "traceparent": "W3C trace context",
    "content-type": "application/json",
}
_DLQ_HEADERS = {
    "dlq_reason": "Why the record could not be applied",
    "dlq_original_topic": "Topic the record was read from",
    "dlq_original_partition": "Its partition",
    "dlq_original_offset": "Its offset",
    "dlq_consumer": "The consumer that dead-lettered it",
    "dlq_failed_at": "When (RFC 3339)",
    "dlq_truncated": "'true' when the value was cut to fit the broker's size limit",
    "dlq_original_size": "Size in bytes of the original value, when truncated",
}


def message_id(kind: EventKind) -> str:
    return f"{kind.name}.v{kind.version}"


def _message(kind: EventKind, shared_schemas: dict[str, Any]) -> dict[str, Any]:
    payload = kind.model.model_json_schema(ref_template="#/components/schemas/{model}")
    shared_schemas.update(payload.pop("$defs", {}))
    current = kind.version == latest_version(kind.name)
    summary = (kind.model.__doc__ or kind.name).strip().split("\n")[0]
    headers = {name: {"type": "string", "description": text} for name, text in _HEADERS.items()}
    headers["ce_type"] = {"type": "string", "const": ce_type_for(kind.domain, kind.name)}
    headers["ce_dataversion"] = {"type": "string", "const": str(kind.version)}
    required = ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject"]
    required += ["ce_countryoffice", "ce_correlationid", "ce_actor", "ce_dataversion"]
    return {
        "name": kind.name,
        "title": f"{kind.name} v{kind.version}" + ("" if current else " (still read)"),
        "summary": summary,
        "contentType": "application/json",
        "headers": {"type": "object", "properties": headers, "required": required},
        "payload": payload,
        "correlationId": {"location": "$message.header#/ce_correlationid"},
        "bindings": {"kafka": {"key": {"type": "string", "description": "stream id"}}},
    }


def _channels(kinds: list[EventKind], domains: Sequence[str]) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    office = {"countryOffice": {"$ref": "#/components/parameters/countryOffice"}}
    for domain in domains:
        address = f"{TOPIC_ROOT}.{{countryOffice}}.{domain}"
        channels[domain] = {
            "address": address,
            "title": f"{domain} events",
            "parameters": office,
            "messages": {
                message_id(k): {"$ref": f"#/components/messages/{message_id(k)}"}
                for k in kinds
                if k.domain == domain
            },
            "bindings": {
                "kafka": {"topicConfiguration": {"retention.ms": -1, "cleanup.policy": ["delete"]}}
            },
        }
        channels[f"{domain}_dlq"] = {
            "address": address + DLQ_SUFFIX,
            "title": f"{domain} dead letters",
            "description": "Records of the channel that a consumer could not read or apply, "
            "with the reason and their coordinates in `dlq_` headers.",
            "parameters": office,
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        }
    return channels


def _operations(kinds: list[EventKind], own: Sequence[str], shown: Sequence[str]) -> dict[str, Any]:
    """What the publishers of `own` domains send, and what they receive of `shown` ones."""
    operations: dict[str, Any] = {}
    publishers = [p for p in dict.fromkeys(publisher_of(d) for d in own) if p is not None]
    for domain in own:
        sent = [k for k in kinds if k.domain == domain and k.version == latest_version(k.name)]
        publisher = publisher_of(domain)
        if publisher is not None and sent:
            operations[f"{publisher}.publish"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{domain}"},
                "summary": f"{publisher}'s relay publishes its events in stream order",
                "messages": [
                    {"$ref": f"#/channels/{domain}/messages/{message_id(k)}"} for k in sent
                ],
            }
    for service in publishers:
        for domain in (d for d in consumes(service) if d in shown):
            operations[f"{service}.receive.{domain}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{domain}"},
                "summary": f"{service} applies {domain} events through its inbox, once each",
            }
            operations[f"{service}.deadLetter.{domain}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{domain}_dlq"},
                "summary": f"{service} parks the {domain} records it cannot read or apply",
            }
    return operations


def asyncapi_document(
    domains: Sequence[str] | None = None, own: Sequence[str] | None = None
) -> dict[str, Any]:
    """The document of `domains` (default: the platform's own), with the operations of
    the services publishing the `own` ones (default: all of `domains`)."""
    shown = tuple(domains or platform_domains())
    mine = tuple(own or shown)
    kinds = [k for k in all_kinds() if k.domain in shown]
    shared_schemas: dict[str, Any] = {}
    messages = {message_id(k): _message(k, shared_schemas) for k in kinds}
    messages["DeadLetter"] = {
        "name": "DeadLetter",
        "title": "A record that could not be applied",
        "summary": "The original value (cut to fit when too large) and headers, plus dlq_ "
        "headers saying why and where it failed",
        "headers": {
            "type": "object",
            "properties": {
                name: {"type": "string", "description": text} for name, text in _DLQ_HEADERS.items()
            },
            "required": ["dlq_reason", "dlq_original_topic", "dlq_original_partition"],
        },
        "payload": {"description": "The original record's value, as it was read"},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Reintegration platform events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode: attributes in `ce_` headers, "
            "the payload as JSON, the stream id as key. Topics keep every event for ever.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "The embedded stack of `make up` (deploy/local)",
            },
            "cluster": {
                "host": "{bootstrap}",
                "protocol": "kafka-secure",
                "description": "A deployment's brokers; every principal authenticates",
                "variables": {"bootstrap": {"default": "kafka-bootstrap:9093"}},
                "security": [{"$ref": "#/components/securitySchemes/scram"}],
            },
        },
        "channels": _channels(kinds, shown),
        "operations": _operations(kinds, mine, shown),
        "components": {
            "messages": messages,
            "schemas": dict(sorted(shared_schemas.items())),
            "parameters": {
                "countryOffice": {
                    "description": "Country office, ISO 3166-1 alpha-2 in lower case",
                    "examples": ["bf", "ml", "ne"],
                }
            },
            "securitySchemes": {
                "scram": {
                    "type": "scramSha512",
                    "description": "One principal per service, mission, partner and HQ",
                }
            },
        },
    }
