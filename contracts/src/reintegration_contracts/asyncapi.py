"""The AsyncAPI 3 document describing every channel and message of the platform."""

from typing import Any

from reintegration_contracts import events as _events  # noqa: F401  (registers payloads)
from reintegration_contracts.registry import all_kinds, latest_version
from reintegration_contracts.topics import TOPIC_ROOT, Domain


def asyncapi_document() -> dict[str, Any]:
    kinds = [k for k in all_kinds() if k.version == latest_version(k.name)]
    messages: dict[str, Any] = {}
    shared_schemas: dict[str, Any] = {}
    for kind in kinds:
        payload = kind.model.model_json_schema(ref_template="#/components/schemas/{model}")
        shared_schemas.update(payload.pop("$defs", {}))
        messages[kind.name] = {
            "name": kind.name,
            "title": kind.name,
            "summary": (kind.model.__doc__ or kind.name).strip().split("\n")[0],
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventsHeaders"},
            "payload": payload,
            "bindings": {"kafka": {"key": {"type": "string", "description": "stream id"}}},
        }
    channels = {
        domain.value: {
            "address": f"{TOPIC_ROOT}.{{countryOffice}}.{domain.value}",
            "parameters": {"countryOffice": {"description": "ISO 3166-1 alpha-2, lower case"}},
            "messages": {
                k.name: {"$ref": f"#/components/messages/{k.name}"}
                for k in kinds
                if k.domain == domain
            },
        }
        for domain in Domain
    }
    header_names = [
        "ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject",
        "ce_countryoffice", "ce_correlationid", "ce_causationid", "ce_actor", "ce_dataversion",
        "traceparent",
    ]  # fmt: skip
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Reintegration platform events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode; key = stream id.",
        },
        "channels": channels,
        "components": {
            "messages": messages,
            "schemas": {
                **dict(sorted(shared_schemas.items())),
                "CloudEventsHeaders": {
                    "type": "object",
                    "properties": {name: {"type": "string"} for name in header_names},
                },
            },
        },
    }
