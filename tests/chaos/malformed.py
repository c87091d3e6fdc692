"""Poison records of every kind the issue names, built from real records of a topic (pure).

Each is a copy of a real event that the relay published, broken in exactly one way, so the
only reason a consumer has to refuse it is the defect itself:

- non_json: the body is not JSON;              - wrong_schema: the body misses every field;
- missing_headers: no `ce_` header at all;     - non_utf8_header: `ce_source` is not UTF-8;
- near_limit: a body just under the broker's 1 MiB limit (its dead-letter copy, with the
  reason added, no longer fits: issue 13 item 4);
- wrong_office: a valid event whose `ce_countryoffice` is another office than its topic's;
- reused_id: a valid event under the id of another event the consumers already applied.

Every one of them must reach `<topic>.dlq` with a `dlq_reason`, from every consumer that reads
its type, and none may change anything. `redelivery` is the contrast: the same record again,
byte for byte, which at-least-once delivery produces all the time; it must change nothing
and is not dead-lettered ("duplicates change nothing").
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka.record.default_records import DefaultRecordBatchBuilder

from chaos.kafka_reader import KafkaRecord

# Kafka's default message.max.bytes (the broker's limit on a record batch) and the default
# max.request.size of a producer (aiokafka's max_request_size), which a DLQ copy must fit.
BROKER_LIMIT = 1_048_588
PRODUCER_LIMIT = 1_048_576
NEAR_LIMIT_HEADROOM = 16  # bytes the poison's batch leaves free below the broker's limit


@dataclass(frozen=True)
class Poison:
    """A record to inject and what must become of it."""

    kind: str
    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    event_name: str | None  # the type a consumer can read from ce_type (None: unreadable)
    event_id: str | None  # the id it claims
    dead_letter: bool  # must be dead-lettered; else it must just change nothing
    fresh_id: bool  # its id is its own: no consumer may ever have applied it

    @property
    def batch_size(self) -> int:
        """An upper bound of its size as a one-record batch (what the broker limits)."""
        return batch_size(self.key, self.value, self.headers)


def batch_size(key: bytes | None, value: bytes, headers: Sequence[tuple[str, bytes]]) -> int:
    """aiokafka's own upper bound, the one its producer checks against max_request_size."""
    return int(DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, list(headers)))


def poisons(counselling: KafkaRecord, decoy_office: str) -> list[Poison]:
    """The poison records made from one real `CounsellingAttended` record of a topic."""
    assert counselling.value is not None, "the source record's value was not kept"
    name = _event_name(counselling)
    value = counselling.value
    headers = counselling.headers

    def fresh(kind: str, body: bytes, changed: dict[str, bytes] | None = None) -> Poison:
        new_id = str(uuid.uuid4())
        replaced = _replace(headers, {"ce_id": new_id.encode(), **(changed or {})})
        return Poison(
            kind,
            counselling.topic,
            counselling.key,
            body,
            replaced,
            name,
            new_id,
            dead_letter=True,
            fresh_id=True,
        )

    office = counselling.text("ce_countryoffice") or ""
    source = (counselling.text("ce_source") or "").replace(f"/{office}/", f"/{decoy_office}/")
    other_content = json.loads(value)
    other_content["session_id"] = str(uuid.uuid4())
    # The value's length prefix grows from 1 to 3 bytes once the value is that long.
    filler = BROKER_LIMIT - NEAR_LIMIT_HEADROOM - fresh("near_limit", b"").batch_size - 2
    return [
        fresh("non_json", b"\xff{this is not json"),
        fresh("wrong_schema", json.dumps({"returnee": 7, "attended": "yesterday"}).encode()),
        Poison(
            "missing_headers",
            counselling.topic,
            counselling.key,
            value,
            tuple((k, v) for k, v in headers if not k.startswith("ce_")),
            event_name=None,
            event_id=None,
            dead_letter=True,
            fresh_id=False,
        ),
        fresh("non_utf8_header", value, {"ce_source": b"/reintegration/\xff\xfe\xfd/intake"}),
        fresh("near_limit", b"x" * filler),
        fresh(
            "wrong_office",
            value,
            {"ce_countryoffice": decoy_office.encode(), "ce_source": source.encode()},
        ),
        Poison(
            "reused_id",
            counselling.topic,
            counselling.key,
            json.dumps(other_content, separators=(",", ":")).encode(),
            headers,
            name,
            counselling.event_id,
            dead_letter=True,
            fresh_id=False,
        ),
        Poison(
            "redelivery",
            counselling.topic,
            counselling.key,
            value,
            headers,
            name,
            counselling.event_id,
            dead_letter=False,
            fresh_id=False,
        ),
    ]


def first_of_type(records: Sequence[KafkaRecord], event_name: str) -> KafkaRecord | None:
    """The first record of that event type whose value was kept."""
    for record in records:
        if record.value is not None and _event_name(record) == event_name:
            return record
    return None


def _event_name(record: KafkaRecord) -> str | None:
    ce_type = record.text("ce_type")
    return ce_type.rsplit(".", 1)[-1] if ce_type else None


def _replace(
    headers: tuple[tuple[str, bytes], ...], values: dict[str, bytes]
) -> tuple[tuple[str, bytes], ...]:
    return tuple((k, values.get(k, v)) for k, v in headers)
