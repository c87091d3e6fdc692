"""The inbox: apply other services' events exactly once, dead-letter what cannot be applied.

A batch of Kafka records is applied in one database transaction together with the ids of the
events it applied, then the offsets are committed (after the database commit, never before).
A redelivered event finds its id in the inbox and changes nothing. A record that cannot be
decoded or validated goes to `<topic>.dlq` with the reason and its original coordinates in
headers; a handler that keeps failing is retried with backoff, then dead-lettered; the
subscriber goes on with the next record.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import asyncpg
from opentelemetry.trace import SpanKind

from reintegration_contracts import EnvelopeError, EventEnvelope, EventPayload, read_event
from reintegration_contracts.registry import UnknownEventType, event_name_of, latest_version
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.telemetry import span_following

log = logging.getLogger(__name__)

# Errors that say the database is unreachable, not that the event is bad: retried for ever
# (the partition waits) instead of dead-lettering good events during an outage.
_INFRASTRUCTURE_ERRORS = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)


class Record(Protocol):
    """The parts of a Kafka consumer record the inbox reads."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


class DeadLetterSink(Protocol):
    async def send(self, record: Record, reason: str, consumer: str) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    first_delay_seconds: float = 0.2
    factor: float = 4.0

    def delays(self) -> list[float]:
        return [self.first_delay_seconds * self.factor**i for i in range(self.attempts - 1)]


@dataclass(frozen=True)
class _Decoded:
    record: Record
    envelope: EventEnvelope
    payload: EventPayload


class Inbox:
    """Applies records to `handlers` for consumer `name` (usually the service's name)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        name: str,
        handlers: EventHandlers,
        dead_letters: DeadLetterSink,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self._pool = pool
        self.name = name
        self._handlers = handlers
        self._dead_letters = dead_letters
        self._retry = retry
        self.applied = 0
        self.dead_lettered = 0

    async def process(self, records: Sequence[Record]) -> None:
        """Apply a batch; returns once every record is applied, skipped or dead-lettered."""
        decoded: list[_Decoded] = []
        for record in records:
            item = await self._decode(record)
            if item is not None:
                decoded.append(item)
        if not decoded:
            return
        try:
            await self._until_database_answers(lambda: self._apply(decoded))
        except Exception:
            log.warning("batch failed; applying its %d events one by one", len(decoded))
            for item in decoded:
                await self._apply_alone(item)

    async def _decode(self, record: Record) -> _Decoded | None:
        name = _header(record, "ce_type")
        if name is not None and not self._handlers.handles(event_name_of(name)):
            if not _known_type(event_name_of(name)):
                log.info("skipping unknown event type %s", name)
            return None  # tolerant reader: events this consumer does not handle are skipped
        try:
            envelope, payload = read_event(record.headers, record.value)
        except EnvelopeError as error:
            await self._dead_letter(record, error.reason)
            return None
        return _Decoded(record, envelope, payload)

    async def _apply(self, batch: Sequence[_Decoded]) -> None:
        async with self._pool.acquire() as connection, connection.transaction():
            ids = [item.envelope.id for item in batch]
            # Read first and record last: the inbox write must not be the transaction's first
            # write (see the relay's note on transaction ids and stream order).
            seen = {
                row["event_id"]
                for row in await connection.fetch(
                    "SELECT event_id FROM inbox WHERE consumer = $1 AND event_id = ANY($2)",
                    self.name,
                    ids,
                )
            }
            fresh: list[_Decoded] = []
            for item in batch:
                if item.envelope.id not in seen:
                    seen.add(item.envelope.id)
                    fresh.append(item)
            for item in fresh:
                with span_following(
                    f"consume {item.envelope.event_name}",
                    item.envelope.traceparent,
                    kind=SpanKind.CONSUMER,
                    attributes={"messaging.system": "kafka", "event.id": str(item.envelope.id)},
                ):
                    await self._handlers.apply(
                        connection, item.payload, EventMeta.of_envelope(item.envelope)
                    )
            if fresh:
                await connection.executemany(
                    "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)",
                    [(self.name, item.envelope.id) for item in fresh],
                )
        self.applied += len(fresh)

    async def _apply_alone(self, item: _Decoded) -> None:
        last_error: Exception | None = None
        for delay in [*self._retry.delays(), None]:
            try:
                await self._until_database_answers(lambda: self._apply([item]))
                return
            except Exception as error:  # a handler's bug or a rule it hit: retry, then park
                last_error = error
                if delay is not None:
                    await asyncio.sleep(delay)
        reason = f"handler failed after {self._retry.attempts} attempts: {last_error!r}"
        await self._dead_letter(item.record, reason)

    async def _until_database_answers(self, attempt: Callable[[], Awaitable[None]]) -> None:
        delay = 0.5
        while True:
            try:
                await attempt()
                return
            except _INFRASTRUCTURE_ERRORS as error:
                log.warning("database unavailable (%s); retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _dead_letter(self, record: Record, reason: str) -> None:
        log.warning(
            "dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, reason
        )
        await self._dead_letters.send(record, reason, self.name)
        async with self._pool.acquire() as connection:
            await connection.execute(
                """INSERT INTO dead_letters (consumer, topic, partition, "offset", reason)
                   VALUES ($1, $2, $3, $4, $5)""",
                self.name,
                record.topic,
                record.partition,
                record.offset,
                reason,
            )
        self.dead_lettered += 1


def _header(record: Record, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            try:
                return value.decode()
            except UnicodeDecodeError:
                return None
    return None


def _known_type(name: str) -> bool:
    try:
        latest_version(name)
    except UnknownEventType:
        return False
    return True


def dead_letter_headers(record: Record, reason: str, consumer: str) -> list[tuple[str, bytes]]:
    """The original headers plus why and where the record failed."""
    return [
        *(record.headers or ()),
        ("dlq_reason", reason.encode()[:4000]),
        ("dlq_original_topic", record.topic.encode()),
        ("dlq_original_partition", str(record.partition).encode()),
        ("dlq_original_offset", str(record.offset).encode()),
        ("dlq_consumer", consumer.encode()),
        ("dlq_failed_at", datetime.now(UTC).isoformat().encode()),
    ]
