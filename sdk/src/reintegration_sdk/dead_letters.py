"""The dead-letter copy of a record: the original plus why and where it failed, cut to fit.

A record near Kafka's size limit plus the dead-letter headers no longer fits under the
producer's maximum request size; sent whole, it is refused and the record is lost. The copy
is therefore measured the way the producer measures it, and when too large its value is cut
and the original headers trimmed, with headers saying so (`dlq_truncated=true`, the original
size) beside the reason and the coordinates that find the original on its topic.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Protocol

from aiokafka.record.default_records import DefaultRecordBatchBuilder

REASON_LIMIT: Final = 4000
# Room for the batch around the record, which the producer's estimate does not count.
_BATCH_OVERHEAD: Final = 1024
# Original headers kept when a copy is cut: the CloudEvents attributes are small.
_KEPT_HEADER_BYTES: Final = 512
_KEPT_HEADERS_TOTAL: Final = 16 * 1024
_KEY_LIMIT: Final = 1024


class Record(Protocol):
    """The parts of a Kafka consumer record the inbox reads."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


@dataclass(frozen=True)
class DeadLetter:
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    truncated: bool


def dead_letter_headers(record: Record, reason: str, consumer: str) -> list[tuple[str, bytes]]:
    """The original headers plus why and where the record failed."""
    return [*(record.headers or ()), *_about(record, reason, consumer)]


def dead_letter(record: Record, reason: str, consumer: str, max_bytes: int) -> DeadLetter:
    """The copy of `record` for `<topic>.dlq`, no larger than `max_bytes` as the producer
    counts; cut (value first, then the original headers) only when it must be."""
    whole = dead_letter_headers(record, reason, consumer)
    budget = max_bytes - _BATCH_OVERHEAD
    if _size(record.key, record.value, whole) <= budget:
        return DeadLetter(record.key, record.value, whole, truncated=False)
    kept = _small_headers(record.headers or ())
    original_size = _size(record.key, record.value, list(record.headers or ()))
    headers = [
        *kept,
        *_about(record, reason, consumer),
        ("dlq_truncated", b"true"),
        ("dlq_original_size", str(original_size).encode()),
        ("dlq_original_value_bytes", str(len(record.value or b"")).encode()),
        ("dlq_dropped_headers", str(len(record.headers or ()) - len(kept)).encode()),
    ]
    key = record.key[:_KEY_LIMIT] if record.key is not None else None
    room = max(0, budget - _size(key, b"", headers))
    value = (record.value or b"")[:room]
    # The varint lengths grow with the value; shave until the producer's own count fits.
    while value and _size(key, value, headers) > budget:
        value = value[: len(value) - max(16, len(value) // 1000)]
    return DeadLetter(key, value, headers, truncated=True)


def _about(record: Record, reason: str, consumer: str) -> list[tuple[str, bytes]]:
    return [
        ("dlq_reason", reason.encode()[:REASON_LIMIT]),
        ("dlq_original_topic", record.topic.encode()),
        ("dlq_original_partition", str(record.partition).encode()),
        ("dlq_original_offset", str(record.offset).encode()),
        ("dlq_consumer", consumer.encode()),
        ("dlq_failed_at", datetime.now(UTC).isoformat().encode()),
    ]


def _small_headers(headers: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    kept: list[tuple[str, bytes]] = []
    total = 0
    for name, value in headers:
        size = len(name) + len(value or b"")
        if size <= _KEPT_HEADER_BYTES and total + size <= _KEPT_HEADERS_TOTAL:
            kept.append((name, value))
            total += size
    return kept


def _size(key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]) -> int:
    size: int = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, headers)
    return size
